// Policy on the event path, in constant time: a blocked app without a rule opens (or adds to) its one pending
// decision and may raise a notification within the notification policy; in Learning every app becomes a candidate.
import type { NetEvent } from '../../../native/api';
import type { AppIdentity, NotificationRequest, Settings } from '../model';
import type { AppIndex } from '../apps/app-index';
import type { AppRecord } from '../apps/app-record';
import { UNATTRIBUTED_KEY } from '../apps/identity';
import { NotificationThrottle } from '../decisions/notification-policy';
import type { Attempt, PendingDecisions, TimeoutPolicy } from '../decisions/pending';
import { routineBlock } from '../decisions/routine-blocks';
import type { LearningCandidates } from '../learning/candidates';
import type { Attribution } from '../pipeline/attribution';
import type { RuleStore } from '../rules/rule-store';
import { isAppWide } from '../rules/schema';
import type { Clock } from '../util/runtime';
import type { Publisher } from './publisher';

export interface PolicySources {
  readonly clock: Clock;
  readonly settings: () => Settings;
  readonly rules: RuleStore;
  readonly decisions: PendingDecisions;
  readonly candidates: LearningCandidates;
  readonly index: AppIndex;
  readonly publisher: Publisher;
  readonly armDecisionTimer: (deadline: number) => void;
}

export class DecisionPolicy {
  private readonly throttle: NotificationThrottle;
  private readonly notificationListeners = new Set<(request: NotificationRequest) => void>();
  private timeout: TimeoutPolicy | undefined;
  private timeoutFor: Settings | undefined;
  /**
   * One reused attempt, every key always present: the inbox copies what it keeps (PendingDecisions.observe), so an
   * attempt of an app with an open decision (the busiest apps of a flood) builds no object.
   */
  private readonly attempt: { -readonly [K in keyof Attempt]: Attempt[K] } = {
    time: 0,
    blockedBy: 'unknown',
    blockedByFilter: undefined,
    direction: undefined,
    remoteAddress: undefined,
    remotePort: undefined,
    localPort: undefined,
    protocol: undefined,
    windowsFirewallRule: false,
  };

  constructor(private readonly s: PolicySources) {
    this.throttle = new NotificationThrottle(s.clock);
  }

  /** `record` is the app's record when the event was counted in it: its open decision is found there. */
  onBlocked(app: AppIdentity, event: NetEvent, who: Attribution, now: number, record?: AppRecord): void {
    const mode = this.s.settings().mode;
    if (mode !== 'monitor' && mode !== 'enforce') return;
    if (app.key === UNATTRIBUTED_KEY || who.source?.kind === 'rule') return;
    if (this.ruledOut(app.key, record)) return;
    if (!this.s.settings().decideRoutineBlocks && routineBlock(app, event, who.blockedBy) !== undefined) {
      this.s.decisions.routineBlocks++;
      this.s.publisher.markStatus();
      return;
    }
    // Most apps of a flood: no open decision and none may open (the inbox's budgets); nothing below would change.
    if (record?.decision === undefined || record.decision.closed) {
      if (this.s.decisions.keptOut(app.key, record)) return;
    }
    const attempt = this.attempt;
    attempt.time = now;
    attempt.blockedBy = who.blockedBy;
    attempt.blockedByFilter = who.filterName;
    attempt.direction = event.direction;
    // The app's endpoint list's own string for this address: hashed once, compared by reference.
    attempt.remoteAddress = record ? record.addressOf(event) : event.remoteAddress;
    attempt.remotePort = event.remotePort;
    attempt.localPort = event.localPort;
    attempt.protocol = event.protocol;
    attempt.windowsFirewallRule = who.windowsFirewallRule === true;
    const result = this.s.decisions.observe(app, attempt, this.timeoutPolicy(), record);
    if (!result) return;
    if (result.evicted !== undefined) {
      this.s.publisher.markDecision(result.evicted);
      this.s.publisher.markStatus();
    }
    this.s.publisher.markDecision(result.id, !result.opened);
    if (result.opened) {
      this.s.publisher.markApp(app.key);
      const decision = this.s.decisions.get(result.id);
      if (decision?.deadline !== undefined) this.s.armDecisionTimer(decision.deadline);
    }
    const last =
      record?.decision?.id === result.id ? record.decision.lastNotified : this.s.decisions.lastNotified(result.id);
    const quietFor = this.s.settings().notifications.perAppMinutes * 60_000;
    if (result.opened || last === undefined || now - last >= quietFor) this.maybeNotify(result.id, app, event);
  }

  onLearned(app: AppIdentity, event: NetEvent, now: number): void {
    if (app.key === UNATTRIBUTED_KEY || this.hasAppWideRule(app.key)) return;
    this.s.candidates.observe(app, {
      time: now,
      ...(event.direction ? { direction: event.direction } : {}),
      ...(event.remoteAddress !== undefined ? { remoteAddress: event.remoteAddress } : {}),
      ...(event.remotePort !== undefined ? { remotePort: event.remotePort } : {}),
      ...(event.protocol !== undefined ? { protocol: event.protocol } : {}),
    });
  }

  /** Ignored, or covered by a rule for the whole app: two lookups, done again only after the rules changed. */
  private ruledOut(appKey: string, record: AppRecord | undefined): boolean {
    const generation = this.s.rules.generation;
    if (record !== undefined && record.rulesGeneration === generation && record.identity.key === appKey) {
      return record.ruledOut;
    }
    const out = this.s.rules.isIgnored(appKey) || this.hasAppWideRule(appKey);
    if (record !== undefined && record.identity.key === appKey) {
      record.rulesGeneration = generation;
      record.ruledOut = out;
    }
    return out;
  }

  private hasAppWideRule(appKey: string): boolean {
    for (const rule of this.s.rules.forApp(appKey)) if (isAppWide(rule)) return true;
    return false;
  }

  private maybeNotify(decisionId: string, app: AppIdentity, event: NetEvent): void {
    if (this.notificationListeners.size === 0) return;
    const verdict = this.throttle.decide(app, this.s.settings().notifications);
    if (!verdict.show) return;
    this.s.decisions.markNotified(decisionId, this.s.clock.now());
    const where =
      event.remoteAddress !== undefined
        ? `${event.remoteAddress}${event.remotePort !== undefined ? `:${event.remotePort}` : ''}`
        : 'the network';
    const request: NotificationRequest = {
      decisionId,
      appKey: app.key,
      title: `${app.displayName} was blocked`,
      body:
        `It tried to reach ${where}. The connection was already blocked; allow it and the app can retry.` +
        (verdict.more > 0 ? ` ${plural(verdict.more, 'more app was', 'more apps were')} blocked meanwhile.` : ''),
      ...(verdict.more > 0 ? { moreApps: verdict.more } : {}),
    };
    for (const listener of this.notificationListeners) {
      try {
        listener(request);
      } catch {
        // A failing shell must not break the pipeline.
      }
    }
  }

  onNotification(listener: (request: NotificationRequest) => void): () => void {
    this.notificationListeners.add(listener);
    return () => this.notificationListeners.delete(listener);
  }

  /** Built once per settings object (settings are replaced, never mutated), not once per event. */
  private timeoutPolicy(): TimeoutPolicy {
    const settings = this.s.settings();
    if (this.timeoutFor !== settings || this.timeout === undefined) {
      const t = settings.decisionTimeoutSeconds;
      this.timeout = {
        defaultAction: settings.decisionDefaultAction,
        ...(t === undefined ? {} : { timeoutSeconds: t }),
      };
      this.timeoutFor = settings;
    }
    return this.timeout;
  }
}

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
