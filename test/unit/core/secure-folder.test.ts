// The Windows data folder is made writable by Administrators and SYSTEM only, or Portcullis refuses to use it.
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DataFolderError,
  secureDataFolder,
  secureFolderCommands,
} from '../../../electron/core/persistence/secure-folder';

describe('the Windows data folder', () => {
  it('is owned by Administrators and grants full control to Administrators and SYSTEM only, without inheritance', () => {
    const [owner, acl] = secureFolderCommands('C:\\ProgramData\\Portcullis', 'C:\\Windows');
    expect(owner).toEqual({
      file: 'C:\\Windows\\System32\\icacls.exe',
      args: ['C:\\ProgramData\\Portcullis', '/setowner', '*S-1-5-32-544', '/Q'],
    });
    expect(acl?.args).toEqual([
      'C:\\ProgramData\\Portcullis',
      '/inheritance:r',
      '/grant:r',
      '*S-1-5-32-544:(OI)(CI)F',
      '*S-1-5-18:(OI)(CI)F',
      '/Q',
    ]);
    // Users (S-1-5-32-545), Authenticated Users (S-1-5-11) and Everyone (S-1-1-0) get nothing.
    expect(acl?.args.join(' ')).not.toMatch(/S-1-5-32-545|S-1-5-11|S-1-1-0/);
  });

  it('is created, and every icacls call is made by absolute path', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'portcullis-acl-')), 'Portcullis');
    const calls: string[] = [];
    await secureDataFolder(
      dir,
      async (file) => {
        calls.push(file);
        return { code: 0, stdout: 'Successfully processed 1 files', stderr: '' };
      },
      'C:\\Windows',
    );
    expect(existsSync(dir)).toBe(true);
    expect(calls).toEqual(['C:\\Windows\\System32\\icacls.exe', 'C:\\Windows\\System32\\icacls.exe']);
  });

  it('refuses a folder it cannot restrict, naming the call and what to do', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'portcullis-acl-')), 'Portcullis');
    const attempt = secureDataFolder(
      dir,
      async () => ({ code: 5, stdout: '', stderr: 'Access is denied.' }),
      'C:\\Windows',
    );
    await expect(attempt).rejects.toBeInstanceOf(DataFolderError);
    await expect(attempt).rejects.toThrow(
      /icacls failed \(exit code 5\).*Access is denied.*Run Portcullis as administrator/,
    );
  });
});
