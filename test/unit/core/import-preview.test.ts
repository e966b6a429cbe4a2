// What the import preview shows is what the import writes: per rule the real path, action, direction and conditions;
// rules that beat an essential or block a part of Windows are marked; a file changed since the preview writes
// nothing; the app's own export of 100,000 rules (over one IPC message) goes in pieces and comes back whole.
import { RULES_SCHEMA_VERSION } from '../../../electron/core/rules/schema';
import { describe, expect, it } from 'vitest';
import type { Rule } from '../../../electron/core/model';
import { startCore } from './support/core-harness';

const base = { direction: 'out' as const, duration: { kind: 'forever' as const }, created: 1, source: 'user' as const };

function pathRule(id: string, path: string, extra: Partial<Rule> = {}): Rule {
  return {
    ...base,
    id,
    action: 'allow',
    app: { key: `path:${path.toLowerCase()}`, kind: 'path', displayName: id, path },
    ...extra,
  };
}

const exportOf = (rules: readonly unknown[]): string =>
  JSON.stringify({ format: 'portcullis-rules', schemaVersion: RULES_SCHEMA_VERSION, rules });

describe('import preview', () => {
  it('shows per rule the real path, the action, the direction and the conditions, whatever the name says', async () => {
    const h = await startCore();
    const evil = pathRule('Windows Update', 'C:\\Users\\Public\\evil.exe', {
      direction: 'both',
      protocol: 6,
      remotePort: 4444,
      remoteAddress: '203.0.113.9',
    });
    const preview = await h.core.handlers['rules.previewImport']({ json: exportOf([evil]) });
    expect(preview.items).toHaveLength(1);
    expect(preview.items![0]!.rule).toMatchObject({
      action: 'allow',
      direction: 'both',
      protocol: 6,
      remotePort: 4444,
      remoteAddress: '203.0.113.9',
      app: { path: 'C:\\Users\\Public\\evil.exe', displayName: 'Windows Update' },
    });
    expect(preview.items![0]!.warning).toMatch(/folder other programs can write to \(C:\\Users\\Public\\evil\.exe\)/);
    expect(preview.commit).toBe('all-or-nothing');
  });

  it('marks block rules that override an essential or a Windows component', async () => {
    const h = await startCore();
    const rules: Rule[] = [
      {
        ...base,
        id: 's',
        action: 'block',
        app: { key: 'system', kind: 'system', displayName: 'System', path: 'System' },
      },
      {
        ...base,
        id: 'dns',
        action: 'block',
        app: {
          key: 'service:dnscache',
          kind: 'service',
          displayName: 'svchost (dnscache)',
          serviceName: 'dnscache',
          path: 'C:\\Windows\\System32\\svchost.exe',
        },
      },
      pathRule('explorer', 'C:\\Windows\\explorer.exe', { action: 'block' }),
      pathRule('game', 'C:\\Games\\game.exe', { action: 'block' }),
    ];
    const preview = await h.core.handlers['rules.previewImport']({ json: exportOf(rules) });
    const warnings = Object.fromEntries(preview.items!.map((i) => [i.rule.app.displayName, i.warning]));
    expect(warnings['System']).toMatch(/blocks System/);
    expect(warnings['svchost (dnscache)']).toMatch(/overrides the essential "DNS client"/);
    expect(warnings['explorer']).toMatch(/blocks a Windows component/);
    expect(warnings['game']).toBeUndefined();
  });

  it('refuses a NUL in a path, and says nothing was imported when core refused the file', async () => {
    const h = await startCore();
    const nul = pathRule('n', 'C:\\Windows\\explorer.exe\u0000C:\\Users\\Public\\evil.exe');
    const result = await h.core.handlers['rules.import']({ json: exportOf([nul, pathRule('ok', 'C:\\ok.exe')]) });
    expect(result.imported).toBe(0);
    expect(result.errors.join('\n')).toMatch(/NUL/);
    expect(h.core.snapshot().rules).toEqual([]);
  });

  it('with the preview token, writes exactly what was shown, or nothing when the rules changed meanwhile', async () => {
    const h = await startCore();
    const json = exportOf([pathRule('a', 'C:\\a.exe'), pathRule('b', 'C:\\b.exe', { action: 'block' })]);
    const preview = await h.core.handlers['rules.previewImport']({ json });
    // Another window (or the portcullis command) adds a rule for a.exe that the import would now replace.
    await h.core.handlers['rules.create']({
      appKey: 'path:c:\\a.exe',
      action: 'block',
      direction: 'out',
      duration: { kind: 'forever' },
    });
    await expect(h.core.handlers['rules.import']({ json, token: preview.token! })).rejects.toThrow(
      /Nothing was imported: the rules changed since the preview/,
    );
    expect(h.core.snapshot().rules).toHaveLength(1);

    const fresh = await h.core.handlers['rules.previewImport']({ json });
    const done = await h.core.handlers['rules.import']({ json, token: fresh.token! });
    expect(done.imported).toBe(2);
    const written = h.core
      .snapshot()
      .rules.map((r) => `${r.action} ${r.app.path}`)
      .sort();
    expect(written).toEqual(fresh.items!.map((i) => `${i.rule.action} ${i.rule.app.path}`).sort());
  });

  it(
    "imports the app's own export of 100,000 rules, sent in pieces below the message limit",
    { timeout: 120_000 },
    async () => {
      const source = await startCore();
      const rules = Array.from({ length: 100_000 }, (_, i) => pathRule(`r${i}`, `C:\\Apps\\tool${i}.exe`));
      const json = exportOf(rules);
      expect(json.length).toBeGreaterThan(20 * 1024 * 1024 * 0.75);
      const h = await startCore();
      const piece = 4 * 1024 * 1024;
      const count = Math.ceil(json.length / piece);
      for (let index = 0; index < count; index++) {
        await h.core.handlers['rules.uploadImport']({
          uploadId: 'big',
          index,
          count,
          text: json.slice(index * piece, (index + 1) * piece),
        });
      }
      const preview = await h.core.handlers['rules.previewImport']({ uploadId: 'big' });
      expect(preview.counts).toEqual({ added: 100_000, replaced: 0, errors: 0 });
      expect(preview.items!.length).toBeLessThanOrEqual(2_000); // the preview itself stays small
      expect(JSON.stringify(preview).length).toBeLessThan(4 * 1024 * 1024);
      const done = await h.core.handlers['rules.import']({ uploadId: 'big', token: preview.token! });
      expect(done.imported).toBe(100_000);
      expect(h.core.status().rules).toBe(100_000);
      await source.core.stop();
    },
  );
});

describe('notices', () => {
  it('the same notice is shown once with its count, and can be closed', async () => {
    const h = await startCore();
    // Three failed mode changes used to leave three identical red banners that could not be closed.
    for (let i = 0; i < 3; i++) {
      h.backend.failNextApply = Object.assign(new Error('FwpmTransactionBegin0 failed: FWP_E_TIMEOUT'), {
        symbol: 'FWP_E_TIMEOUT',
      });
      await expect(h.core.handlers['mode.set']({ mode: 'enforce' })).rejects.toThrow(/FWP_E_TIMEOUT/);
    }
    const notices = h.core.status().notices;
    expect(notices.map((n) => [n.level, n.count ?? 1])).toEqual([['error', 3]]);
    expect(notices[0]!.message).toMatch(/WFP was not updated: .*FWP_E_TIMEOUT/);
    expect(await h.core.handlers['notices.dismiss']({ id: notices[0]!.id })).toEqual({ dismissed: true });
    expect(h.core.status().notices).toEqual([]);
    expect(await h.core.handlers['notices.dismiss']({ id: 'gone' })).toEqual({ dismissed: false });
  });
});
