// Windows without elevation: explain, and restart elevated through a UAC prompt when the user agrees.
import { describe, expect, it, vi } from 'vitest';
import { isElevated, offerElevation, powershellPath, runAsAdminCommand } from '../../../electron/main/elevation';

describe('elevation', () => {
  it('is checked only on Windows, by asking Windows whether the process is an administrator', async () => {
    const run = vi.fn(async () => 1);
    expect(await isElevated({ platform: 'linux', run })).toBe(true);
    expect(run).not.toHaveBeenCalled();
    expect(await isElevated({ platform: 'win32', run })).toBe(false);
    // Never a bare name: Node would look for it in the current folder first.
    expect(powershellPath()).toBe('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
    expect(run).toHaveBeenCalledWith(
      powershellPath(),
      expect.arrayContaining([expect.stringContaining('Administrator')]),
    );
  });

  it('restarts the same executable with the same arguments, quoted for PowerShell', () => {
    const args = runAsAdminCommand('C:\\Program Files\\Portcullis\\Portcullis.exe', ["C:\\O'Brien\\app", '--hidden']);
    expect(args.at(-1)).toBe(
      "Start-Process -FilePath 'C:\\Program Files\\Portcullis\\Portcullis.exe' " +
        "-ArgumentList 'C:\\O''Brien\\app','--hidden' -Verb RunAs",
    );
  });

  it('starts the elevated copy only when the user chooses to, and reports a declined prompt', async () => {
    const run = vi.fn(async () => 0);
    const choose = (response: number) => vi.fn(async (_options: { message: string }) => ({ response }));

    const quit = choose(1);
    expect(await offerElevation({ showMessageBox: quit, run }, 'C:\\P.exe', [])).toBe(false);
    expect(run).not.toHaveBeenCalled();

    expect(await offerElevation({ showMessageBox: choose(0), run }, 'C:\\P.exe', [])).toBe(true);
    expect(run).toHaveBeenCalledWith(powershellPath(), runAsAdminCommand('C:\\P.exe', []));

    const declined = choose(0);
    expect(await offerElevation({ showMessageBox: declined, run: async () => 1 }, 'C:\\P.exe', [])).toBe(false);
    expect(declined).toHaveBeenCalledTimes(2);
    expect(declined.mock.calls[1]![0]).toMatchObject({ message: expect.stringContaining('did not start') });
  });
});
