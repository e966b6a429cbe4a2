// Two stores on one file, each unaware of the other's latest change until it saves: the save merges instead of
// overwriting (the moment between one process's look and its write).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppIdentity, Settings } from '../../../electron/core/model';
import { JsonFile } from '../../../electron/core/persistence/json-file';
import {
  emptyRulesDocument,
  RuleStore,
  type ExternalRules,
  type RuleDraft,
} from '../../../electron/core/rules/rule-store';
import { rulesDocumentSchema } from '../../../electron/core/rules/schema';
import { defaultSettings, settingsSchema } from '../../../electron/core/settings/schema';
import { SettingsStore } from '../../../electron/core/settings/settings-store';

const clock = { now: () => Date.UTC(2025, 2, 1, 8, 30, 0) };

function app(path: string): AppIdentity {
  return { key: `path:${path.toLowerCase()}`, kind: 'path', displayName: path, path };
}

function draft(path: string, action: 'allow' | 'block' = 'allow'): RuleDraft {
  return { app: app(path), action, direction: 'out', duration: { kind: 'forever' }, source: 'user' };
}

function ruleStore(dir: string, prefix: string, merged: ExternalRules[] = []): RuleStore {
  let n = 0;
  const file = new JsonFile(join(dir, 'rules.json'), rulesDocumentSchema, emptyRulesDocument, clock);
  return new RuleStore(
    file,
    clock,
    () => `${prefix}${++n}`,
    (e) => merged.push(e),
  );
}

function pathsOnDisk(dir: string): string[] {
  const doc = JSON.parse(readFileSync(join(dir, 'rules.json'), 'utf8')) as { rules: { app: { path: string } }[] };
  return doc.rules.map((r) => r.app.path).sort();
}

describe('saving on top of another process’s change', () => {
  it('rules added, removed and edited on both sides are all kept, merged by id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-merge-'));
    const merged: ExternalRules[] = [];
    const a = ruleStore(dir, 'a', merged);
    a.load();
    await a.add([draft('C:\\shared.exe'), draft('C:\\gone.exe')]);
    const b = ruleStore(dir, 'b');
    b.load();

    await b.add([draft('C:\\from-b.exe')]);
    await b.remove([b.findByMatch('path:c:\\gone.exe|out|*|*|*')!.id]);
    // A still has gone.exe; it only records a hit on it, then adds a rule of its own.
    a.hit(a.findByMatch('path:c:\\gone.exe|out|*|*|*')!.id, clock.now());
    const shared = a.findByMatch('path:c:\\shared.exe|out|*|*|*')!;
    await a.update(shared.id, { note: 'edited in the window' });

    expect(pathsOnDisk(dir)).toEqual(['C:\\from-b.exe', 'C:\\shared.exe']);
    expect(
      a
        .all()
        .map((r) => r.app.path)
        .sort(),
    ).toEqual(['C:\\from-b.exe', 'C:\\shared.exe']);
    expect(a.get(shared.id)?.note).toBe('edited in the window');
    expect(merged).toHaveLength(1);
    expect(merged[0]?.change?.upserted.map((r) => r.app.path)).toEqual(['C:\\from-b.exe']);
    expect(merged[0]?.change?.removed).toHaveLength(1);
  });

  it('both sides allowing the same app leave one rule, not two', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-merge-'));
    const a = ruleStore(dir, 'a');
    a.load();
    const b = ruleStore(dir, 'b');
    b.load();
    await b.add([draft('C:\\same.exe')]);
    await a.add([draft('C:\\same.exe', 'block')]);
    const doc = JSON.parse(readFileSync(join(dir, 'rules.json'), 'utf8')) as {
      rules: { id: string; action: string }[];
    };
    expect(doc.rules).toEqual([expect.objectContaining({ id: 'a1', action: 'block' })]);
  });

  it('rules that last until restart stay in memory across a merge and never reach the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-merge-'));
    const a = ruleStore(dir, 'a');
    a.load();
    await a.add([{ ...draft('C:\\once.exe'), duration: { kind: 'untilRestart' } }]);
    const b = ruleStore(dir, 'b');
    b.load();
    await b.add([draft('C:\\b.exe')]);
    expect(a.syncFromDisk().change?.upserted.map((r) => r.app.path)).toEqual(['C:\\b.exe']);
    expect(
      a
        .all()
        .map((r) => r.app.path)
        .sort(),
    ).toEqual(['C:\\b.exe', 'C:\\once.exe']);
    expect(a.syncFromDisk()).toEqual({});
    await a.add([draft('C:\\a.exe')]);
    expect(pathsOnDisk(dir)).toEqual(['C:\\a.exe', 'C:\\b.exe']);
  });

  it('settings: each side keeps the fields it changed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-merge-'));
    const open = () =>
      new SettingsStore(
        new JsonFile(join(dir, 'settings.json'), settingsSchema, defaultSettings, clock),
        (s: Settings) => s,
      );
    const a = open();
    const mine = a.load().value;
    a.save(mine);
    const b = open();
    const theirs = b.load().value;
    b.save({ ...theirs, mode: 'enforce' });
    const result = a.save({ ...mine, activityLogSize: 300 });
    expect(result.saved).toMatchObject({ mode: 'enforce', activityLogSize: 300 });
    expect(result.next?.mode).toBe('enforce');
    const onDisk = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as Settings;
    expect(onDisk).toMatchObject({ mode: 'enforce', activityLogSize: 300 });
    // Both changed the same field: the one saving now wins.
    b.save({ ...b.load().value, activityLogSize: 400 });
    expect(a.save({ ...result.saved, activityLogSize: 500 }).saved.activityLogSize).toBe(500);
  });
});

describe('the comparable form of a rule', () => {
  it('is the stable JSON without lastHit, for every field a rule can hold', async () => {
    const { ruleForm, RULE_FORM_KEYS } = await import('../../../electron/core/rules/rule-merge');
    const { stableJson } = await import('../../../electron/core/persistence/three-way-merge');
    const { ruleSchema } = await import('../../../electron/core/rules/schema');
    // Every field of the schema is in the list (a field missing from it would make its changes invisible to merges).
    for (const key of Object.keys(ruleSchema.in.shape)) if (key !== 'lastHit') expect(RULE_FORM_KEYS).toContain(key);
    const full = ruleSchema.parse({
      id: 'r1',
      app: { key: 'service:dnscache', kind: 'service', displayName: 'DNS', serviceName: 'Dnscache', path: 'C:\\x.exe' },
      action: 'allow',
      direction: 'both',
      protocol: 17,
      localPort: 53,
      remotePort: 53,
      remoteAddress: '192.0.2.0/24',
      overridesWindowsFirewall: true,
      duration: { kind: 'until', until: 1_800_000_000_000 },
      created: 5,
      source: 'import',
      note: 'n',
      lastHit: 9,
      decidedBy: 'cli',
    });
    const pkg = ruleSchema.parse({
      id: 'r2',
      app: {
        key: 'package:S-1-15-2-1-2-3-4-5-6-7',
        kind: 'package',
        displayName: 'P',
        packageSid: 'S-1-15-2-1-2-3-4-5-6-7',
        ntPath: '\\device\\x',
      },
      action: 'block',
      direction: 'out',
      duration: { kind: 'forever' },
      created: 0,
      source: 'user',
    });
    for (const rule of [full, pkg]) {
      expect(ruleForm(rule)).toBe(stableJson({ ...rule, lastHit: undefined }));
      expect(ruleForm({ ...rule, lastHit: 123 })).toBe(ruleForm(rule));
    }
  });
});
