// Windows without elevation: explain, and restart elevated through a UAC prompt when the user agrees. The check is
// the token's elevation (no PowerShell), so Constrained Language Mode cannot make it loop on "needs administrator".
import { describe, expect, it, vi } from 'vitest';
import { isElevated, offerElevation } from '../../../electron/main/elevation';

describe('elevation', () => {
  it('is checked only on Windows, from the token, without starting any program', () => {
    const isElevatedToken = vi.fn(() => false);
    expect(isElevated({ platform: 'linux', isElevated: isElevatedToken })).toBe(true);
    expect(isElevatedToken).not.toHaveBeenCalled();
    expect(isElevated({ platform: 'win32', isElevated: isElevatedToken })).toBe(false);
    expect(isElevated({ platform: 'win32', isElevated: () => true })).toBe(true);
  });

  it('starts the elevated copy only when the user chooses to, and reports a declined prompt', async () => {
    const relaunchElevated = vi.fn(() => true);
    const choose = (response: number) => vi.fn(async (_options: { message: string }) => ({ response }));

    expect(await offerElevation({ showMessageBox: choose(1), relaunchElevated }, 'C:\\P.exe', [])).toBe(false);
    expect(relaunchElevated).not.toHaveBeenCalled();

    expect(await offerElevation({ showMessageBox: choose(0), relaunchElevated }, 'C:\\P.exe', ['--x'])).toBe(true);
    expect(relaunchElevated).toHaveBeenCalledWith('C:\\P.exe', ['--x']);

    const declined = choose(0);
    expect(await offerElevation({ showMessageBox: declined, relaunchElevated: () => false }, 'C:\\P.exe', [])).toBe(
      false,
    );
    expect(declined).toHaveBeenCalledTimes(2);
    expect(declined.mock.calls[1]![0]).toMatchObject({ message: expect.stringContaining('did not start') });
  });
});
