// The rules, the one source of truth that WFP is reconciled to. Rules that last "until restart" live only in memory;
// everything else is saved atomically after each change. Another process may change rules.json meanwhile: its
// changes are merged in rule by rule (syncFromDisk, and before every save), never overwritten.
import type { Rule } from '../model';
import type { JsonFile, LoadResult } from '../persistence/json-file';
import { CoreError } from '../util/errors';
import type { Clock, IdSource } from '../util/runtime';
import type { ExternalRules, RuleChange, RuleDraft, RulePatch } from './rule-changes';
import { addRules, removeRules, restoreAppRules, updateRule } from './rule-edits';
import { OtherProcessChanges } from './other-process-changes';
import { RuleIndex, withDistinctIds } from './rule-index';
import { nextTurn, RULES_PER_STEP, RulesText } from './rules-text';
import { type RulesDocument, RULES_SCHEMA_VERSION } from './schema';

export { emptyRulesDocument } from './rule-changes';
export type { ExternalRules, RuleChange, RuleDraft, RulePatch } from './rule-changes';

export class RuleStore {
  private readonly rules = new RuleIndex();
  private unsavedHits = false;
  /** rules.json as this process last read or wrote it, and what other processes changed since. */
  private readonly disk: OtherProcessChanges;
  private readonly text = new RulesText();
  /** Changes of this process, one after the other: each is saved (or rolled back) before the next one starts. */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly file: JsonFile<RulesDocument>,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    /** Told when a save found (and merged) another process's change, so that it reaches the UI and WFP. */
    private readonly onMergedBeforeSave: (external: ExternalRules) => void = () => undefined,
    /** Where a save of many rules lets the main thread do other work (the next turn of the event loop). */
    private readonly pause: () => Promise<void> = nextTurn,
  ) {
    this.disk = new OtherProcessChanges(file, pause);
  }

  load(): LoadResult<RulesDocument> {
    const result = this.file.load();
    const { rules, problems } = withDistinctIds(result.value.rules, this.ids);
    this.rules.replaceAll(rules, result.value.ignored);
    this.disk.setBase(result.value);
    if (problems.length === 0) return result;
    this.file.locked(() => this.writeLocked());
    return { ...result, problems: [...result.problems, ...problems] };
  }

  /** Merges in what another process wrote to rules.json since this one last read or wrote it. */
  syncFromDisk(): ExternalRules {
    return this.disk.take(this.rules);
  }

  /**
   * syncFromDisk with the reading, checking and comparing of a large document done in steps with pauses between them;
   * in this store's change queue, so that it never interleaves with a change of this process.
   */
  syncFromDiskInSteps(): Promise<ExternalRules> {
    const run = this.writes.then(() => this.disk.takeInSteps(this.rules));
    this.writes = run.catch(() => undefined);
    return run;
  }

  all(): Rule[] {
    return [...this.rules.values()];
  }

  get size(): number {
    return this.rules.size;
  }

  get(id: string): Rule | undefined {
    return this.rules.get(id);
  }

  require(id: string): Rule {
    const rule = this.rules.get(id);
    if (!rule) throw new CoreError('NOT_FOUND', `No rule with id ${id}. List the rules to see the current ids.`);
    return rule;
  }

  forApp(appKey: string): Rule[] {
    return this.rules.forApp(appKey);
  }

  /** The rule that decides about the app as a whole, if any (the newest app-wide one). O(rules of this app). */
  appRule(appKey: string): Rule | undefined {
    return this.rules.appRule(appKey);
  }

  findByMatch(key: string): Rule | undefined {
    return this.rules.findByMatch(key);
  }

  /** Adds rules; a draft matching the same traffic as an existing rule replaces it (keeping its id). */
  add(
    drafts: readonly RuleDraft[],
    keepIds: readonly (string | undefined)[] = [],
  ): Promise<{ rules: Rule[]; change: RuleChange }> {
    return this.commit(() => addRules(this.rules, drafts, keepIds, this.clock.now(), this.ids, this.pause));
  }

  /** Changes a rule; `check` sees the changed rule first and may refuse it (throw) before anything is saved. */
  update(id: string, patch: RulePatch, check?: (rule: Rule) => void): Promise<{ rule: Rule; change: RuleChange }> {
    return this.commit(() => updateRule(this.rules, this.require(id), patch, check));
  }

  remove(ids: readonly string[]): Promise<RuleChange> {
    if (!ids.some((id) => this.rules.has(id)))
      return Promise.resolve({ upserted: [], removed: [], removedAppKeys: [] });
    return this.commit(() => removeRules(this.rules, ids));
  }

  /**
   * Puts some apps back exactly as they were (undo): their current rules give way to `rules` (same ids, same
   * created times) and their ignored flags to `ignored`. One save.
   */
  restoreApps(appKeys: readonly string[], rules: readonly Rule[], ignored: ReadonlySet<string>): Promise<RuleChange> {
    return this.commit(() => restoreAppRules(this.rules, appKeys, rules, ignored));
  }

  /** Rules whose time has come; removed from the store. */
  async expire(now: number): Promise<RuleChange> {
    const due: string[] = [];
    for (const rule of this.rules.values()) {
      if (rule.duration.kind === 'until' && rule.duration.until <= now) due.push(rule.id);
    }
    return due.length > 0 ? this.remove(due) : { upserted: [], removed: [], removedAppKeys: [] };
  }

  nextExpiry(): number | undefined {
    let next: number | undefined;
    for (const rule of this.rules.values()) {
      if (rule.duration.kind === 'until' && (next === undefined || rule.duration.until < next)) {
        next = rule.duration.until;
      }
    }
    return next;
  }

  /** Records that a rule matched traffic; saved with the next change or at flushHits(). */
  hit(id: string, time: number): Rule | undefined {
    const rule = this.rules.get(id);
    if (!rule) return undefined;
    const next = { ...rule, lastHit: time };
    this.rules.replaceHitTime(next);
    if (rule.duration.kind !== 'untilRestart') this.unsavedHits = true;
    return next;
  }

  /** Saves the hit times recorded since the last save, if any. */
  async flushHits(): Promise<void> {
    if (this.unsavedHits) await this.commit(() => undefined);
  }

  /**
   * Grows whenever which apps have rules, or which are ignored, may have changed: an answer about an app kept with
   * the number it was given at holds while the number is the same.
   */
  get generation(): number {
    return this.rules.generation;
  }

  isIgnored(appKey: string): boolean {
    return this.rules.isIgnored(appKey);
  }

  setIgnored(appKeys: readonly string[], ignored: boolean): Promise<void> {
    return this.commit(() => {
      for (const key of appKeys) {
        this.rules.setIgnored(key, ignored);
      }
    });
  }

  /**
   * Changes the rules in memory and saves; when the save fails (disk full, lock not obtained), memory goes back to
   * what it was, so that the next unrelated save never writes (and the enforcer never applies) a change the user
   * was told had failed. Changes run one at a time, in the order asked for.
   */
  private commit<T>(mutate: () => T | Promise<T>): Promise<T> {
    const run = this.writes.then(async () => {
      const before = {
        ...this.rules.state(),
        base: this.disk.base,
        unsavedHits: this.unsavedHits,
      };
      try {
        const result = await mutate();
        await this.save();
        return result;
      } catch (error) {
        this.text.forget();
        this.rules.replaceAll(before.rules.values(), before.ignored);
        this.disk.setBase(before.base);
        this.unsavedHits = before.unsavedHits;
        this.file.forgetSeen(); // what another process wrote is read and merged again next time
        throw error;
      }
    });
    this.writes = run.catch(() => undefined);
    return run;
  }

  private lasting(): Rule[] {
    return [...this.rules.values()].filter((r) => r.duration.kind !== 'untilRestart');
  }

  /**
   * Checks and serialises the rules in steps with pauses between them, outside the lock; then reads, merges and
   * writes under the document's lock, where only what changed meanwhile is serialised. When another process's
   * rules were merged in, many rules may be new: they are prepared in steps too, and the lock taken again.
   */
  private async save(): Promise<void> {
    // What another process wrote is taken in first, in steps; the check under the lock then usually finds nothing.
    const external = await this.disk.takeInSteps(this.rules);
    if (external.change || external.problem) this.onMergedBeforeSave(external);
    for (let attempt = 0; ; attempt++) {
      await this.text.prepare(this.lasting(), this.pause);
      // The lock is held until the bytes are on disk, which happens off the main thread (9 MB at 20,000 rules).
      const written = await this.file.lockedAsync(async () => {
        const external = this.syncFromDisk();
        if (external.change || external.problem) this.onMergedBeforeSave(external);
        if (attempt < 2 && this.text.unprepared(this.lasting()) > RULES_PER_STEP) return false;
        const doc = this.document();
        await this.file.saveTextAsync(this.text.text(doc));
        this.written(doc);
        return true;
      });
      if (written) return;
    }
  }

  /** Writes the rules in memory; the document's lock is held and what other processes wrote is merged in. */
  private writeLocked(): void {
    const doc = this.document();
    this.file.saveText(this.text.text(doc));
    this.written(doc);
  }

  private document(): RulesDocument {
    return { schemaVersion: RULES_SCHEMA_VERSION, rules: this.lasting(), ignored: [...this.rules.ignored()] };
  }

  /** `doc` is what rules.json now holds: the base of the next merge, hits included. */
  private written(doc: RulesDocument): void {
    this.disk.setBase(doc);
    this.unsavedHits = false;
  }
}
