// What core knows of its objects in WFP (whether our provider and sublayer are there, which rules have no filter and
// why) and every way WFP is brought to the rules: at start, after each change, after the Base Filtering Engine
// restarted, and the removal of all of it on reset. The rule store stays the truth; WFP follows it.
import type { Rule } from '../model';
import { planFilters, type PlanContext } from '../enforcement/filter-plan';
import { ruleProblem } from '../rules/validate';
import { CoreError } from '../util/errors';
import type { CoreState } from './core';

/** Rules planned or checked between two pauses of the main thread. */
export const PLAN_STEP = 500;
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class WfpState {
  private prepared = false;
  private windowsFolder: string | undefined;
  /** Rules kept in the store but left out of WFP, with the reason (refused by the validator or by WFP). */
  private notEnforcedRules = new Map<string, string>();
  /** Rules the validator refuses, by id, as of the last plan. */
  private invalidRules = new Map<string, string>();

  constructor(private readonly core: CoreState) {}

  /** Why a rule has no filter in WFP, when it has none. */
  notEnforced(ruleId: string): string | undefined {
    return this.notEnforcedRules.get(ruleId);
  }

  /**
   * The filters WFP should hold; a rule the validator refuses is left out (and reported), never sent to WFP. Built
   * PLAN_STEP rules at a time with a pause between, so that 20,000 rules never hold the main thread in one piece.
   */
  async plan(): Promise<ReturnType<typeof planFilters>> {
    const { mode, essentials } = this.core.settings;
    const rules = this.core.rules.all();
    const context: PlanContext = { windowsFolder: this.windowsFolderOfThisPc() };
    const plan: ReturnType<typeof planFilters> = new Map();
    const invalid = new Map<string, string>();
    for (let start = 0; start < rules.length; start += PLAN_STEP) {
      if (start > 0) await nextTurn();
      const usable: Rule[] = [];
      for (const rule of rules.slice(start, start + PLAN_STEP)) {
        const problem = ruleProblem(rule);
        if (problem === undefined) usable.push(rule);
        else invalid.set(rule.id, problem);
      }
      for (const [tag, spec] of planFilters(mode, usable, [], context)) plan.set(tag, spec);
    }
    // Essentials and the default block, once (planFilters per rule is independent of the other rules).
    for (const [tag, spec] of planFilters(mode, [], essentials, context)) plan.set(tag, spec);
    this.invalidRules = invalid;
    return plan;
  }

  /** At start: WFP's event collection for the mode, and our filters brought to the plan from what WFP holds. */
  async reconcileAtStart(): Promise<void> {
    const core = this.core;
    await core.backend.setAllowEvents(core.settings.mode === 'learning');
    await this.ensurePrepared();
    await core.enforcer.reconcileFull(await this.plan());
    this.noteEnforcement();
  }

  /** The Windows folder the backend reports, asked once (filter-plan.ts onThisWindows). */
  windowsFolderOfThisPc(): string {
    return (this.windowsFolder ??= this.core.backend.windowsFolder?.() ?? 'C:\\Windows');
  }

  /** Publishes which rules are not enforced, and tells the user about the ones that just became so. */
  private noteEnforcement(): void {
    const core = this.core;
    const next = new Map(this.invalidRules);
    for (const { source, reason } of core.enforcer.notEnforced()) {
      if (source.kind === 'rule') next.set(source.id, reason);
      else if (source.kind === 'essential') {
        core.publisher.notice('warning', `The essential "${source.id}" is not enforced: ${reason}.`);
      }
    }
    const fresh: string[] = [];
    for (const [id, reason] of next) {
      if (this.notEnforcedRules.get(id) !== reason) {
        core.publisher.markRule(id);
        const rule = core.rules.get(id);
        if (rule) fresh.push(`${rule.app.displayName} (${reason})`);
      }
    }
    for (const id of this.notEnforcedRules.keys()) if (!next.has(id)) core.publisher.markRule(id);
    this.notEnforcedRules = next;
    if (fresh.length > 0) {
      const shown = fresh.slice(0, 3).join('; ') + (fresh.length > 3 ? `; and ${fresh.length - 3} more` : '');
      core.publisher.notice(
        'warning',
        `${fresh.length === 1 ? 'A rule is' : `${fresh.length} rules are`} kept but not enforced: ${shown}. ` +
          'Edit or remove them in Rules.',
      );
    }
  }

  /** BFE restarted and we have a new session: filter ids changed and dynamic objects are gone; apply the rules again. */
  afterEngineRestart(): Promise<void> {
    const core = this.core;
    return core.serial(async () => {
      this.forget();
      core.attribution.forgetAll();
      try {
        await core.backend.setAllowEvents(core.settings.mode === 'learning');
        await this.enforce();
        core.publisher.notice(
          'info',
          'The Base Filtering Engine restarted; Portcullis reconnected and re-applied its rules.',
        );
      } catch {
        // enforce() has published what went wrong.
      }
    });
  }

  /** Another process changed our WFP objects: enumerate them at the next reconcile instead of trusting our picture. */
  forget(): void {
    this.core.enforcer.invalidate();
    this.prepared = false;
  }

  private async ensurePrepared(): Promise<void> {
    if (this.prepared || this.core.settings.mode === 'off') return;
    await this.core.backend.ensureProviderAndSublayer();
    this.prepared = true;
  }

  /** Brings WFP to the plan in one transaction; failures are reported and the store stays the truth. */
  async enforce(): Promise<void> {
    const core = this.core;
    core.lifeCycle.requireStarted();
    try {
      await this.ensurePrepared();
      await core.enforcer.reconcile(await this.plan());
      this.noteEnforcement();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      core.publisher.notice('error', `WFP was not updated: ${message}`);
      throw new CoreError('BACKEND_FAILED', `The rules were saved but WFP refused them: ${message}`);
    } finally {
      core.attribution.forgetOurs();
      core.housekeeping.armExpiry();
    }
  }

  /** Removes every WFP object of ours (filters, sublayer, provider) and stops collecting allow events. */
  async removeAllOurs(): Promise<void> {
    const core = this.core;
    await core.backend.setAllowEvents(false);
    await core.backend.removeAllOurs();
    core.enforcer.invalidate();
    core.attribution.forgetOurs();
    this.prepared = false;
  }
}
