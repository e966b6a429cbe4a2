// What each change of this process does to the rules in memory, and the RuleChange it tells the rest of core.
// Knows nothing of files: RuleStore runs each of these inside one commit, which saves the result or rolls it back.
import type { Rule } from '../model';
import { CoreError } from '../util/errors';
import type { IdSource } from '../util/runtime';
import type { RuleChange, RuleDraft, RulePatch } from './rule-changes';
import type { RuleIndex } from './rule-index';
import { RULES_PER_STEP } from './rules-text';
import { matchKey, overrideProblem } from './schema';

/**
 * Adds rules made at `now`; a draft matching the same traffic as an existing rule replaces it (keeping its id and
 * created time). `keepIds[i]` is the id draft i gets when it replaces nothing and no rule has that id yet.
 */
export async function addRules(
  rules: RuleIndex,
  drafts: readonly RuleDraft[],
  keepIds: readonly (string | undefined)[],
  now: number,
  ids: IdSource,
  pause: () => Promise<void>,
): Promise<{ rules: Rule[]; change: RuleChange }> {
  const created: Rule[] = [];
  for (let i = 0; i < drafts.length; i++) {
    // An import of thousands of rules is indexed in steps too (the rest of it waits in this change's turn).
    if (i > 0 && i % RULES_PER_STEP === 0) await pause();
    const draft = drafts[i]!;
    const existing = rules.findByMatch(matchKey(draft));
    const wanted = keepIds[i];
    const id = existing?.id ?? (wanted && !rules.has(wanted) ? wanted : ids());
    const rule: Rule = stripUndefined({ ...draft, id, created: existing ? existing.created : now });
    if (existing) rules.remove(existing);
    rules.add(rule);
    created.push(rule);
  }
  return { rules: created, change: { upserted: created, removed: [], removedAppKeys: [] } };
}

/** Changes `current` by `patch`; `check` sees the changed rule first and may refuse it (throw) before anything changes. */
export function updateRule(
  rules: RuleIndex,
  current: Rule,
  patch: RulePatch,
  check?: (rule: Rule) => void,
): { rule: Rule; change: RuleChange } {
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else if (value !== undefined) next[key] = value;
  }
  const rule = stripUndefined(next as unknown as Rule);
  const problem = rule.overridesWindowsFirewall ? overrideProblem(rule) : undefined;
  if (problem) throw new CoreError('INVALID_ARGUMENT', `Rule not changed: ${problem}.`);
  check?.(rule);
  const clash = rules.findByMatch(matchKey(rule));
  const removed: string[] = [];
  rules.remove(current);
  if (clash && clash.id !== current.id) {
    // Editing a rule into the shape of another one merges them; the edited one wins.
    rules.remove(clash);
    removed.push(clash.id);
  }
  rules.add(rule);
  return { rule, change: { upserted: [rule], removed, removedAppKeys: [current.app.key] } };
}

/** Removes the rules with these ids; ids of no rule are passed over. */
export function removeRules(rules: RuleIndex, ids: readonly string[]): RuleChange {
  const removed: string[] = [];
  const removedAppKeys = new Set<string>();
  for (const id of ids) {
    const rule = rules.get(id);
    if (!rule) continue;
    rules.remove(rule);
    removed.push(id);
    removedAppKeys.add(rule.app.key);
  }
  return { upserted: [], removed, removedAppKeys: [...removedAppKeys] };
}

/** Undo, in memory: the apps' current rules give way to `saved`, and their ignored flags to `ignored`. */
export function restoreAppRules(
  rules: RuleIndex,
  appKeys: readonly string[],
  saved: readonly Rule[],
  ignored: ReadonlySet<string>,
): RuleChange {
  const removed: string[] = [];
  for (const key of appKeys) {
    for (const rule of rules.forApp(key)) {
      rules.remove(rule);
      removed.push(rule.id);
    }
    rules.setIgnored(key, ignored.has(key));
  }
  for (const rule of saved) {
    const clash = rules.get(rule.id) ?? rules.findByMatch(matchKey(rule));
    if (clash) {
      rules.remove(clash);
      removed.push(clash.id);
    }
    rules.add(rule);
  }
  const restored = new Set(saved.map((r) => r.id));
  return {
    upserted: [...saved],
    removed: removed.filter((id) => !restored.has(id)),
    removedAppKeys: [...appKeys],
  };
}

function stripUndefined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out as T;
}
