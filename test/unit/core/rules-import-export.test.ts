import { describe, expect, it } from 'vitest';
import { ruleSchema } from '../../../electron/core/rules/schema';
import { startCore } from './support/core-harness';

describe('rules: schema, export and import', () => {
  it('validates rules strictly', () => {
    const good = {
      id: 'r1',
      app: { key: 'path:c:\\a.exe', kind: 'path', displayName: 'A', path: 'C:\\a.exe' },
      action: 'allow',
      direction: 'out',
      duration: { kind: 'forever' },
      created: 1,
      source: 'user',
    };
    expect(ruleSchema.safeParse(good).success).toBe(true);
    expect(ruleSchema.safeParse({ ...good, action: 'maybe' }).success).toBe(false);
    expect(ruleSchema.safeParse({ ...good, remotePort: 70_000 }).success).toBe(false);
    expect(ruleSchema.safeParse({ ...good, extra: 1 }).success).toBe(false);
  });

  it('round-trips rules through export and import into another data folder, with a preview first', async () => {
    const a = await startCore();
    await a.core.handlers['rules.create']({
      appKey: 'path:c:\\a.exe',
      action: 'allow',
      direction: 'out',
      duration: { kind: 'forever' },
      note: 'mail',
    });
    await a.core.handlers['rules.create']({
      appKey: 'path:c:\\b.exe',
      action: 'block',
      direction: 'both',
      remotePort: 25,
      protocol: 6,
      duration: { kind: 'forever' },
    });
    await a.core.handlers['rules.create']({
      appKey: 'path:c:\\c.exe',
      action: 'allow',
      direction: 'out',
      duration: { kind: 'untilRestart' },
    });
    const { json } = await a.core.handlers['rules.export']({});
    expect(JSON.parse(json).rules).toHaveLength(2); // until-restart rules are not exported

    const b = await startCore();
    await b.core.handlers['rules.create']({
      appKey: 'path:c:\\a.exe',
      action: 'block',
      direction: 'out',
      duration: { kind: 'forever' },
    });
    const preview = await b.core.handlers['rules.previewImport']({ json });
    expect(preview.errors).toEqual([]);
    expect(preview.added.map((r) => r.app.key)).toEqual(['path:c:\\b.exe']);
    expect(preview.replaced.map((r) => r.action)).toEqual(['block']);
    expect(b.core.snapshot().rules).toHaveLength(1); // a preview changes nothing
    await b.core.handlers['rules.import']({ json });
    const rules = b.core.snapshot().rules;
    expect(rules).toHaveLength(2);
    expect(rules.find((r) => r.app.key === 'path:c:\\a.exe')).toMatchObject({ action: 'allow', source: 'import' });
    expect(b.backend.withTag('r:')).toHaveLength(2 + 4);
    const again = await b.core.handlers['rules.previewImport']({ json });
    expect(again).toMatchObject({ added: [], replaced: [], unchanged: 2 });
    await a.core.stop();
    await b.core.stop();
  });

  it('rejects a bad import as a whole, saying what is wrong', async () => {
    const h = await startCore();
    const notJson = await h.core.handlers['rules.import']({ json: '{oops' });
    expect(notJson.errors[0]).toMatch(/not valid JSON/);
    const wrong = await h.core.handlers['rules.import']({ json: JSON.stringify({ hello: 1 }) });
    expect(wrong.errors[0]).toMatch(/not a Portcullis rules export/);
    const { json } = await (async () => {
      await h.core.handlers['rules.create']({
        appKey: 'path:c:\\a.exe',
        action: 'allow',
        direction: 'out',
        duration: { kind: 'forever' },
      });
      return h.core.handlers['rules.export']({});
    })();
    const doc = JSON.parse(json);
    doc.rules.push({ id: 'x', action: 'allow' });
    await h.core.handlers['rules.remove']({ ids: [doc.rules[0].id] });
    const partial = await h.core.handlers['rules.import']({ json: JSON.stringify(doc) });
    expect(partial.errors).toHaveLength(1);
    expect(partial.errors[0]).toMatch(/^rule 2: app/);
    expect(h.core.snapshot().rules).toEqual([]); // nothing imported
    await h.core.stop();
  });

  it('updates and removes rules, changing the filters in one transaction each', async () => {
    const h = await startCore();
    const rule = await h.core.handlers['rules.create']({
      appKey: 'path:c:\\a.exe',
      action: 'allow',
      direction: 'out',
      duration: { kind: 'forever' },
    });
    const oldIds = h.backend.withTag(`r:${rule.id}:`).map((f) => f.filterId);
    const t = h.backend.transactions;
    const updated = await h.core.handlers['rules.update']({
      id: rule.id,
      patch: { remotePort: 443, note: 'https only' },
    });
    expect(updated).toMatchObject({ id: rule.id, remotePort: 443, note: 'https only' });
    expect(h.backend.transactions).toBe(t + 1);
    const newFilters = h.backend.withTag(`r:${rule.id}:`);
    expect(newFilters).toHaveLength(2);
    expect(newFilters.every((f) => f.spec.remotePort === 443 && !oldIds.includes(f.filterId))).toBe(true);
    const cleared = await h.core.handlers['rules.update']({ id: rule.id, patch: { remotePort: null } });
    expect(cleared.remotePort).toBeUndefined();
    await expect(
      Promise.resolve().then(() => h.core.handlers['rules.update']({ id: 'nope', patch: { note: 'x' } })),
    ).rejects.toThrow(/No rule with id nope/);
    expect(await h.core.handlers['rules.remove']({ ids: [rule.id, 'nope'] })).toEqual({ removed: 1 });
    expect(h.backend.filters.size).toBe(0);
    await h.core.stop();
  });

  it('an allow after a block for the same app replaces it', async () => {
    const h = await startCore();
    h.backend.emit({ type: 'drop', appPath: 'C:\\a.exe', remoteAddress: '1.1.1.1' });
    await h.core.handlers['apps.decide']({ appKeys: ['path:c:\\a.exe'], decision: 'block' });
    await h.core.handlers['apps.decide']({ appKeys: ['path:c:\\a.exe'], decision: 'allow', direction: 'both' });
    const snap = h.core.snapshot();
    expect(snap.rules).toHaveLength(1);
    expect(snap.rules[0]).toMatchObject({ action: 'allow', direction: 'both' });
    expect(snap.apps[0]!.state).toBe('allowed');
    expect(h.backend.filters.size).toBe(4);
    await h.core.stop();
  });
});
