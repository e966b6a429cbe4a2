// How a change to the rules is made and what follows it: every rule that comes in is checked first (the validator,
// and what WFP would refuse now), an app-wide rule replaces the app's other one, the change is marked for the next
// delta and closes the apps' decisions, and WFP is brought in line. Undo puts the apps back through the same way.
import type { Rule } from '../model';
import { ruleSpec } from '../enforcement/filter-plan';
import type { RuleChange, RuleDraft } from '../rules/rule-store';
import { isAppWide, overrideProblem } from '../rules/schema';
import { requireValidRule } from '../rules/validate';
import { serviceRuleCaveat, serviceRuleRefusal } from '../services/service-rules';
import { CoreError } from '../util/errors';
import type { CoreState } from './core';
import type { BeforeState } from './undo';
import { nextTurn, PLAN_STEP } from './wfp-state';

export class RuleChanges {
  constructor(private readonly core: CoreState) {}

  /**
   * Refuses, with the reason, a rule that could not become its filter: what the validator refuses, and what WFP
   * would refuse now (a drive that is not present, a network drive). Every way a rule comes in passes here.
   */
  checkInput(draft: RuleDraft): void {
    requireValidRule(draft);
    const core = this.core;
    if (!core.lifeCycle.backendOpen) return;
    const spec = ruleSpec({ ...draft, id: 'new', created: 0 }, { windowsFolder: core.wfp.windowsFolderOfThisPc() });
    const service = draft.app.kind === 'service' ? draft.app.serviceName : undefined;
    const reason =
      (spec && core.backend.checkFilter?.(spec)) ||
      (service !== undefined ? serviceRuleRefusal(service, core.backend.services) : undefined);
    if (reason) {
      throw new CoreError('INVALID_ARGUMENT', `Rule for ${draft.app.displayName} refused: ${reason}.`);
    }
  }

  /** Applies a rule change: marks it for the next delta, updates the affected apps and closes their decisions. */
  afterChange(change: RuleChange): void {
    const { publisher, decisions, candidates } = this.core;
    for (const rule of change.upserted) {
      publisher.markRule(rule.id);
      publisher.markApp(rule.app.key);
      decisions.forgetOverflow(rule.app.key);
      if (isAppWide(rule)) {
        const closed = decisions.closeForApp(rule.app.key);
        if (closed) publisher.markDecision(closed);
        candidates.take([rule.app.key]);
      }
    }
    for (const id of change.removed) publisher.markRule(id);
    for (const key of change.removedAppKeys) publisher.markApp(key);
    publisher.markStatus();
  }

  /** Adds rules for apps; app-wide rules replace the app's other app-wide rules (allow after block, ...). */
  async add(drafts: readonly RuleDraft[], keepIds?: readonly (string | undefined)[]): Promise<Rule[]> {
    const core = this.core;
    for (let i = 0; i < drafts.length; i++) {
      if (i > 0 && i % PLAN_STEP === 0) await nextTurn(); // a large import stays responsive while it is checked
      this.checkInput(drafts[i]!);
    }
    const replaced: string[] = [];
    for (const draft of drafts) {
      const problem = draft.overridesWindowsFirewall ? overrideProblem(draft) : undefined;
      if (problem) throw new CoreError('INVALID_ARGUMENT', `No rule made for ${draft.app.displayName}: ${problem}.`);
    }
    for (const draft of drafts) {
      if (!isAppWide(draft)) continue;
      for (const existing of core.rules.forApp(draft.app.key)) {
        if (isAppWide(existing) && existing.direction !== draft.direction) replaced.push(existing.id);
      }
    }
    let removed: RuleChange = { upserted: [], removed: [], removedAppKeys: [] };
    if (replaced.length > 0) removed = await core.rules.remove(replaced);
    const { rules, change } = await core.rules.add(drafts, keepIds);
    this.afterChange({ ...change, removed: removed.removed, removedAppKeys: removed.removedAppKeys });
    await core.wfp.enforce();
    // Said once per service, where Windows holds the rule to only part of what the service does.
    const caveats = new Set(
      rules.map((r) => (r.app.kind === 'service' ? serviceRuleCaveat(r.app.serviceName ?? '') : undefined)),
    );
    for (const caveat of caveats) if (caveat) core.publisher.notice('info', `${caveat}.`);
    return rules;
  }

  async remove(ids: readonly string[]): Promise<number> {
    const change = await this.core.rules.remove(ids);
    this.afterChange(change);
    await this.core.wfp.enforce();
    return change.removed.length;
  }

  /** Runs a decision so that it can be undone: the apps' state before it is kept under `label`. */
  async undoable<T>(
    label: string,
    appKeys: readonly string[],
    work: () => Promise<T>,
  ): Promise<{ result: T; actionId: string }> {
    const before: BeforeState = this.core.history.capture(appKeys);
    const result = await work();
    return { result, actionId: this.core.history.record(label, before).id };
  }

  /** Puts the apps of an earlier action back exactly as they were: rules, ignored flags, decision, candidate. */
  async undo(actionId: string): Promise<void> {
    const core = this.core;
    const restored = await core.history.undo(actionId);
    this.afterChange(restored.change);
    for (const key of restored.entry.appKeys) core.publisher.markApp(key);
    for (const id of restored.reopenedDecisions) {
      core.publisher.markDecision(id);
      const deadline = core.decisions.get(id)?.deadline;
      if (deadline !== undefined) core.housekeeping.armDecisionDeadline(deadline);
    }
    await core.wfp.enforce();
  }
}
