// The app and the `portcullis` command on one data folder: what one writes, the other takes in, and neither
// overwrites the other's change.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/core/cli/run';
import type { DeltaBatch, Rule } from '../../../electron/core/model';
import { settle, startCore, type Harness } from './support/core-harness';

const POLL_MS = 1_000;

async function app(): Promise<Harness> {
  // fs.watch off: the poll on manual time decides exactly when the app looks.
  return startCore({ dataFolderWatch: { fsWatch: false, pollMs: POLL_MS } });
}

/** The CLI as a second process: its own core on the same folder and the same WFP. */
async function cli(h: Harness, ...argv: string[]): Promise<string> {
  let out = '';
  let err = '';
  const code = await runCli(
    argv,
    { stdout: (t) => (out += t), stderr: (t) => (err += t) },
    {
      backend: () => h.backend,
      dataDir: h.dataDir,
    },
  );
  expect(err).toBe('');
  expect(code).toBe(0);
  return out;
}

async function poll(h: Harness): Promise<void> {
  h.time.advance(POLL_MS);
  await settle();
  h.core.flush();
}

function rulesOnDisk(h: Harness): Rule[] {
  return (JSON.parse(readFileSync(join(h.dataDir, 'rules.json'), 'utf8')) as { rules: Rule[] }).rules;
}

function deltaRules(deltas: readonly DeltaBatch[]): Rule[] {
  return deltas.flatMap((d) => d.rules ?? []);
}

function notices(h: Harness): string[] {
  return h.core.status().notices.map((n) => n.message);
}

describe('changes made by another process on the same data folder', () => {
  it('a rule the CLI adds reaches the running app: status, UI delta and WFP, without duplicate filters', async () => {
    const h = await app();
    const out = await cli(h, 'rules', 'allow', 'C:\\Apps\\tool.exe');
    const id = /\(rule ([\w-]+)\)/.exec(out)?.[1] ?? '';
    expect(h.core.status().rules).toBe(0); // not looked yet

    h.deltas.length = 0;
    await poll(h);
    expect(h.core.status().rules).toBe(1);
    expect(deltaRules(h.deltas)).toEqual([expect.objectContaining({ id, action: 'allow', decidedBy: 'cli' })]);
    expect(notices(h).join('\n')).toMatch(/Rules were changed outside this window.*1 added or changed, 0 removed/);
    // The CLI put the filters in; the app enumerated and kept them rather than adding a second pair.
    expect(h.backend.withTag(`r:${id}:`)).toHaveLength(2);

    // And the CLI's removal goes the same way.
    await cli(h, 'rules', 'remove', id);
    h.deltas.length = 0;
    await poll(h);
    expect(h.core.status().rules).toBe(0);
    expect(h.deltas.flatMap((d) => d.removedRules ?? [])).toEqual([id]);
    expect(h.backend.withTag('r:')).toEqual([]);
    await h.core.stop();
  });

  it("the app's own change right after the CLI's keeps the CLI's rule in rules.json (no lost update)", async () => {
    const h = await app();
    await cli(h, 'rules', 'allow', 'C:\\Apps\\from-cli.exe');
    // No poll in between: the app has not noticed yet when the user clicks.
    await h.core.ruleForPath('C:\\Apps\\from-window.exe', 'block', 'user');
    expect(
      rulesOnDisk(h)
        .map((r) => r.app.path)
        .sort(),
    ).toEqual(['C:\\Apps\\from-cli.exe', 'C:\\Apps\\from-window.exe']);
    expect(h.core.status().rules).toBe(2);
    expect(h.backend.withTag('r:')).toHaveLength(4);
    // A later start on the folder restores both.
    await h.core.stop();
    const again = await startCore({ dataDir: h.dataDir, backend: h.backend });
    expect(again.core.status().rules).toBe(2);
    expect(again.backend.withTag('r:')).toHaveLength(4);
    await again.core.stop();
  });

  it('a mode switched by the CLI is picked up: status, settings delta, filters reconciled', async () => {
    const h = await app();
    await h.core.ruleForPath('C:\\Apps\\tool.exe', 'allow');
    expect(h.backend.withTag('d:')).toEqual([]);
    await cli(h, 'mode', 'enforce');
    h.deltas.length = 0;
    await poll(h);
    expect(h.core.status().mode).toBe('enforce');
    expect(h.deltas.some((d) => d.settings?.mode === 'enforce')).toBe(true);
    expect(notices(h).join('\n')).toMatch(/Settings were changed outside this window: mode is now enforce/);
    expect(h.backend.withTag('d:').length).toBeGreaterThan(0);
    expect(h.backend.withTag('e:').length).toBeGreaterThan(0);

    // The app changes another setting: the file keeps the CLI's mode.
    await h.core.handlers['settings.update']({ patch: { activityLogSize: 200 } });
    const onDisk = JSON.parse(readFileSync(join(h.dataDir, 'settings.json'), 'utf8')) as Record<string, unknown>;
    expect(onDisk).toMatchObject({ mode: 'enforce', activityLogSize: 200 });

    // Off from the CLI: the app's picture of WFP follows (it enumerates), nothing of ours is left.
    await cli(h, 'mode', 'off');
    await poll(h);
    expect(h.core.status().mode).toBe('off');
    expect(h.backend.filters.size).toBe(0);
    await h.core.stop();
  });

  it('garbage written to rules.json is reported, set aside, and does not wipe the running rules', async () => {
    const h = await app();
    await h.core.ruleForPath('C:\\Apps\\keep.exe', 'allow');
    const filters = [...h.backend.filters.keys()];
    writeFileSync(join(h.dataDir, 'rules.json'), '{"schemaVersion":1,"rules":[{"id":');
    await poll(h);
    expect(notices(h).join('\n')).toMatch(
      /rules\.json was changed by another program but could not be read \(not valid JSON.*moved to rules\.json\.corrupt-.*version in use was kept/,
    );
    expect(h.core.status().rules).toBe(1);
    expect([...h.backend.filters.keys()]).toEqual(filters);
    // The file is whole again for the next reader, and the garbage is kept for inspection.
    expect(rulesOnDisk(h).map((r) => r.app.path)).toEqual(['C:\\Apps\\keep.exe']);
    expect(readdirSync(h.dataDir).some((n) => n.startsWith('rules.json.corrupt-'))).toBe(true);
    // Reported once, not at every look.
    await poll(h);
    expect(notices(h).filter((n) => n.includes('could not be read'))).toHaveLength(1);
    await h.core.stop();
  });

  it('settings.json that breaks the schema is refused the same way; the mode stays', async () => {
    const h = await app();
    await h.core.handlers['mode.set']({ mode: 'learning' });
    const path = join(h.dataDir, 'settings.json');
    const good = readFileSync(path, 'utf8');
    writeFileSync(path, good.replace('"learning"', '"loud"'));
    await poll(h);
    expect(notices(h).join('\n')).toMatch(
      /settings\.json was changed by another program but could not be read \(invalid at mode/,
    );
    expect(h.core.status().mode).toBe('learning');
    expect(readFileSync(path, 'utf8')).toBe(good);
    await h.core.stop();
  });

  it("the app's own writes never count as someone else's", async () => {
    const h = await app();
    await h.core.ruleForPath('C:\\Apps\\one.exe', 'allow');
    await h.core.handlers['mode.set']({ mode: 'enforce' });
    const transactions = h.backend.transactions;
    h.core.flush();
    h.deltas.length = 0;
    await poll(h);
    await poll(h);
    expect(notices(h).some((n) => n.includes('outside this window'))).toBe(false);
    expect(deltaRules(h.deltas)).toEqual([]);
    expect(h.backend.transactions).toBe(transactions);
    await h.core.stop();
  });

  it('the data folder is watched only while started; a stopped core leaves no timer behind', async () => {
    const h = await app();
    await h.core.stop();
    expect(h.time.timerCount).toBe(0);
    await cli(h, 'rules', 'allow', 'C:\\Apps\\later.exe');
    h.time.advance(POLL_MS * 5);
    await settle();
    expect(h.core.status().rules).toBe(0);
    expect(existsSync(join(h.dataDir, 'rules.json'))).toBe(true);
  });
});
