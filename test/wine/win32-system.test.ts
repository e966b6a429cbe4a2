// native/win32/system.ts against Windows' own DLLs (Wine's kernel32, shell32, advapi32, wtsapi32, user32 in the
// Windows ABI lane): the folders, the token, the signed-in account and the notification state the elevated app
// reads instead of the environment, PowerShell or whoami's text.
import { describe, expect, it } from 'vitest';
import { FOLDERID, QUNS, windowsSystem } from '../../native/win32/system.js';

const system = windowsSystem();

describe('Windows system functions through koffi', () => {
  it('finds System32 and the known folders from Windows, not from the environment', () => {
    const system32 = system.systemDirectory();
    expect(system32).toMatch(/^[A-Z]:\\windows\\system32$/i);
    expect(system.knownFolder(FOLDERID.Windows).toLowerCase()).toBe(system32.toLowerCase().replace(/\\system32$/, ''));
    expect(system.knownFolder(FOLDERID.ProgramData)).toMatch(/^[A-Z]:\\ProgramData$/i);
    expect(system.knownFolder(FOLDERID.ProgramFiles)).toMatch(/^[A-Z]:\\Program Files$/i);
    expect(system.knownFolder(FOLDERID.ProgramFilesX86)).toMatch(/^[A-Z]:\\Program Files \(x86\)$/i);
    expect(() => system.knownFolder('00000000-0000-0000-0000-000000000001')).toThrow(/SHGetKnownFolderPath failed/);
  });

  it('reads the token: elevation as a boolean and the account as a SID', () => {
    expect(typeof system.isElevated()).toBe('boolean');
    const token = system.tokenUser();
    expect(token.sid).toMatch(/^S-1-5-\d+(-\d+)*$/);
  });

  it("names the session's account and finds its SID by name (what the logon task is registered for)", () => {
    const user = system.sessionUser();
    expect(user.sid).toMatch(/^S-1-5-\d+(-\d+)*$/);
    expect(user.name).toContain('\\');
    // Same person in the lane: the session's account is the token's.
    expect(user.sid).toBe(system.tokenUser().sid);
  });

  it('reports the notification state and the small-icon size', () => {
    expect(Object.values(QUNS)).toContain(system.notificationState());
    expect([16, 20, 24, 32]).toContain(system.smallIconSize());
  });

  it('reads the machine PATH from the registry with its type', () => {
    const path = system.readMachinePath();
    expect(path.value.toLowerCase()).toContain('system32');
    expect(typeof path.expand).toBe('boolean');
  });
});
