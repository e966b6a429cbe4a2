// Another process (the command line, a second window) may change rules.json while this one runs: what it changed is
// merged in rule by rule against the document as this process last read or wrote it (the base), never overwritten.
import type { JsonFile } from '../persistence/json-file';
import { emptyRulesDocument, type ExternalRules } from './rule-changes';
import type { RuleIndex } from './rule-index';
import { diffRules, isEmptyChange, mergeRules, ruleForm, rulesBaseOf, type RulesBase } from './rule-merge';
import { checkRulesInSteps } from './rules-file';
import { RULES_PER_STEP } from './rules-text';
import type { RulesDocument } from './schema';

export class OtherProcessChanges {
  /** rules.json as this process last read or wrote it: what "changed here" is measured against. */
  private baseDoc: RulesDocument = emptyRulesDocument();
  private baseForms: RulesBase | undefined;

  constructor(
    private readonly file: JsonFile<RulesDocument>,
    private readonly pause: () => Promise<void>,
  ) {}

  /**
   * The comparable form of every rule as last read or written, computed only when a merge needs it: it costs a
   * stable JSON per rule, too much to pay on every save of 20,000 rules when no other process wrote anything.
   */
  private forms(): RulesBase {
    this.baseForms ??= rulesBaseOf(this.baseDoc);
    return this.baseForms;
  }

  get base(): RulesDocument {
    return this.baseDoc;
  }

  setBase(doc: RulesDocument): void {
    this.baseDoc = doc;
    this.baseForms = undefined;
  }

  /** Merges in what another process wrote to rules.json since this one last read or wrote it. */
  take(rules: RuleIndex): ExternalRules {
    const disk = this.file.readChange();
    if (disk.kind === 'none') return {};
    if (disk.kind === 'invalid') return { problem: disk.problem };
    return this.merge(rules, disk.value);
  }

  /** As take(), with the reading, checking and comparing of a large document done in steps with pauses between them. */
  async takeInSteps(rules: RuleIndex): Promise<ExternalRules> {
    const peeked = this.file.peekText();
    if (!peeked) return {};
    await this.pause(); // reading and hashing the file was one piece of work, parsing it is the next
    let raw: unknown;
    try {
      raw = JSON.parse(peeked.text);
    } catch {
      return this.take(rules); // unreadable: read the whole way, which sets it aside and says so
    }
    await this.pause();
    const theirs = await checkRulesInSteps(raw, this.pause);
    if (!theirs) return this.take(rules);
    // The comparable forms of their rules and of the base, in steps; the merge below then only looks them up.
    const toCompare = [...theirs.rules, ...this.base.rules];
    for (let i = 0; i < toCompare.length; i++) {
      if (i > 0 && i % RULES_PER_STEP === 0) await this.pause();
      ruleForm(toCompare[i]!);
    }
    this.file.acceptText(peeked);
    return this.merge(rules, theirs);
  }

  private merge(rules: RuleIndex, theirs: RulesDocument): ExternalRules {
    const before = rules.state();
    const merged = mergeRules(this.forms(), before, theirs);
    rules.replaceAll(merged.rules.values(), merged.ignored);
    this.setBase(theirs);
    const change = diffRules(before, merged);
    return isEmptyChange(change) ? {} : { change };
  }
}
