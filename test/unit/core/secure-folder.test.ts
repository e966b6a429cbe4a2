// The Windows data folder is created protected (Administrators and SYSTEM only, owner Administrators) and an existing
// one in any other state is refused with a sentence that says what to do. The security descriptors below are the
// SDDL Windows reports (GetNamedSecurityInfoW + ConvertSecurityDescriptorToStringSecurityDescriptorW); the Wine lane
// runs the same code against Wine's advapi32 (test/wine/folder-security.test.ts).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DATA_FOLDER_SDDL,
  DataFolderError,
  parseSddl,
  secureDataFolder,
} from '../../../electron/core/persistence/secure-folder';
import type { FolderSecurityApi, PathSecurity } from '../../../native/windows/folder-security';

const DIRECTORY = 0x10;
const REPARSE = 0x400;
const USER = 'S-1-5-21-1004336348-1177238915-682003330-1001';
// %ProgramData% as Windows ships it: Users may create folders and files in it (the hole a squatter uses).
const PROGRAM_DATA =
  'O:SYD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;CIIO;FA;;;CO)(A;OICI;0x1200a9;;;BU)(A;CI;DCLCRPCR;;;BU)';
// What the previous version's icacls left, and what files created inside it inherit.
const PROTECTED = 'O:BAD:PAI(A;OICI;FA;;;BA)(A;OICI;FA;;;SY)';
const INHERITED_FILE = 'O:BAD:AI(A;ID;FA;;;BA)(A;ID;FA;;;SY)';

class FakeWindows implements FolderSecurityApi {
  readonly systemDirectory = 'C:\\Windows\\system32';
  readonly paths = new Map<string, PathSecurity>();
  created: string | undefined;
  canonical(sddl: string): string {
    return sddl;
  }
  describe(path: string): PathSecurity | undefined {
    return this.paths.get(path);
  }
  createFolder(path: string, sddl: string): boolean {
    if (this.paths.has(path)) return false;
    this.created = sddl;
    this.paths.set(path, { attributes: DIRECTORY, sddl });
    return true;
  }
}

function setup(folder?: PathSecurity, files: Record<string, string> = {}) {
  const dir = join(mkdtempSync(join(tmpdir(), 'portcullis-acl-')), 'Portcullis');
  const win = new FakeWindows();
  win.paths.set(dirname(dir), { attributes: DIRECTORY, sddl: PROGRAM_DATA });
  if (folder) {
    win.paths.set(dir, folder);
    mkdirSync(dir);
    for (const [name, sddl] of Object.entries(files)) {
      writeFileSync(join(dir, name), '{}');
      win.paths.set(join(dir, name), { attributes: 0x20, sddl });
    }
  }
  return { dir, win };
}

describe('the Windows data folder', () => {
  it('is created in one call with a protected DACL: Administrators and SYSTEM only, owner Administrators', () => {
    const { dir, win } = setup();
    secureDataFolder(dir, win);
    expect(win.created).toBe(DATA_FOLDER_SDDL);
    const sd = parseSddl(DATA_FOLDER_SDDL);
    expect(sd.owner).toBe('BA');
    expect(sd.daclFlags).toBe('P');
    expect(sd.aces.map((a) => `${a.type} ${a.sid}`)).toEqual(['A BA', 'A SY']);
  });

  it('accepts the folder the previous version protected, with the files it holds', () => {
    const { dir, win } = setup(
      { attributes: DIRECTORY, sddl: PROTECTED },
      {
        'rules.json': INHERITED_FILE,
        'settings.json': INHERITED_FILE,
      },
    );
    expect(() => secureDataFolder(dir, win)).not.toThrow();
  });

  it('refuses a folder a standard user created first, saying what to do', () => {
    const squatted = `O:${USER}D:P(A;OICI;FA;;;BA)(A;OICI;FA;;;SY)`;
    const { dir, win } = setup({ attributes: DIRECTORY, sddl: squatted });
    expect(() => secureDataFolder(dir, win)).toThrow(DataFolderError);
    expect(() => secureDataFolder(dir, win)).toThrow(
      new RegExp(`owner is ${USER}, not Administrators.*move the folder away.*start Portcullis again`),
    );
  });

  it('refuses an extra entry (what icacls /grant:r left in place), and a folder that inherits from %ProgramData%', () => {
    const extra = `O:BAD:PAI(A;OICI;FA;;;BA)(A;OICI;FA;;;SY)(A;OICI;0x1301bf;;;${USER})`;
    const one = setup({ attributes: DIRECTORY, sddl: extra });
    expect(() => secureDataFolder(one.dir, one.win)).toThrow(new RegExp(`grants 0x1301bf to ${USER}`));
    const inheriting = 'O:BAD:AI(A;OICIID;FA;;;SY)(A;OICIID;FA;;;BA)(A;OICIID;0x1200a9;;;BU)(A;CIID;DCLCRPCR;;;BU)';
    const two = setup({ attributes: DIRECTORY, sddl: inheriting });
    expect(() => secureDataFolder(two.dir, two.win)).toThrow(/inherits permissions/);
    const nullDacl = setup({ attributes: DIRECTORY, sddl: 'O:BAD:NO_ACCESS_CONTROL' });
    expect(() => secureDataFolder(nullDacl.dir, nullDacl.win)).toThrow(/no access control list/);
  });

  it('refuses a reparse point: the folder, its parent, or a file inside', () => {
    const folder = setup({ attributes: DIRECTORY | REPARSE, sddl: PROTECTED });
    expect(() => secureDataFolder(folder.dir, folder.win)).toThrow(/reparse point/);
    const parent = setup();
    parent.win.paths.set(dirname(parent.dir), { attributes: DIRECTORY | REPARSE, sddl: PROGRAM_DATA });
    expect(() => secureDataFolder(parent.dir, parent.win)).toThrow(/reparse point/);
    const file = setup({ attributes: DIRECTORY, sddl: PROTECTED }, { 'rules.json': INHERITED_FILE });
    file.win.paths.set(join(file.dir, 'rules.json'), { attributes: 0x20 | REPARSE, sddl: INHERITED_FILE });
    expect(() => secureDataFolder(file.dir, file.win)).toThrow(/rules\.json is not protected \(it is a reparse point/);
  });

  it('checks the files inside: one owned or writable by a user is refused, by name', () => {
    const owned = setup({ attributes: DIRECTORY, sddl: PROTECTED }, { 'rules.json': `O:${USER}D:AI(A;ID;FA;;;BA)` });
    expect(() => secureDataFolder(owned.dir, owned.win)).toThrow(
      /rules\.json is not protected \(its owner is S-1-5-21/,
    );
    const writable = setup(
      { attributes: DIRECTORY, sddl: PROTECTED },
      { 'settings.json': `O:BAD:AI(A;ID;FA;;;BA)(A;;FA;;;${USER})` },
    );
    expect(() => secureDataFolder(writable.dir, writable.win)).toThrow(/settings\.json is not protected/);
  });
});
