// Export writes every lasting rule as one JSON document; import validates it, previews what would change, and
// changes nothing unless every rule in it is valid.
import type { ImportPreview, Rule } from '../model';
import { EXPORT_FORMAT, exportDocumentSchema, matchKey, RULES_SCHEMA_VERSION, ruleSchema } from './schema';
import type { RuleStore } from './rule-store';

export function exportRules(rules: readonly Rule[], now: number): string {
  const lasting = rules.filter((r) => r.duration.kind !== 'untilRestart');
  return `${JSON.stringify({ format: EXPORT_FORMAT, schemaVersion: RULES_SCHEMA_VERSION, exported: now, rules: lasting }, null, 2)}\n`;
}

export interface ImportPlan {
  readonly preview: ImportPreview;
  /** Rules to write, each with the id it will have (an existing rule it replaces keeps its id). */
  readonly toWrite: readonly Rule[];
}

/** Why a rule cannot be applied as it stands (the validator, and WFP's view of its drive), or undefined. */
export type RuleCheck = (rule: Rule) => string | undefined;

export function planImport(
  json: string,
  store: RuleStore,
  now: number,
  check: RuleCheck = () => undefined,
): ImportPlan {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    return failed(`The file is not valid JSON: ${(error as Error).message}`);
  }
  const doc = exportDocumentSchema.safeParse(raw);
  if (!doc.success) {
    const issue = doc.error.issues[0];
    return failed(
      `The file is not a Portcullis rules export (${issue?.path.join('.') || 'document'}: ${issue?.message ?? 'mismatch'}).`,
    );
  }
  const errors: string[] = [];
  const added: Rule[] = [];
  const replaced: Rule[] = [];
  const toWrite: Rule[] = [];
  const seen = new Set<string>();
  let unchanged = 0;
  doc.data.rules.forEach((candidate, index) => {
    const parsed = ruleSchema.safeParse(candidate);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      errors.push(`rule ${index + 1}: ${issue?.path.join('.') || 'rule'}: ${issue?.message ?? 'invalid'}`);
      return;
    }
    const rule = parsed.data as Rule;
    const problem = check(rule);
    if (problem !== undefined) {
      errors.push(`rule ${index + 1} (${rule.app.displayName || rule.app.key}): ${problem}`);
      return;
    }
    if (rule.duration.kind === 'until' && rule.duration.until <= now) {
      errors.push(
        `rule ${index + 1} (${rule.app.displayName}): it expired on ${new Date(rule.duration.until).toISOString()}`,
      );
      return;
    }
    const key = matchKey(rule);
    if (seen.has(key)) {
      errors.push(`rule ${index + 1} (${rule.app.displayName}): the file has two rules for the same traffic`);
      return;
    }
    seen.add(key);
    const existing = store.findByMatch(key);
    if (existing) {
      if (sameDecision(existing, rule)) {
        unchanged++;
        return;
      }
      const next: Rule = { ...rule, id: existing.id, source: 'import' };
      replaced.push(existing);
      toWrite.push(next);
      return;
    }
    const idTaken = store.get(rule.id) !== undefined;
    const next: Rule = { ...rule, source: 'import', ...(idTaken ? { id: '' } : {}) };
    added.push(next);
    toWrite.push(next);
  });
  return { preview: { added, replaced, unchanged, errors }, toWrite };
}

function sameDecision(a: Rule, b: Rule): boolean {
  return (
    a.action === b.action &&
    JSON.stringify(a.duration) === JSON.stringify(b.duration) &&
    (a.note ?? '') === (b.note ?? '')
  );
}

function failed(message: string): ImportPlan {
  return { preview: { added: [], replaced: [], unchanged: 0, errors: [message] }, toWrite: [] };
}
