// The data folder's protection through the real advapi32 of Windows (Wine's, in the Windows ABI lane): the folder
// is created with the protected descriptor in one call and reads back as Administrators and SYSTEM only, owner
// Administrators; a folder made the ordinary way (inheriting its parent's entries) is refused.
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

  it('creates the folder with the protected descriptor, and reads it back as Administrators and SYSTEM only', () => {
    const api = folderSecurityApi();
    const dir = join(mkdtempSync(join(tmpdir(), 'portcullis-acl-')), 'Portcullis');
    expect(api.createFolder(dir, DATA_FOLDER_SDDL)).toBe(true);
    expect(api.createFolder(dir, DATA_FOLDER_SDDL)).toBe(false); // exists: left as it is
    const read = api.describe(dir)!;
    expect(read.attributes & 0x10).toBe(0x10);
    const sd = parseSddl(read.sddl);
    expect(sd.owner === 'BA' || sd.owner === 'S-1-5-32-544').toBe(true);
    expect(sd.daclFlags).toContain('P');
    expect(new Set(sd.aces.map((a) => a.sid))).toEqual(new Set(['BA', 'SY']));
    expect(securityProblem(read, true)).toBeUndefined();
    expect(() => secureDataFolder(dir, api)).not.toThrow();
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
