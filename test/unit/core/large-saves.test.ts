// Saving thousands of rules leaves the main thread free between steps, writes exactly the document a whole-document
// check would write, keeps changes in the order asked for, and still rolls back a change whose save failed.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Rule } from '../../../electron/core/model';
import type { RuleDraft } from '../../../electron/core/rules/rule-store';
import { RulesText } from '../../../electron/core/rules/rules-text';
import { matchKey, rulesDocumentSchema, type RulesDocument } from '../../../electron/core/rules/schema';
import { ruleStoreIn } from './support/rule-fixtures';

const store = ruleStoreIn;

function draft(i: number): RuleDraft {
  const path = `C:\\Program Files\\Vendor ${i % 7}\\app${i}.exe`;
  return {
    app: { key: `path:${path.toLowerCase()}`, kind: 'path', displayName: `app ${i} "quoted" é`, path },
    action: i % 3 === 0 ? 'block' : 'allow',
    direction: i % 2 === 0 ? 'out' : 'both',
    ...(i % 5 === 0 ? { remotePort: 443, protocol: 6 } : {}),
    ...(i % 11 === 0 ? { note: 'line one\nline two' } : {}),
    duration: i % 13 === 0 ? { kind: 'until', until: 1_800_000_000_000 } : { kind: 'forever' },
    source: 'import',
  };
}

/** Counts the turns a 0 ms timer chain gets until stop(): how often other work could run meanwhile. */
function countTimerTurns(): { stop(): number } {
  let turns = 0;
  let on = true;
  const tick = (): void => {
    turns++;
    if (on) setTimeout(tick, 0);
  };
  setTimeout(tick, 0);
  return {
    stop: () => {
      on = false;
      return turns;
    },
  };
}

/** What the store wrote before saves went in steps: the whole document checked by its schema, then serialised. */
const wholeDocumentText = (doc: RulesDocument): string =>
  `${JSON.stringify(rulesDocumentSchema.parse(doc), null, 2)}\n`;

describe('saving many rules', () => {
  it('lets timers run while 5,000 rules are checked and saved, and writes what a whole-document check writes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-large-save-'));
    const s = store(dir);
    const timers = countTimerTurns();
    await s.add(Array.from({ length: 5_000 }, (_, i) => draft(i)));
    const ticks = timers.stop();
    // Indexing, checking and serialising go in steps of 500 rules: the timer got the thread back in between.
    expect(ticks).toBeGreaterThanOrEqual(10);
    const text = readFileSync(join(dir, 'rules.json'), 'utf8');
    expect(text).toBe(wholeDocumentText({ schemaVersion: 2, rules: s.all(), ignored: [] }));
    expect(s.size).toBe(5_000);
  });

  it('writes the same text as a whole-document check, empty lists and ignored apps included', () => {
    const text = new RulesText();
    const rules = Array.from({ length: 40 }, (_, i) => ({ ...draft(i), id: `id${i}`, created: i }) as Rule);
    for (const doc of [
      { schemaVersion: 2 as const, rules: [], ignored: [] },
      { schemaVersion: 2 as const, rules, ignored: ['path:c:\\x.exe', 'service:dnscache'] },
      { schemaVersion: 2 as const, rules: rules.slice(0, 1), ignored: [] },
    ]) {
      expect(text.text(doc)).toBe(wholeDocumentText(doc));
    }
    // A flag a rule may not carry is dropped exactly as the schema drops it.
    const blockWithOverride = { ...rules[0]!, action: 'block', overridesWindowsFirewall: true } as Rule;
    const doc = { schemaVersion: 2 as const, rules: [blockWithOverride], ignored: [] };
    expect(text.text(doc)).toBe(wholeDocumentText(doc));
    expect(text.text(doc)).not.toContain('overridesWindowsFirewall');
  });

  it('refuses a rule the schema refuses, prepared in steps or not', async () => {
    const text = new RulesText();
    const bad = { ...draft(1), id: '', created: 0 } as Rule;
    await expect(text.prepare([bad])).rejects.toThrow();
    expect(() => text.text({ schemaVersion: 2, rules: [bad], ignored: [] })).toThrow();
  });

  it('keeps changes asked for during a large save, in order, and rolls back only the one whose save failed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-large-save-'));
    const s = store(dir, {
      // The disk fills up exactly when the document holding app100000.exe is written.
      beforeRename: (temp) => {
        if (readFileSync(temp, 'utf8').includes('app100000.exe')) {
          throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        }
      },
    });
    const big = s.add(Array.from({ length: 3_000 }, (_, i) => draft(i)));
    // Asked for while the first save is still going on in steps: each saved after it, never mixed into it.
    const failing = s.add([draft(100_000)]);
    const after = s.add([draft(100_001)]);
    await expect(big).resolves.toMatchObject({ rules: { length: 3_000 } });
    await expect(failing).rejects.toThrow(/ENOSPC/);
    await expect(after).resolves.toMatchObject({ rules: [{ id: 'r3002' }] });
    const onDisk = (JSON.parse(readFileSync(join(dir, 'rules.json'), 'utf8')) as RulesDocument).rules;
    expect(onDisk.map((r) => r.id)).toEqual(s.all().map((r) => r.id));
    expect(onDisk).toHaveLength(3_001);
    expect(s.all().some((r) => r.app.path?.endsWith('app100000.exe'))).toBe(false);
  });

  it("takes in another process's thousands of rules in steps, merged as the whole-way read merges them", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-large-sync-'));
    const mine = store(dir);
    await mine.add([draft(900_000)]);
    const other = store(dir);
    await other.add(Array.from({ length: 3_000 }, (_, i) => draft(i)));
    await other.remove([other.findByMatch(matchKey(draft(7)))!.id]);
    // A third store reads the same change the whole way, for comparison.
    const reference = store(dir);
    const timers = countTimerTurns();
    const external = await mine.syncFromDiskInSteps();
    const ticks = timers.stop();
    expect(ticks).toBeGreaterThanOrEqual(5);
    expect(external.change?.upserted).toHaveLength(2_999);
    expect(
      mine
        .all()
        .map((r) => r.id)
        .sort(),
    ).toEqual(
      reference
        .all()
        .map((r) => r.id)
        .sort(),
    );
    expect(await mine.syncFromDiskInSteps()).toEqual({}); // taken in: nothing new the second time
  });

  it('sets an unreadable document aside as the whole-way read does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-large-sync-'));
    const mine = store(dir);
    await mine.add([draft(1), draft(2)]);
    writeFileSync(join(dir, 'rules.json'), '{"schemaVersion": 2, "rules": [');
    const external = await mine.syncFromDiskInSteps();
    expect(external.problem).toMatch(/could not be read/);
    expect(mine.size).toBe(2);
    expect((JSON.parse(readFileSync(join(dir, 'rules.json'), 'utf8')) as RulesDocument).rules).toHaveLength(2);
  });
});
