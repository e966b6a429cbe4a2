import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES_SCHEMA_VERSION } from '../../../electron/core/rules/schema';
import { describe, expect, it } from 'vitest';
import type { Rule } from '../../../electron/core/model';
import { programPathProblem, ruleProblem } from '../../../electron/core/rules/validate';
import { startCore } from './support/core-harness';
import { MemoryBackend } from './support/memory-backend';

const base = {
  action: 'allow' as const,
  direction: 'out' as const,
  duration: { kind: 'forever' as const },
  created: 1,
  source: 'import' as const,
};

function pathRule(id: string, path: string, extra: Partial<Rule> = {}): Rule {
  return {
    ...base,
    id,
    app: { key: `path:${path.toLowerCase()}`, kind: 'path', displayName: id, path },
    ...extra,
  };
}

// The nine kinds of rule that passed the import preview and then failed the whole WFP transaction.
const HOSTILE: Record<string, Rule> = {
  'drive not present': pathRule('z', 'Z:\\tools\\tool.exe'),
  relative: pathRule('rel', 'tool.exe'),
  empty: { ...pathRule('empty', 'C:\\x.exe'), app: { key: 'path:', kind: 'path', displayName: 'empty', path: '' } },
  star: { ...pathRule('star', 'C:\\x.exe'), app: { key: 'path:*', kind: 'path', displayName: 'star', path: '*' } },
  'extended UNC': pathRule('unc', '\\\\?\\UNC\\attacker\\share\\x.exe'),
  globalroot: pathRule('gr', '\\\\?\\GLOBALROOT\\Device\\HarddiskVolume3\\x.exe'),
  'bad package SID': {
    ...base,
    id: 'pkg',
    app: { key: 'package:S-1-15-2-1', kind: 'package', displayName: 'pkg', packageSid: 'S-1-15-2-1' },
  },
  'bad remote address': pathRule('addr', 'C:\\a.exe', { remoteAddress: '999.1.1.1' }),
  'service on *': {
    ...base,
    id: 'svc',
    app: { key: 'service:dnscache', kind: 'service', displayName: 'svc', serviceName: 'dnscache', path: '*' },
  },
};

function exportOf(rules: readonly Rule[]): string {
  return JSON.stringify({ format: 'portcullis-rules', schemaVersion: RULES_SCHEMA_VERSION, rules });
}

describe('one validator from rule to filter', () => {
  it('refuses UNC, device and \\\\?\\ paths, NULs, relative and empty paths, "*" and streams, saying why', () => {
    expect(programPathProblem('C:\\Program Files\\App\\app.exe')).toBeUndefined();
    for (const bad of [
      '\\\\server\\share\\x.exe',
      '\\\\?\\C:\\x.exe',
      '\\\\.\\PhysicalDrive0',
      '\\??\\C:\\x.exe',
      'C:\\a\0.exe',
      'tool.exe',
      '',
      '*',
      'C:\\a\\..\\b.exe',
      'C:\\a.exe:stream',
      'C:\\a\\',
    ]) {
      expect(programPathProblem(bad), JSON.stringify(bad)).toMatch(/\w/);
    }
  });

  it('refuses a key that names another program than the path, and a NUL inside the path', () => {
    const rule = pathRule('m', 'C:\\Users\\Public\\evil.exe');
    expect(ruleProblem({ ...rule, app: { ...rule.app, key: 'path:c:\\windows\\system32\\svchost.exe' } })).toMatch(
      /does not match its program/,
    );
    expect(ruleProblem(pathRule('n', 'C:\\Windows\\explorer.exe\0C:\\Users\\Public\\evil.exe'))).toMatch(/NUL/);
  });

  it('the import preview names each unappliable rule and its reason, and imports none of them', async () => {
    const h = await startCore();
    for (const [name, rule] of Object.entries(HOSTILE)) {
      const preview = await h.core.handlers['rules.previewImport']({ json: exportOf([rule]) });
      expect(preview.errors, name).toHaveLength(1);
      expect(preview.added, name).toEqual([]);
      await h.core.handlers['rules.import']({ json: exportOf([rule]) });
    }
    expect(h.core.snapshot().rules).toEqual([]);
    // Nothing reached WFP, and a mode change still works.
    await h.core.handlers['mode.set']({ mode: 'enforce' });
    expect(h.core.status().mode).toBe('enforce');
  });

  it('the editor and the CLI path (rules.create) refuse a program on a drive that is not present', async () => {
    const h = await startCore();
    await expect(
      h.core.handlers['rules.create']({
        appKey: 'path:q:\\usb\\tool.exe',
        action: 'allow',
        direction: 'out',
        duration: { kind: 'forever' },
      }),
    ).rejects.toThrow(/drive Q: is not present/);
    expect(h.core.snapshot().rules).toEqual([]);
  });
});

describe('a stored rule that cannot be applied', () => {
  function seed(dataDir: string, rules: Rule[]): void {
    writeFileSync(join(dataDir, 'rules.json'), JSON.stringify({ schemaVersion: 1, rules, ignored: [] }));
  }

  it('does not stop the start: it is marked not enforced with the reason, the others apply, and it can be removed', async () => {
    const first = await startCore({}, false);
    const good = pathRule('good', 'C:\\Apps\\mail.exe');
    const usb = pathRule('usb', 'E:\\portable\\tool.exe'); // a USB drive that is gone
    const unc = pathRule('unc', '\\\\attacker\\share\\x.exe'); // saved by an older version
    seed(first.dataDir, [good, usb, unc]);
    await first.core.start();

    const rules = first.core.snapshot().rules;
    expect(rules.find((r) => r.id === 'good')?.notEnforced).toBeUndefined();
    expect(rules.find((r) => r.id === 'usb')?.notEnforced).toMatch(/drive E: is not present/);
    expect(rules.find((r) => r.id === 'unc')?.notEnforced).toMatch(/network shares/);
    expect(first.backend.withTag('r:good:').length).toBeGreaterThan(0);
    expect(first.backend.withTag('r:usb:')).toEqual([]);
    expect(first.backend.withTag('r:unc:')).toEqual([]);
    expect(
      first.core
        .status()
        .notices.map((n) => n.message)
        .join('\n'),
    ).toMatch(/2 rules are kept but not enforced/);

    // A mode change and a removal go through; the rule does not come back.
    await first.core.handlers['mode.set']({ mode: 'enforce' });
    expect(first.core.status().mode).toBe('enforce');
    expect(await first.core.handlers['rules.remove']({ ids: ['usb', 'unc'] })).toEqual({ removed: 2 });
    expect(first.core.snapshot().rules.map((r) => r.id)).toEqual(['good']);

    // The drive comes back: the rule is enforced at the next change, and the mark goes away.
    const second = await startCore({ dataDir: first.dataDir }, false);
    seed(second.dataDir, [good, usb]);
    await second.core.start();
    expect(second.core.snapshot().rules.find((r) => r.id === 'usb')?.notEnforced).toBeDefined();
    second.backend.drives.add('E:');
    await second.core.handlers['rules.create']({
      appKey: 'path:c:\\apps\\other.exe',
      action: 'allow',
      direction: 'out',
      duration: { kind: 'forever' },
    });
    expect(second.core.snapshot().rules.find((r) => r.id === 'usb')?.notEnforced).toBeUndefined();
    expect(second.backend.withTag('r:usb:').length).toBeGreaterThan(0);
  });

  it('a filter WFP refuses inside the transaction is isolated: the others are applied', async () => {
    const backend = new MemoryBackend();
    const h = await startCore({ backend }, false);
    const rules = [1, 2, 3, 4, 5].map((i) => pathRule(`r${i}`, `C:\\Apps\\app${i}.exe`));
    seed(h.dataDir, rules);
    const original = backend.apply.bind(backend);
    backend.apply = async (change) => {
      for (const spec of change.add) if (spec.tag.startsWith('r:r3:')) backend.refuseInTransaction.add(spec.tag);
      return original(change);
    };
    await h.core.start();
    for (const i of [1, 2, 4, 5]) expect(backend.withTag(`r:r${i}:`).length).toBe(2);
    expect(backend.withTag('r:r3:')).toEqual([]);
    expect(h.core.snapshot().rules.find((r) => r.id === 'r3')?.notEnforced).toMatch(/FWP_E_INVALID_PARAMETER/);
  });

  it('an engine-wide failure still fails the change (it is not blamed on one rule)', async () => {
    const h = await startCore();
    h.backend.failNextApply = Object.assign(new Error('FwpmTransactionBegin0 failed: ERROR_ACCESS_DENIED'), {
      symbol: 'ERROR_ACCESS_DENIED',
    });
    await expect(h.core.handlers['mode.set']({ mode: 'enforce' })).rejects.toThrow(/ACCESS_DENIED/);
    expect(h.core.status().mode).toBe('monitor');
  });
});
