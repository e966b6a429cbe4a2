// rules.json as text, checked and serialised a few hundred rules at a time. Checking and serialising 20,000 rules in
// one go held the main thread for about half a second on every save; here the store prepares each rule's text
// between pauses, outside the cross-process lock, and under the lock only joins the texts (serialising then just the
// rules that changed meanwhile: a hit, another process's rules merged in). The text is exactly what
// `JSON.stringify(rulesDocumentSchema.parse(doc), null, 2)` gives, so every rule is still checked by the schema on
// every save.
import { z } from 'zod';
import type { Rule } from '../model';
import { RULES_SCHEMA_VERSION, ruleSchema, type RulesDocument } from './schema';

/** Rules checked and serialised between two pauses (about 2 ms of work on a desktop CPU). */
export const RULES_PER_STEP = 500;

const MAX_RULES = 100_000;
const ignoredSchema = z.array(z.string().min(1).max(2048)).max(MAX_RULES);

export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** One rule checked by the schema (which may drop a flag the rule may not carry), as it stands in the document. */
function ruleText(rule: Rule): string {
  // Strings in JSON text never hold a raw line break, so indenting every line break indents exactly the lines.
  return JSON.stringify(ruleSchema.parse(rule), null, 2).replace(/\n/g, '\n    ');
}

const SEPARATOR = ',\n    ';

interface Step {
  readonly rules: readonly Rule[];
  readonly text: string;
}

export class RulesText {
  /** Each rule object's text, prepared for the next document; rules are replaced, never changed in place. */
  private prepared = new Map<Rule, string>();
  /** The texts of each step joined, by the index of its first rule: a step whose rules are unchanged is one piece. */
  private steps = new Map<number, Step>();

  /** Checks and serialises `rules`, pausing every RULES_PER_STEP rules. A rule the schema refuses throws here. */
  async prepare(rules: readonly Rule[], pause: () => Promise<void> = nextTurn): Promise<void> {
    for (let start = 0; start < rules.length; start += RULES_PER_STEP) {
      if (start > 0) await pause();
      const slice = rules.slice(start, start + RULES_PER_STEP);
      const texts = slice.map((rule) => {
        let text = this.prepared.get(rule);
        if (text === undefined) this.prepared.set(rule, (text = ruleText(rule)));
        return text;
      });
      this.steps.set(start, { rules: slice, text: texts.join(SEPARATOR) });
    }
  }

  /** How many of `rules` the next text() would still have to check and serialise. */
  unprepared(rules: readonly Rule[]): number {
    let count = 0;
    for (const rule of rules) if (!this.prepared.has(rule)) count++;
    return count;
  }

  /** The document's text; rules not prepared are checked and serialised now. Forgets what was prepared. */
  text(doc: RulesDocument): string {
    if (doc.schemaVersion !== RULES_SCHEMA_VERSION) {
      throw new Error(`rules.json is written as version ${RULES_SCHEMA_VERSION}, not ${String(doc.schemaVersion)}`);
    }
    if (doc.rules.length > MAX_RULES) throw new Error(`rules.json holds at most ${MAX_RULES} rules`);
    const ignored = ignoredSchema.parse(doc.ignored);
    const parts: string[] = [];
    for (let i = 0; i < doc.rules.length;) {
      const step = this.steps.get(i);
      if (step && sameRules(step.rules, doc.rules, i)) {
        parts.push(step.text);
        i += step.rules.length;
        continue;
      }
      const rule = doc.rules[i++]!;
      parts.push(this.prepared.get(rule) ?? ruleText(rule));
    }
    this.forget();
    const rulesText = parts.length === 0 ? '[]' : `[\n    ${parts.join(SEPARATOR)}\n  ]`;
    const ignoredText = JSON.stringify(ignored, null, 2).replace(/\n/g, '\n  ');
    return `{\n  "schemaVersion": ${RULES_SCHEMA_VERSION},\n  "rules": ${rulesText},\n  "ignored": ${ignoredText}\n}\n`;
  }

  forget(): void {
    this.prepared = new Map();
    this.steps = new Map();
  }
}

/** Whether `all` holds exactly the objects of `part`, in order, from `start` on. */
function sameRules(part: readonly Rule[], all: readonly Rule[], start: number): boolean {
  if (start + part.length > all.length) return false;
  for (let k = 0; k < part.length; k++) if (part[k] !== all[start + k]) return false;
  return true;
}
