// `npm run smoke:windows -- --simulator`: the real-PC walk-through, every step against the simulator. On a real
// machine the same steps meet WFP itself; here they keep the script honest (it must pass where the simulator agrees
// with Windows, step by step, and say which step failed otherwise).
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '..', '..');

describe('npm run smoke:windows -- --simulator', () => {
  it('walks all twenty steps: outbound and inbound block and allow, directions, Windows Firewall kept, nothing left', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(repo, 'scripts', 'smoke-windows.ts'), '--simulator'],
      {
        encoding: 'utf8',
        timeout: 90_000,
        env: { ...process.env, PORTCULLIS_SIM_STATE: '' },
      },
    );
    expect(run.stdout).not.toMatch(/FAILED/);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const steps = run.stdout.split('\n').filter((l) => /^\[\s*\d+\/20\] .*: ok/.test(l));
    expect(steps).toHaveLength(20);
    expect(run.stdout).toMatch(
      /reported inbound \(receive\/accept layer\): ok - local port 8089, layer recv-accept, direction in/,
    );
    expect(run.stdout).toMatch(/still blocked, by Windows Firewall: ok/);
  });
});
