// rules.json read rule by rule: one rule that fails validation (a hand edit, a bug of an older version, a rule a
// newer version wrote) is left out and named, and the others load. Before, one bad rule of 1,000 dropped them all.
import { z } from 'zod';
import type { Rule } from '../model';
import type { Salvage } from '../persistence/document-read';
import { RULES_SCHEMA_VERSION, ruleSchema, type RulesDocument } from './schema';
import { upgradeRulesDocument } from './upgrade';

const RULES_PER_STEP = 500;

/** rules.json around its rules; each rule is checked on its own, between pauses. */
const envelopeSchema = z
  .object({
    schemaVersion: z.literal(RULES_SCHEMA_VERSION),
    rules: z.array(z.unknown()).max(100_000),
    ignored: z.array(z.string().min(1).max(2048)).max(100_000),
  })
  .strict();

/**
 * A parsed rules.json checked as rulesDocumentSchema checks it, RULES_PER_STEP rules between pauses, so that another
 * process's 20,000 rules are taken in without holding the main thread. Undefined when anything fails the check: the
 * caller then reads the document the whole way, which sets an unreadable one aside and says why.
 */
export async function checkRulesInSteps(raw: unknown, pause: () => Promise<void>): Promise<RulesDocument | undefined> {
  const envelope = envelopeSchema.safeParse(upgradeRulesDocument(raw));
  if (!envelope.success) return undefined;
  const rules: Rule[] = [];
  const candidates = envelope.data.rules;
  for (let i = 0; i < candidates.length; i++) {
    if (i > 0 && i % RULES_PER_STEP === 0) await pause();
    const parsed = ruleSchema.safeParse(candidates[i]);
    if (!parsed.success) return undefined;
    rules.push(parsed.data);
  }
  return { schemaVersion: RULES_SCHEMA_VERSION, rules, ignored: envelope.data.ignored };
}

const MAX_NAMED = 5;

export const salvageRules: Salvage<RulesDocument> = (stored) => {
  // A version 1 document is read as the store upgrades it, so one bad rule in it does not cost the others.
  const raw = upgradeRulesDocument(stored);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const doc = raw as Record<string, unknown>;
  // Another version's document is not ours to rewrite: it is set aside whole and the backup is used.
  if (doc.schemaVersion !== RULES_SCHEMA_VERSION || !Array.isArray(doc.rules)) return undefined;
  const rules: RulesDocument['rules'] = [];
  const problems: string[] = [];
  doc.rules.forEach((candidate, index) => {
    const parsed = ruleSchema.safeParse(candidate);
    if (parsed.success) {
      rules.push(parsed.data);
      return;
    }
    const issue = parsed.error.issues[0];
    const name = (candidate as { app?: { displayName?: unknown } } | null)?.app?.displayName;
    problems.push(
      `rule ${index + 1}${typeof name === 'string' ? ` (${name})` : ''}: ` +
        `${issue?.path.join('.') || 'rule'}: ${issue?.message ?? 'invalid'}`,
    );
  });
  const ignored = Array.isArray(doc.ignored)
    ? doc.ignored.filter((key): key is string => typeof key === 'string' && key.length > 0 && key.length <= 2048)
    : [];
  const left = doc.rules.length - rules.length;
  const named = problems.slice(0, MAX_NAMED).join('; ') + (problems.length > MAX_NAMED ? '; …' : '');
  return {
    value: { schemaVersion: RULES_SCHEMA_VERSION, rules, ignored },
    problems: [
      left > 0
        ? `${left} of ${doc.rules.length} rules could not be read and were left out (${named}); the other ${rules.length} were loaded.`
        : 'the list of ignored apps was damaged; the readable entries were kept.',
    ],
  };
};
