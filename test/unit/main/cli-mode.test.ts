import { describe, expect, it, vi } from 'vitest';
import { cliArguments, runCliMode } from '../../../electron/main/cli-mode';

describe('Portcullis.exe --cli', () => {
  it('passes the arguments after --cli to the CLI and exits with its code', async () => {
    const exit = vi.fn();
    const runCli = vi.fn(async () => 3);
    const handled = await runCliMode(['C:\\Program Files\\Portcullis\\Portcullis.exe', '--cli', 'reset', '--json'], {
      exit,
      runCli,
      log: vi.fn(),
    });
    expect(handled).toBe(true);
    expect(runCli).toHaveBeenCalledWith(['reset', '--json']);
    expect(exit).toHaveBeenCalledWith(3);
  });

  it('leaves a normal start alone', async () => {
    const exit = vi.fn();
    const runCli = vi.fn(async () => 0);
    expect(await runCliMode(['Portcullis.exe', '--hidden'], { exit, runCli, log: vi.fn() })).toBe(false);
    expect(runCli).not.toHaveBeenCalled();
    expect(exit).not.toHaveBeenCalled();
  });

  it('exits non-zero when the CLI itself throws, so the uninstaller can warn', async () => {
    const exit = vi.fn();
    const log = vi.fn();
    await runCliMode(['Portcullis.exe', '--cli', 'reset'], {
      exit,
      runCli: async () => {
        throw new Error('fwpuclnt.dll missing');
      },
      log,
    });
    expect(exit).toHaveBeenCalledWith(1);
    expect(log).toHaveBeenCalled();
    expect(cliArguments(['x', '--cli'])).toEqual([]);
  });
});
