// A process that is not elevated: Windows opens its session and refuses the privileged calls. The app, the CLI and
// `npm run smoke:windows` all say the same sentence about it, at open, instead of failing later on some call.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPortcullisCore } from '../../electron/core';
import { createNativeBackend } from '../../electron/core/backend/native';
import { runCli } from '../../electron/core/cli/run';
import { simulator } from './helpers';

const { sim } = simulator();
const repo = resolve(import.meta.dirname, '..', '..');
const SENTENCE =
  'FwpmEngineGetOption0 (the engine session opened, but this process is not elevated) failed: ERROR_ACCESS_DENIED ' +
  '(0x00000005). Run Portcullis as administrator: changing or watching the firewall needs elevation.';

afterEach(() => sim.setElevated(true));

describe('not elevated: one clear sentence everywhere', () => {
  it('the app (core start) refuses with it', async () => {
    sim.setElevated(false);
    const core = createPortcullisCore({
      backend: createNativeBackend(),
      dataDir: mkdtempSync(join(tmpdir(), 'portcullis-unelevated-')),
      resolver: { reverse: () => Promise.reject(new Error('offline')) },
    });
    await expect(core.start()).rejects.toThrow(SENTENCE);
    await core.stop().catch(() => undefined);
  });

  it('the CLI prints it', async () => {
    sim.setElevated(false);
    let err = '';
    const code = await runCli(
      ['mode', 'enforce'],
      { stdout: () => undefined, stderr: (t) => (err += t) },
      {
        backend: () => createNativeBackend(),
        dataDir: mkdtempSync(join(tmpdir(), 'portcullis-unelevated-cli-')),
      },
    );
    expect(code).not.toBe(0);
    expect(err).toBe(`portcullis: ${SENTENCE}\n`);
  });

  it('npm run smoke:windows (against the simulator, started not elevated) prints it at the open step', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(repo, 'scripts', 'smoke-windows.ts'), '--simulator'],
      {
        env: { ...process.env, PORTCULLIS_SIM_ELEVATED: '0' },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/Open a session for the engine options .*: FAILED\n {8}(.*)\n/);
    expect(/: FAILED\n {8}(.*)\n/.exec(run.stdout)![1]).toBe(SENTENCE);
  });
});
