// rules.json and settings.json as users and other programs leave them: one bad rule, a BOM, UTF-16, duplicate ids,
// a dangling link, a folder in the file's place, unknown and missing settings fields, a torn settings file.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCore } from './support/core-harness';
import { storedRule } from './support/rule-fixtures';

const rule = storedRule;

const rulesText = (rules: unknown[]): string => JSON.stringify({ schemaVersion: 1, rules, ignored: [] }, null, 2);

async function startWith(files: Record<string, string | Buffer>) {
  const dataDir = mkdtempSync(join(tmpdir(), 'portcullis-load-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dataDir, name), content);
  const h = await startCore({ dataDir }, false);
  await h.core.start();
  return {
    ...h,
    notices: h.core
      .status()
      .notices.map((n) => n.message)
      .join('\n'),
  };
}

describe('rules.json read rule by rule', () => {
  it('one bad rule of 1,000 is left out and named; the 999 others load; the original is kept aside', async () => {
    const rules: unknown[] = Array.from({ length: 1000 }, (_, i) => rule(i));
    rules[417] = { ...rule(417), action: 'maybe' };
    const h = await startWith({ 'rules.json': rulesText(rules) });
    expect(h.core.snapshot().rules).toHaveLength(999);
    expect(h.notices).toMatch(/1 of 1000 rules could not be read.*rule 418 \(app417\): action/);
    expect(readdirSync(h.dataDir).some((n) => n.startsWith('rules.json.corrupt-'))).toBe(true);
    // What was kept is written back, so the next start is clean.
    expect(JSON.parse(readFileSync(join(h.dataDir, 'rules.json'), 'utf8')).rules).toHaveLength(999);
  });

  it('reads a UTF-8 BOM (Notepad) and UTF-16 (PowerShell Out-File) without losing a rule', async () => {
    const text = rulesText([rule(1), rule(2)]);
    const bom = await startWith({ 'rules.json': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]) });
    expect(bom.core.snapshot().rules).toHaveLength(2);
    expect(bom.notices).toBe('');
    const utf16 = await startWith({
      'rules.json': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    });
    expect(utf16.core.snapshot().rules).toHaveLength(2);
    const noBom = await startWith({ 'rules.json': Buffer.from(text, 'utf16le') });
    expect(noBom.core.snapshot().rules).toHaveLength(2);
    // Written back as plain UTF-8.
    expect(readFileSync(join(utf16.dataDir, 'rules.json'), 'utf8').startsWith('{')).toBe(true);
  });

  it('two rules with one id both stay, and the user is told', async () => {
    const h = await startWith({ 'rules.json': rulesText([rule(1), { ...rule(2), id: 'r1' }]) });
    const rules = h.core.snapshot().rules;
    expect(rules.map((r) => r.app.displayName).sort()).toEqual(['app1', 'app2']);
    expect(new Set(rules.map((r) => r.id)).size).toBe(2);
    expect(h.notices).toMatch(/two rules with the id r1/);
  });

  it('a dangling link and a folder in the place of rules.json give a notice, not an empty store or EISDIR', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'portcullis-link-'));
    writeFileSync(join(dataDir, 'rules.json.bak'), rulesText([rule(1)]));
    symlinkSync(join(dataDir, 'nowhere.json'), join(dataDir, 'rules.json'));
    const linked = await startCore({ dataDir }, false);
    await linked.core.start();
    expect(
      linked.core
        .status()
        .notices.map((n) => n.message)
        .join('\n'),
    ).toMatch(/rules\.json was a link, not a file; it was moved to rules\.json\.not-a-file-/);
    expect(linked.core.snapshot().rules).toHaveLength(1); // from the backup

    const folder = mkdtempSync(join(tmpdir(), 'portcullis-folder-'));
    mkdirSync(join(folder, 'rules.json'));
    const h = await startCore({ dataDir: folder }, false);
    await h.core.start();
    expect(
      h.core
        .status()
        .notices.map((n) => n.message)
        .join('\n'),
    ).toMatch(/rules\.json was a folder, not a file/);
    await h.core.handlers['rules.create']({
      appKey: 'path:c:\\apps\\x.exe',
      action: 'allow',
      direction: 'out',
      duration: { kind: 'forever' },
    });
    expect(JSON.parse(readFileSync(join(folder, 'rules.json'), 'utf8')).rules).toHaveLength(1);
  });
});

describe('settings.json read field by field', () => {
  it('keeps unknown fields, defaults missing ones silently, and defaults and names a bad one', async () => {
    const h = await startWith({
      'settings.json': JSON.stringify({
        schemaVersion: 1,
        mode: 'enforce',
        futureOption: { colour: 'teal' },
        activityLogSize: -5,
        closeToTray: false,
      }),
    });
    const settings = h.core.snapshot().settings;
    expect(settings).toMatchObject({ mode: 'enforce', closeToTray: false, activityLogSize: 5_000, reverseDns: true });
    expect(h.notices).toMatch(/activityLogSize: .*default was used/);
    expect(h.notices).not.toMatch(/closeToTray|reverseDns/);
    await h.core.handlers['settings.update']({ patch: { reverseDns: false } });
    const stored = JSON.parse(readFileSync(join(h.dataDir, 'settings.json'), 'utf8'));
    expect(stored).toMatchObject({ futureOption: { colour: 'teal' }, reverseDns: false, mode: 'enforce' });
  });

  it('never comes back in a mode that enforces less than the one written down', async () => {
    const cased = await startWith({ 'settings.json': JSON.stringify({ schemaVersion: 1, mode: 'Enforce' }) });
    expect(cased.core.status().mode).toBe('enforce');

    // Torn by a crash or a bad edit, no backup: the mode is still read from the text.
    const torn = await startWith({ 'settings.json': '{"schemaVersion":1,"mode":"enforce","notifications":{"ena' });
    expect(torn.core.status().mode).toBe('enforce');
    expect(torn.notices).toMatch(/mode enforce written in the damaged settings was kept/);

    // The file asks for less than its backup after damage: the backup's stronger mode stands.
    const garbage = await startWith({
      'settings.json': JSON.stringify({ schemaVersion: 1, mode: 'panic' }),
      'settings.json.bak': JSON.stringify({ schemaVersion: 1, mode: 'enforce' }),
    });
    expect(garbage.core.status().mode).toBe('enforce');
  });
});
