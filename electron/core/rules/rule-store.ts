// The rules, the one source of truth that WFP is reconciled to. Rules that last "until restart" live only in memory;
// everything else is saved atomically after each change. Another process may change rules.json meanwhile: its
// changes are merged in rule by rule (syncFromDisk, and before every save), never overwritten.
import type { Rule } from '../model';
import type { JsonFile, LoadResult } from '../persistence/json-file';
import { CoreError } from '../util/errors';
import type { Clock, IdSource } from '../util/runtime';
import { diffRules, isEmptyChange, mergeRules, ruleForm, rulesBaseOf, type RulesBase } from './rule-merge';
import { checkRulesInSteps } from './rules-file';
import { nextTurn, RULES_PER_STEP, RulesText } from './rules-text';
import { isAppWide, matchKey, overrideProblem, type RulesDocument, RULES_SCHEMA_VERSION } from './schema';

export type RuleDraft = Omit<Rule, 'id' | 'created'>;
export type RulePatch = {
  action?: Rule['action'];
  direction?: Rule['direction'];
  protocol?: number | null;
  localPort?: number | null;
  remotePort?: number | null;
  remoteAddress?: string | null;
  overridesWindowsFirewall?: true | null;
  duration?: Rule['duration'];
  note?: string;
};

export interface RuleChange {
  readonly upserted: readonly Rule[];
  readonly removed: readonly string[];
  /** Apps whose removed rules changed their state. */
  readonly removedAppKeys: readonly string[];
}

/** What another process changed in rules.json, as merged into this store. */
export interface ExternalRules {
  readonly change?: RuleChange;
  /** The other process left an unreadable file (set aside; the rules in use were kept). */
  readonly problem?: string;
}

export function emptyRulesDocument(): RulesDocument {
  return { schemaVersion: RULES_SCHEMA_VERSION, rules: [], ignored: [] };
}

export class RuleStore {
  private readonly rules = new Map<string, Rule>();
  private readonly byApp = new Map<string, Set<string>>();
  private readonly byMatch = new Map<string, string>();
  private readonly ignoredApps = new Set<string>();
  private changes = 0;
  private unsavedHits = false;
  /** rules.json as this process last read or wrote it: what "changed here" is measured against. */
  private baseDoc: RulesDocument = emptyRulesDocument();
  private baseForms: RulesBase | undefined;
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
  ) {}

  load(): LoadResult<RulesDocument> {
    const result = this.file.load();
    const { rules, problems } = this.distinctIds(result.value.rules);
    this.replaceAll(rules, result.value.ignored);
    this.setBase(result.value);
    if (problems.length === 0) return result;
    this.file.locked(() => this.writeLocked());
    return { ...result, problems: [...result.problems, ...problems] };
  }

  /** Two rules with one id (a hand edit, a merge by another tool) both stay: the later one gets a new id, and is named. */
  private distinctIds(rules: readonly Rule[]): { rules: Rule[]; problems: string[] } {
    const seen = new Set<string>();
    const out: Rule[] = [];
    const problems: string[] = [];
    for (const rule of rules) {
      if (!seen.has(rule.id)) {
        seen.add(rule.id);
        out.push(rule);
        continue;
      }
      let id = this.ids();
      while (seen.has(id)) id = this.ids();
      seen.add(id);
      out.push({ ...rule, id });
      problems.push(
        `rules.json had two rules with the id ${rule.id}; the one for ${rule.app.displayName} is now ${id}.`,
      );
    }
    return { rules: out, problems };
  }

  /**
   * The comparable form of every rule as last read or written, computed only when a merge needs it: it costs a
   * stable JSON per rule, too much to pay on every save of 20,000 rules when no other process wrote anything.
   */
  private base(): RulesBase {
    this.baseForms ??= rulesBaseOf(this.baseDoc);
    return this.baseForms;
  }

  private setBase(doc: RulesDocument): void {
    this.baseDoc = doc;
    this.baseForms = undefined;
  }

  /** Merges in what another process wrote to rules.json since this one last read or wrote it. */
  syncFromDisk(): ExternalRules {
    const disk = this.file.readChange();
    if (disk.kind === 'none') return {};
    if (disk.kind === 'invalid') return { problem: disk.problem };
    const before = { rules: new Map(this.rules), ignored: new Set(this.ignoredApps) };
    const merged = mergeRules(this.base(), before, disk.value);
    this.replaceAll(merged.rules.values(), merged.ignored);
    this.setBase(disk.value);
    const change = diffRules(before, merged);
    return isEmptyChange(change) ? {} : { change };
  }

  /**
   * syncFromDisk with the reading, checking and comparing of a large document done in steps with pauses between them;
   * in this store's change queue, so that it never interleaves with a change of this process.
   */
  syncFromDiskInSteps(): Promise<ExternalRules> {
    const run = this.writes.then(() => this.syncInSteps());
    this.writes = run.catch(() => undefined);
    return run;
  }

  private async syncInSteps(): Promise<ExternalRules> {
    const peeked = this.file.peekText();
    if (!peeked) return {};
    await this.pause(); // reading and hashing the file was one piece of work, parsing it is the next
    let raw: unknown;
    try {
      raw = JSON.parse(peeked.text);
    } catch {
      return this.syncFromDisk(); // unreadable: read the whole way, which sets it aside and says so
    }
    await this.pause();
    const theirs = await checkRulesInSteps(raw, this.pause);
    if (!theirs) return this.syncFromDisk();
    // The comparable forms of their rules and of the base, in steps; the merge below then only looks them up.
    const toCompare = [...theirs.rules, ...this.baseDoc.rules];
    for (let i = 0; i < toCompare.length; i++) {
      if (i > 0 && i % RULES_PER_STEP === 0) await this.pause();
      ruleForm(toCompare[i]!);
    }
    this.file.acceptText(peeked);
    const before = { rules: new Map(this.rules), ignored: new Set(this.ignoredApps) };
    const merged = mergeRules(this.base(), before, theirs);
    this.replaceAll(merged.rules.values(), merged.ignored);
    this.setBase(theirs);
    const change = diffRules(before, merged);
    return isEmptyChange(change) ? {} : { change };
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
    const ids = this.byApp.get(appKey);
    if (!ids) return [];
    const out: Rule[] = [];
    for (const id of ids) {
      const rule = this.rules.get(id);
      if (rule) out.push(rule);
    }
    return out;
  }

  /** The rule that decides about the app as a whole, if any (the newest app-wide one). O(rules of this app). */
  appRule(appKey: string): Rule | undefined {
    let best: Rule | undefined;
    for (const rule of this.forApp(appKey)) {
      if (isAppWide(rule) && (!best || rule.created >= best.created)) best = rule;
    }
    return best ?? this.forApp(appKey)[0];
  }

  findByMatch(key: string): Rule | undefined {
    const id = this.byMatch.get(key);
    return id === undefined ? undefined : this.rules.get(id);
  }

  /** Adds rules; a draft matching the same traffic as an existing rule replaces it (keeping its id). */
  add(
    drafts: readonly RuleDraft[],
    keepIds: readonly (string | undefined)[] = [],
  ): Promise<{ rules: Rule[]; change: RuleChange }> {
    return this.commit(async () => {
      const now = this.clock.now();
      const created: Rule[] = [];
      for (let i = 0; i < drafts.length; i++) {
        // An import of thousands of rules is indexed in steps too (the rest of it waits in this change's turn).
        if (i > 0 && i % RULES_PER_STEP === 0) await this.pause();
        const draft = drafts[i]!;
        const existing = this.findByMatch(matchKey(draft));
        const wanted = keepIds[i];
        const id = existing?.id ?? (wanted && !this.rules.has(wanted) ? wanted : this.ids());
        const rule: Rule = stripUndefined({ ...draft, id, created: existing ? existing.created : now });
        if (existing) this.unindex(existing);
        this.index(rule);
        created.push(rule);
      }
      return { rules: created, change: { upserted: created, removed: [], removedAppKeys: [] } };
    });
  }

  /** Changes a rule; `check` sees the changed rule first and may refuse it (throw) before anything is saved. */
  update(id: string, patch: RulePatch, check?: (rule: Rule) => void): Promise<{ rule: Rule; change: RuleChange }> {
    return this.commit(() => {
      const current = this.require(id);
      const next: Record<string, unknown> = { ...current };
      for (const [key, value] of Object.entries(patch)) {
        if (value === null) delete next[key];
        else if (value !== undefined) next[key] = value;
      }
      const rule = stripUndefined(next as unknown as Rule);
      const problem = rule.overridesWindowsFirewall ? overrideProblem(rule) : undefined;
      if (problem) throw new CoreError('INVALID_ARGUMENT', `Rule not changed: ${problem}.`);
      check?.(rule);
      const clash = this.findByMatch(matchKey(rule));
      const removed: string[] = [];
      this.unindex(current);
      if (clash && clash.id !== id) {
        // Editing a rule into the shape of another one merges them; the edited one wins.
        this.unindex(clash);
        removed.push(clash.id);
      }
      this.index(rule);
      return { rule, change: { upserted: [rule], removed, removedAppKeys: [current.app.key] } };
    });
  }

  remove(ids: readonly string[]): Promise<RuleChange> {
    if (!ids.some((id) => this.rules.has(id)))
      return Promise.resolve({ upserted: [], removed: [], removedAppKeys: [] });
    return this.commit(() => {
      const removed: string[] = [];
      const removedAppKeys = new Set<string>();
      for (const id of ids) {
        const rule = this.rules.get(id);
        if (!rule) continue;
        this.unindex(rule);
        removed.push(id);
        removedAppKeys.add(rule.app.key);
      }
      return { upserted: [], removed, removedAppKeys: [...removedAppKeys] };
    });
  }

  /**
   * Puts some apps back exactly as they were (undo): their current rules give way to `rules` (same ids, same
   * created times) and their ignored flags to `ignored`. One save.
   */
  restoreApps(appKeys: readonly string[], rules: readonly Rule[], ignored: ReadonlySet<string>): Promise<RuleChange> {
    return this.commit(() => this.restoreInMemory(appKeys, rules, ignored));
  }

  private restoreInMemory(
    appKeys: readonly string[],
    rules: readonly Rule[],
    ignored: ReadonlySet<string>,
  ): RuleChange {
    const removed: string[] = [];
    for (const key of appKeys) {
      for (const id of [...(this.byApp.get(key) ?? [])]) {
        const rule = this.rules.get(id);
        if (!rule) continue;
        this.unindex(rule);
        removed.push(id);
      }
      if (ignored.has(key)) this.ignoredApps.add(key);
      else this.ignoredApps.delete(key);
      this.changes++;
    }
    for (const rule of rules) {
      const clash = this.rules.get(rule.id) ?? this.findByMatch(matchKey(rule));
      if (clash) {
        this.unindex(clash);
        removed.push(clash.id);
      }
      this.index(rule);
    }
    const restored = new Set(rules.map((r) => r.id));
    return {
      upserted: [...rules],
      removed: removed.filter((id) => !restored.has(id)),
      removedAppKeys: [...appKeys],
    };
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
    this.rules.set(id, next);
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
    return this.changes;
  }

  isIgnored(appKey: string): boolean {
    return this.ignoredApps.has(appKey);
  }

  setIgnored(appKeys: readonly string[], ignored: boolean): Promise<void> {
    return this.commit(() => {
      for (const key of appKeys) {
        if (ignored) this.ignoredApps.add(key);
        else this.ignoredApps.delete(key);
      }
      this.changes++;
    });
  }

  private replaceAll(rules: Iterable<Rule>, ignored: Iterable<string>): void {
    this.rules.clear();
    this.byApp.clear();
    this.byMatch.clear();
    this.ignoredApps.clear();
    this.changes++;
    for (const rule of rules) this.index(rule);
    for (const key of ignored) this.ignoredApps.add(key);
  }

  private index(rule: Rule): void {
    this.changes++;
    this.rules.set(rule.id, rule);
    let set = this.byApp.get(rule.app.key);
    if (!set) this.byApp.set(rule.app.key, (set = new Set()));
    set.add(rule.id);
    this.byMatch.set(matchKey(rule), rule.id);
  }

  private unindex(rule: Rule): void {
    this.changes++;
    this.rules.delete(rule.id);
    const set = this.byApp.get(rule.app.key);
    set?.delete(rule.id);
    if (set && set.size === 0) this.byApp.delete(rule.app.key);
    if (this.byMatch.get(matchKey(rule)) === rule.id) this.byMatch.delete(matchKey(rule));
  }

  /**
   * Changes the rules in memory and saves; when the save fails (disk full, lock not obtained), memory goes back to
   * what it was, so that the next unrelated save never writes (and the enforcer never applies) a change the user
   * was told had failed. Changes run one at a time, in the order asked for.
   */
  private commit<T>(mutate: () => T | Promise<T>): Promise<T> {
    const run = this.writes.then(async () => {
      const before = {
        rules: new Map(this.rules),
        ignored: new Set(this.ignoredApps),
        base: this.baseDoc,
        unsavedHits: this.unsavedHits,
      };
      try {
        const result = await mutate();
        await this.save();
        return result;
      } catch (error) {
        this.text.forget();
        this.replaceAll(before.rules.values(), before.ignored);
        this.setBase(before.base);
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
    const external = await this.syncInSteps();
    if (external.change || external.problem) this.onMergedBeforeSave(external);
    for (let attempt = 0; ; attempt++) {
      await this.text.prepare(this.lasting(), this.pause);
      const written = this.file.locked(() => {
        const external = this.syncFromDisk();
        if (external.change || external.problem) this.onMergedBeforeSave(external);
        if (attempt < 2 && this.text.unprepared(this.lasting()) > RULES_PER_STEP) return false;
        this.writeLocked();
        return true;
      });
      if (written) return;
    }
  }

  /** Writes the rules in memory; the document's lock is held and what other processes wrote is merged in. */
  private writeLocked(): void {
    const doc: RulesDocument = {
      schemaVersion: RULES_SCHEMA_VERSION,
      rules: this.lasting(),
      ignored: [...this.ignoredApps],
    };
    this.file.saveText(this.text.text(doc));
    this.setBase(doc);
    this.unsavedHits = false;
  }
}

function stripUndefined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out as T;
}
