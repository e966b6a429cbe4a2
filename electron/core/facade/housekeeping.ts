// Work that time alone triggers: timed rules expiring, pending decisions reaching their deadline, and the end of
// a learning period. Each runs in core's change queue, so it never interleaves with a user's change.
import { ruleFromDecision } from '../decisions/decision-rule';
import type { RuleDraft } from '../rules/rule-store';
import { mergeSettings } from '../settings/schema';
import { OneShot } from '../util/runtime';
import type { CoreState } from './core';

export class Housekeeping {
  private readonly expiryTimer: OneShot;
  private readonly decisionTimer: OneShot;
  private readonly learningTimer: OneShot;

  constructor(private readonly core: CoreState) {
    this.expiryTimer = new OneShot(core.timers, core.clock, () => this.expireRules());
    this.decisionTimer = new OneShot(core.timers, core.clock, () => this.applyDecisionTimeouts());
    this.learningTimer = new OneShot(core.timers, core.clock, () => this.endLearningPeriod());
  }

  armAll(): void {
    this.armExpiry();
    this.armDecisionDeadline(this.core.decisions.nextDeadline());
    const until = this.core.settings.learningUntil;
    if (until !== undefined) this.learningTimer.armAt(until);
    else this.learningTimer.cancel();
  }

  cancelAll(): void {
    this.expiryTimer.cancel();
    this.decisionTimer.cancel();
    this.learningTimer.cancel();
  }

  armExpiry(): void {
    const next = this.core.rules.nextExpiry();
    if (next === undefined) this.expiryTimer.cancel();
    else this.expiryTimer.armAt(next);
  }

  armDecisionDeadline(deadline: number | undefined): void {
    if (deadline !== undefined) this.decisionTimer.armAt(deadline);
  }

  private expireRules(): void {
    const core = this.core;
    void core.serial(async () => {
      if (!core.lifeCycle.isStarted) return;
      const change = await core.rules.expire(core.clock.now());
      if (change.removed.length > 0) {
        core.ruleChanges.afterChange(change);
        await core.wfp.enforce().catch(() => undefined); // reported as a notice; the next change retries
      }
      this.armExpiry();
    });
  }

  private applyDecisionTimeouts(): void {
    const core = this.core;
    void core.serial(async () => {
      if (!core.lifeCycle.isStarted) return;
      const now = core.clock.now();
      const drafts: RuleDraft[] = [];
      for (const decision of core.decisions.due(now)) {
        const action = decision.defaultAction ?? core.settings.decisionDefaultAction;
        const direction = core.decisions.directionOf(decision.id);
        core.decisions.close(decision.id);
        core.publisher.markDecision(decision.id);
        drafts.push(ruleFromDecision(decision, action, 'app', 'untilRestart', now, 'timeout', 0, direction));
      }
      if (drafts.length > 0) await core.ruleChanges.add(drafts).catch(() => undefined); // reported by enforce()
      this.armDecisionDeadline(core.decisions.nextDeadline());
    });
  }

  private endLearningPeriod(): void {
    const core = this.core;
    void core.serial(async () => {
      if (!core.lifeCycle.isStarted) return;
      const until = core.settings.learningUntil;
      if (until === undefined) return;
      if (until > core.clock.now()) {
        this.learningTimer.armAt(until);
        return;
      }
      const taken = core.candidates.take('all');
      core.settingsChanges.save(mergeSettings(core.settings, { learningUntil: null }));
      if (taken.length > 0) {
        const drafts = taken.map((c) => ({ ...c.proposed, decidedBy: 'learning-period' as const }));
        await core.ruleChanges.add(drafts).catch(() => undefined); // reported by enforce()
        core.publisher.notice('info', `The learning period ended: ${taken.length} application(s) were allowed.`);
      }
    });
  }
}
