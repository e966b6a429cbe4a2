// rules.json changed by another process (the `portcullis` command while the app runs) merged with this process's
// own changes, rule by rule (by id) and ignored app by ignored app. `lastHit` is bookkeeping, not a change: a rule
// that only matched traffic here never outvotes its removal elsewhere, and keeps the latest hit time when it stays.
import type { Rule } from '../model';
import { baseOf, mergeByKey, stableJson } from '../persistence/three-way-merge';
import type { RuleChange } from './rule-store';
import { matchKey, type RulesDocument } from './schema';

export interface RulesBase {
  readonly rules: ReadonlyMap<string, string>;
  readonly ignored: ReadonlyMap<string, string>;
}

export interface RulesState {
  readonly rules: ReadonlyMap<string, Rule>;
  readonly ignored: ReadonlySet<string>;
}

export function ruleForm(rule: Rule): string {
  return stableJson({ ...rule, lastHit: undefined });
}

const ignoredForm = (): string => 'ignored';

export function rulesBaseOf(doc: RulesDocument): RulesBase {
  return {
    rules: baseOf(
      doc.rules.map((r) => [r.id, r]),
      ruleForm,
    ),
    ignored: baseOf(
      doc.ignored.map((key) => [key, true]),
      ignoredForm,
    ),
  };
}

export function mergeRules(base: RulesBase, mine: RulesState, theirs: RulesDocument): RulesState {
  const theirRules = new Map(theirs.rules.map((r) => [r.id, r]));
  const merged = mergeByKey(base.rules, mine.rules, theirRules, ruleForm);
  // Two rules for the same traffic (both sides allowed the same app): one survives, this process's if it made one.
  const byMatch = new Map<string, string>();
  for (const [id, rule] of merged) {
    const key = matchKey(rule);
    const other = byMatch.get(key);
    if (other === undefined) {
      byMatch.set(key, id);
      continue;
    }
    const keep = changedHere(base, mine, id) && !changedHere(base, mine, other) ? id : other;
    merged.delete(keep === id ? other : id);
    byMatch.set(key, keep);
  }
  for (const [id, rule] of merged) {
    const own = mine.rules.get(id)?.lastHit;
    if (own !== undefined && own > (rule.lastHit ?? -1)) merged.set(id, { ...rule, lastHit: own });
  }
  const ignored = mergeByKey(
    base.ignored,
    new Map([...mine.ignored].map((key) => [key, true])),
    new Map(theirs.ignored.map((key) => [key, true])),
    ignoredForm,
  );
  return { rules: merged, ignored: new Set(ignored.keys()) };
}

function changedHere(base: RulesBase, mine: RulesState, id: string): boolean {
  const own = mine.rules.get(id);
  return own !== undefined && ruleForm(own) !== base.rules.get(id);
}

/** What changed from `before` to `after`, for the UI and the enforcer; apps whose ignored state flipped included. */
export function diffRules(before: RulesState, after: RulesState): RuleChange {
  const upserted: Rule[] = [];
  const removed: string[] = [];
  const appKeys = new Set<string>();
  for (const [id, rule] of after.rules) {
    const old = before.rules.get(id);
    if (!old || ruleForm(old) !== ruleForm(rule)) upserted.push(rule);
  }
  for (const [id, rule] of before.rules) {
    if (!after.rules.has(id)) {
      removed.push(id);
      appKeys.add(rule.app.key);
    }
  }
  for (const key of after.ignored) if (!before.ignored.has(key)) appKeys.add(key);
  for (const key of before.ignored) if (!after.ignored.has(key)) appKeys.add(key);
  return { upserted, removed, removedAppKeys: [...appKeys] };
}

export function isEmptyChange(change: RuleChange): boolean {
  return change.upserted.length === 0 && change.removed.length === 0 && change.removedAppKeys.length === 0;
}
