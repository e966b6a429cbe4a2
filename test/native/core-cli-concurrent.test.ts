// The window and `portcullis` at the same time on one data folder, through the real native layer: what the CLI
// changes, the running core takes in (UI delta, status, WFP by enumeration), and neither overwrites the other.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DeltaBatch, Rule } from '../../electron/core/model';
import { cliInProcess } from './core/cli';
import { enumerateOurs, outbound, useCoreOnSimulator, waitFor } from './core/support';

const TOOL = 'C:\\Apps\\tool.exe'; // blocked by the baseline's Windows Firewall rule
// Our allows are soft; one for tool.exe must say it overrides Windows Firewall.
const OVERRIDE = { direction: 'out', overridesWindowsFirewall: true } as const;
const GAME = 'C:\\Apps\\game.exe';
const { sim, startCore } = useCoreOnSimulator();

async function cli(dataDir: string, ...argv: string[]): Promise<string> {
  const { code, out, err } = await cliInProcess(argv, dataDir);
  expect(err).toBe('');
  expect(code).toBe(0);
  return out;
}

function rulesOnDisk(dataDir: string): Rule[] {
  return (JSON.parse(readFileSync(join(dataDir, 'rules.json'), 'utf8')) as { rules: Rule[] }).rules;
}

/** Filters of ours per rule id, as WFP enumerates them. */
async function filtersByRule(): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const f of (await enumerateOurs()).filters) {
    const id = /^r:(.+):[0-9a-f]{10}$/.exec(f.tag ?? '')?.[1];
    if (id) out.set(id, (out.get(id) ?? 0) + 1);
  }
  return out;
}

describe('the running core and the CLI on one data folder (simulator)', () => {
  it('sees a rule the CLI adds (fs.watch), keeps it when adding its own, and WFP holds both once', async () => {
    // Poll off: only the folder watch can tell the core.
    const { core, dataDir } = await startCore(undefined, { dataFolderWatch: { pollMs: 0, debounceMs: 50 } });
    const deltas: DeltaBatch[] = [];
    core.onDelta((d) => deltas.push(d));
    expect(sim.connect(outbound(TOOL)).action).toBe('block');

    const out = await cli(dataDir, 'rules', 'allow', TOOL, '--override-windows-firewall');
    const cliRule = /\(rule ([\w-]+)\)/.exec(out)?.[1] ?? '';
    await waitFor(() => core.status().rules === 1, 5_000, 'the core to take in the CLI rule');
    core.flush();
    expect(deltas.flatMap((d) => d.rules ?? [])).toEqual([expect.objectContaining({ id: cliRule, action: 'allow' })]);
    expect(sim.connect(outbound(TOOL)).action).toBe('permit');
    // Outbound v4 and v6, once each: the core enumerated what the CLI added instead of adding its own copies.
    expect(await filtersByRule()).toEqual(new Map([[cliRule, 2]]));

    const own = await core.ruleForPath(GAME, 'block', 'user');
    expect(
      rulesOnDisk(dataDir)
        .map((r) => r.id)
        .sort(),
    ).toEqual([cliRule, own.id].sort());
    expect(await filtersByRule()).toEqual(
      new Map([
        [cliRule, 2],
        [own.id, 2],
      ]),
    );

    // The CLI sees the core's rule too, and its removal reaches the core and WFP.
    expect(await cli(dataDir, 'rules', 'list')).toContain(own.id);
    await cli(dataDir, 'rules', 'remove', cliRule);
    await waitFor(() => core.status().rules === 1, 5_000, 'the core to take in the removal');
    expect(await filtersByRule()).toEqual(new Map([[own.id, 2]]));
    expect(sim.connect(outbound(TOOL)).action).toBe('block');
  });

  it('picks up a mode the CLI sets (poll only): status and filters follow, Off leaves none', async () => {
    const { core, dataDir } = await startCore(undefined, { dataFolderWatch: { fsWatch: false, pollMs: 100 } });
    await core.ruleForPath(TOOL, 'allow', 'user', OVERRIDE);
    expect(sim.connect(outbound('C:\\Apps\\unknown.exe')).action).toBe('permit');

    await cli(dataDir, 'mode', 'enforce');
    await waitFor(() => core.status().mode === 'enforce', 5_000, 'enforce in status');
    expect(core.snapshot().settings.mode).toBe('enforce');
    expect(sim.connect(outbound('C:\\Apps\\unknown.exe')).action).toBe('block');
    expect(sim.connect(outbound(TOOL)).action).toBe('permit');
    const enforcing = (await enumerateOurs()).filters;
    expect(new Set(enforcing.map((f) => `${f.tag}|${f.layerKey}`)).size).toBe(enforcing.length); // no duplicates

    // The core's own change next: it reconciles on top of what the CLI left, then the CLI switches everything off.
    await core.handlers['settings.update']({ patch: { activityLogSize: 300 } });
    expect(JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8'))).toMatchObject({
      mode: 'enforce',
      activityLogSize: 300,
    });
    await cli(dataDir, 'mode', 'off');
    await waitFor(() => core.status().mode === 'off', 5_000, 'off in status');
    expect((await enumerateOurs()).filters).toEqual([]);
  });

  it('a garbage rules.json written by another process is reported and does not wipe the running rules', async () => {
    const { core, dataDir } = await startCore(undefined, { dataFolderWatch: { debounceMs: 50, pollMs: 200 } });
    const rule = await core.ruleForPath(TOOL, 'allow', 'user', OVERRIDE);
    const before = await filtersByRule();
    writeFileSync(join(dataDir, 'rules.json'), 'garbage');
    await waitFor(
      () =>
        core.status().notices.some((n) => n.level === 'warning' && /rules\.json.*could not be read/.test(n.message)),
      5_000,
      'the warning',
    );
    expect(core.status().rules).toBe(1);
    expect(await filtersByRule()).toEqual(before);
    expect(sim.connect(outbound(TOOL)).action).toBe('permit');
    expect(rulesOnDisk(dataDir).map((r) => r.id)).toEqual([rule.id]);
    // The CLI reads the same good rules.
    expect(await cli(dataDir, 'rules', 'list')).toContain(rule.id);
  });

  it('read-only commands leave WFP alone, even filters of rules they have not read', async () => {
    const { core } = await startCore();
    await core.handlers['rules.create']({
      appKey: `path:${TOOL.toLowerCase()}`,
      action: 'allow',
      direction: 'out',
      overridesWindowsFirewall: true,
      duration: { kind: 'forever' },
    });
    const before = await filtersByRule();
    expect(before.size).toBe(1);
    // Another data folder stands for a rules file read a moment before the app's rule reached it.
    const stale = mkdtempSync(join(tmpdir(), 'portcullis-stale-'));
    for (const argv of [['status'], ['rules', 'list'], ['export'], ['mode']]) await cli(stale, ...argv);
    expect(await filtersByRule()).toEqual(before);
    expect(sim.connect(outbound(TOOL)).action).toBe('permit');
  });
});
