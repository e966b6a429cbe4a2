// PORTCULLIS_SIM_STATE: separate processes see one WFP state, as every program on a PC talks to the one Base
// Filtering Engine; persistent objects outlive the process that added them; two processes writing at once lose
// nothing (transactions are serialised machine-wide, as BFE does).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliProgram } from './core/cli.js';
import { FWPM_NET_EVENT_KEYWORD } from '../../native/wfp/constants.js';
import { runFixture } from './fixtures/child.js';

async function run(args: string[], env: Record<string, string>) {
  const r = await runFixture('sim-state-child.ts', args, 60_000, env);
  return { code: r.code, out: r.stdout, err: r.stderr };
}

async function json<T>(args: string[], env: Record<string, string>): Promise<T> {
  const r = await run(args, env);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out.trim().split('\n').pop()!) as T;
}

const freshState = () => ({
  PORTCULLIS_SIM_STATE: join(mkdtempSync(join(tmpdir(), 'portcullis-sim-state-')), 'bfe.state'),
});

describe('PORTCULLIS_SIM_STATE: one engine state for several processes', () => {
  it('a filter one process added persistently blocks in another, with the same runtime id', async () => {
    const env = freshState();
    const { ids } = await json<{ ids: number[] }>(['add', 'C:\\Apps\\game.exe'], env);
    expect(ids).toHaveLength(2); // IPv4 and IPv6
    const verdict = await json<{ action: string; filterId: number }>(['connect', 'C:\\Apps\\game.exe'], env);
    expect(verdict).toEqual({ action: 'block', filterId: ids[0] });
    const listed = await json<{ id: number; name: string }[]>(['list'], env);
    expect(listed.map((f) => f.id)).toEqual(ids);
    // Without the shared state each process starts from a fresh machine.
    const alone = await json<{ action: string }>(['connect', 'C:\\Apps\\game.exe'], {});
    expect(alone.action).toBe('permit');
  });

  it('engine options set by one process are seen by the next', async () => {
    const env = freshState();
    expect(await json<number>(['keywords'], env)).toBe(0);
    await json(['set-keywords', '20'], env);
    expect(await json<number>(['keywords'], env)).toBe(20);
  });

  it('two processes adding filters at the same time lose none of them', async () => {
    const env = freshState();
    const [a, b] = await Promise.all([
      json<{ ids: number[] }>(['add', 'C:\\Apps\\a.exe', '15'], env),
      json<{ ids: number[] }>(['add', 'C:\\Apps\\b.exe', '15'], env),
    ]);
    const all = [...a.ids, ...b.ids];
    expect(new Set(all).size).toBe(60); // 30 filters, v4 and v6: no runtime id handed out twice
    const listed = await json<{ id: number }[]>(['list'], env);
    expect(listed.map((f) => f.id).sort((x, y) => x - y)).toEqual(all.sort((x, y) => x - y));
  });

  it('allow events a process killed in Learning left collected are turned off by the next start', async () => {
    const env = {
      ...freshState(),
      PORTCULLIS_DATA_DIR: join(mkdtempSync(join(tmpdir(), 'portcullis-state-data-')), 'data'),
    };
    const allow = FWPM_NET_EVENT_KEYWORD.CLASSIFY_ALLOW | FWPM_NET_EVENT_KEYWORD.CAPABILITY_ALLOW;
    const learning = await cliProgram(['mode', 'learning'], env, 60_000);
    expect(learning.code, learning.err).toBe(0);
    // That command restored what it turned on when it ended.
    expect((await json<number>(['keywords'], env)) & allow).toBe(0);

    const killed = await runFixture('killed-after-start.ts', [], 60_000, env);
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.stdout).toContain('"mode":"learning"');
    // BFE keeps collecting every allowed connection: nobody restored.
    expect((await json<number>(['keywords'], env)) & allow).toBe(allow);

    const monitor = await cliProgram(['mode', 'monitor'], env, 60_000);
    expect(monitor.code, monitor.err).toBe(0);
    expect((await json<number>(['keywords'], env)) & allow).toBe(0);
  });

  it('`portcullis mode enforce` in one process is the firewall every other process meets', async () => {
    const env = {
      ...freshState(),
      PORTCULLIS_DATA_DIR: join(mkdtempSync(join(tmpdir(), 'portcullis-state-data-')), 'data'),
    };
    const mode = await cliProgram(['mode', 'enforce'], env, 60_000);
    expect(mode.code, mode.err).toBe(0);
    const unknown = await json<{ action: string; filterId: number }>(['connect', 'C:\\Apps\\never-seen.exe'], env);
    expect(unknown.action).toBe('block');
    const ours = await json<{ id: number; name: string }[]>(['list'], env);
    expect(ours.map((f) => f.id)).toContain(unknown.filterId);
  });
});
