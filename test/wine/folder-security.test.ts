// The data folder's protection through the real advapi32 and kernel32 of Windows (Wine's, in the Windows ABI lane):
// every call of native/windows/folder-security.ts runs against Wine's DLLs with our declarations. Wine converts
// security descriptor strings for real; for files it reports a descriptor built from the Unix permissions (owner: the
// Wine user) instead of the one CreateDirectoryW was given, so the stored descriptor itself is checked on a real PC
// (`npm run smoke:windows`); here the check must refuse what Wine reports.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DATA_FOLDER_SDDL,
  DataFolderError,
  parseSddl,
  secureDataFolder,
  securityProblem,
} from '../../electron/core/persistence/secure-folder';
import { folderSecurityApi } from '../../native/windows/folder-security';

describe('the data folder through advapi32', () => {
  it('finds System32 with GetSystemDirectoryW and loads advapi32 from there', () => {
    expect(folderSecurityApi().systemDirectory.toLowerCase()).toBe('c:\\windows\\system32');
  });

  it("our descriptor survives Windows' own SDDL conversion both ways: owner Administrators, protected, two entries", () => {
    const canonical = folderSecurityApi().canonical(DATA_FOLDER_SDDL);
    const sd = parseSddl(canonical);
    expect(sd.owner).toBe('BA');
    expect(sd.daclFlags).toContain('P');
    expect(sd.aces.map((a) => `${a.type};${a.flags};${a.rights};${a.sid}`)).toEqual(['A;OICI;FA;BA', 'A;OICI;FA;SY']);
    expect(securityProblem({ attributes: 0x10, sddl: canonical }, true)).toBeUndefined();
  });

  it('creates the folder once, reads its descriptor back, and refuses one owned by an ordinary user', () => {
    const api = folderSecurityApi();
    const dir = join(mkdtempSync(join(tmpdir(), 'portcullis-acl-')), 'Portcullis');
    expect(api.createFolder(dir, DATA_FOLDER_SDDL)).toBe(true);
    expect(api.createFolder(dir, DATA_FOLDER_SDDL)).toBe(false); // exists: left as it is
    const read = api.describe(dir)!;
    expect(read.attributes & 0x10).toBe(0x10);
    const owner = parseSddl(read.sddl).owner;
    expect(owner).toMatch(/^(BA|SY|S-1-[0-9-]+)$/);
    // Wine reports its user as the owner whatever was asked: then the folder must be refused, as on Windows.
    if (owner !== 'BA' && owner !== 'SY') expect(() => secureDataFolder(dir, api)).toThrow(DataFolderError);
    else expect(() => secureDataFolder(dir, api)).not.toThrow();
  });

  it('refuses a folder that was made without the descriptor', () => {
    const api = folderSecurityApi();
    const dir = join(mkdtempSync(join(tmpdir(), 'portcullis-acl-')), 'Portcullis');
    mkdirSync(dir);
    expect(securityProblem(api.describe(dir)!, true)).toBeDefined();
    expect(() => secureDataFolder(dir, api)).toThrow(DataFolderError);
  });

  it('says a path that does not exist is absent', () => {
    expect(folderSecurityApi().describe(join(tmpdir(), 'portcullis-no-such-folder'))).toBeUndefined();
  });
});
