// The rules in memory and the ways they are looked up: by id, by app, by the traffic they match, and the apps the
// user chose to ignore. Knows nothing of files; RuleStore changes it (rule-edits.ts) and saves.
import type { Rule } from '../model';
import type { IdSource } from '../util/runtime';
import type { RulesState } from './rule-merge';
import { isAppWide, matchKey } from './schema';

export class RuleIndex {
  private readonly rules = new Map<string, Rule>();
  private readonly byApp = new Map<string, Set<string>>();
  private readonly byMatch = new Map<string, string>();
  private readonly ignoredApps = new Set<string>();
  private changes = 0;

  /**
   * Grows whenever which apps have rules, or which are ignored, may have changed: an answer about an app kept with
   * the number it was given at holds while the number is the same.
   */
  get generation(): number {
    return this.changes;
  }

  get size(): number {
    return this.rules.size;
  }

  get(id: string): Rule | undefined {
    return this.rules.get(id);
  }

  has(id: string): boolean {
    return this.rules.has(id);
  }

  values(): IterableIterator<Rule> {
    return this.rules.values();
  }

  ignored(): IterableIterator<string> {
    return this.ignoredApps.values();
  }

  isIgnored(appKey: string): boolean {
    return this.ignoredApps.has(appKey);
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

  add(rule: Rule): void {
    this.changes++;
    this.rules.set(rule.id, rule);
    let set = this.byApp.get(rule.app.key);
    if (!set) this.byApp.set(rule.app.key, (set = new Set()));
    set.add(rule.id);
    this.byMatch.set(matchKey(rule), rule.id);
  }

  remove(rule: Rule): void {
    this.changes++;
    this.rules.delete(rule.id);
    const set = this.byApp.get(rule.app.key);
    set?.delete(rule.id);
    if (set && set.size === 0) this.byApp.delete(rule.app.key);
    if (this.byMatch.get(matchKey(rule)) === rule.id) this.byMatch.delete(matchKey(rule));
  }

  /** The same rule with another last-hit time: what it matches and whom it covers are unchanged. */
  replaceHitTime(rule: Rule): void {
    this.rules.set(rule.id, rule);
  }

  setIgnored(appKey: string, ignored: boolean): void {
    if (ignored) this.ignoredApps.add(appKey);
    else this.ignoredApps.delete(appKey);
    this.changes++;
  }

  replaceAll(rules: Iterable<Rule>, ignored: Iterable<string>): void {
    this.rules.clear();
    this.byApp.clear();
    this.byMatch.clear();
    this.ignoredApps.clear();
    this.changes++;
    for (const rule of rules) this.add(rule);
    for (const key of ignored) this.ignoredApps.add(key);
  }

  /** A copy of the rules and ignored apps now (what a merge or a rollback starts from). */
  state(): RulesState {
    return { rules: new Map(this.rules), ignored: new Set(this.ignoredApps) };
  }
}

/** Two rules with one id (a hand edit, a merge by another tool) both stay: the later one gets a new id, and is named. */
export function withDistinctIds(rules: readonly Rule[], ids: IdSource): { rules: Rule[]; problems: string[] } {
  const seen = new Set<string>();
  const out: Rule[] = [];
  const problems: string[] = [];
  for (const rule of rules) {
    if (!seen.has(rule.id)) {
      seen.add(rule.id);
      out.push(rule);
      continue;
    }
    let id = ids();
    while (seen.has(id)) id = ids();
    seen.add(id);
    out.push({ ...rule, id });
    problems.push(`rules.json had two rules with the id ${rule.id}; the one for ${rule.app.displayName} is now ${id}.`);
  }
  return { rules: out, problems };
}
