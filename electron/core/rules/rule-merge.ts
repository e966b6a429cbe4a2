// rules.json changed by another process (the `portcullis` command while the app runs) merged with this process's
// own changes, rule by rule (by id) and ignored app by ignored app. `lastHit` is bookkeeping, not a change: a rule
// that only matched traffic here never outvotes its removal elsewhere, and keeps the latest hit time when it stays.
import type { Rule } from '../model';
import { baseOf, mergeByKey } from '../persistence/three-way-merge';
import type { RuleChange } from './rule-store';
import { appIdentitySchema, matchKey, ruleDurationSchema, ruleSchema, type RulesDocument } from './schema';

export interface RulesBase {
  readonly rules: ReadonlyMap<string, string>;
  readonly ignored: ReadonlyMap<string, string>;
}

export interface RulesState {
  readonly rules: ReadonlyMap<string, Rule>;
  readonly ignored: ReadonlySet<string>;
}

/**
 * Every property name a rule can hold, at any depth, in sorted order, without lastHit. JSON.stringify given this list
 * writes the keys of every object in its order, so the form is the rule's stable JSON (keys sorted) in one native
 * call; the generic sorting replacer cost about 25 µs a rule, seconds for a merge of 20,000.
 */
export const RULE_FORM_KEYS: readonly string[] = [
  ...new Set([
    ...Object.keys(ruleSchema.in.shape),
    ...Object.keys(appIdentitySchema.shape),
    ...ruleDurationSchema.options.flatMap((o) => Object.keys(o.shape)),
  ]),
]
  .filter((key) => key !== 'lastHit')
  .sort((a, b) => (a < b ? -1 : 1));

/** Rules are replaced, never changed in place: a rule object's form is computed once. */
const forms = new WeakMap<Rule, string>();

/** The comparable form of a rule: its stable JSON without lastHit (bookkeeping, not a change). */
export function ruleForm(rule: Rule): string {
  let form = forms.get(rule);
  if (form === undefined) {
    form = JSON.stringify(rule, RULE_FORM_KEYS as string[]);
    forms.set(rule, form);
  }
  return form;
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
    if (!old || (old !== rule && ruleForm(old) !== ruleForm(rule))) upserted.push(rule);
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
