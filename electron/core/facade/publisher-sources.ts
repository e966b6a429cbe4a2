// What the publisher, its row views and the snapshot pages read of core: its stores and what enrichment found out,
// each handed in by CoreState (core.ts), so that these parts build rows from core's state without holding core.
import type { AppPublisher, Settings, Status } from '../model';
import type { AppIndex } from '../apps/app-index';
import type { PendingDecisions } from '../decisions/pending';
import type { ReverseDns } from '../enrichment/reverse-dns';
import type { HostNames } from '../enrichment/host-names';
import type { LearningCandidates } from '../learning/candidates';
import type { ActivityLog } from '../pipeline/activity-log';
import type { EventCounters } from '../pipeline/counters';
import type { RuleStore } from '../rules/rule-store';
import type { Clock, IdSource, Timers } from '../util/runtime';

export interface PublisherSources {
  readonly clock: Clock;
  readonly timers: Timers;
  readonly ids: IdSource;
  readonly settings: () => Settings;
  readonly backendKind: () => Status['backend'];
  /** How events reach core (the subscription's, else what the backend expects), when known. */
  readonly delivery?: () => Status['delivery'];
  /** Hands core the events received and not yet delivered, before a batch is built (EventSubscription.takeWaiting). */
  readonly takeWaiting?: () => void;
  /** Where rules and settings live, shown in Settings. */
  readonly dataFolder: string;
  readonly counters: EventCounters;
  readonly decisions: PendingDecisions;
  readonly rules: RuleStore;
  readonly index: AppIndex;
  readonly candidates: LearningCandidates;
  readonly activity: ActivityLog;
  readonly reverseDns: () => ReverseDns;
  /** Why a rule has no filter in WFP, when it has none. */
  readonly notEnforced?: (ruleId: string) => string | undefined;
  /** The code signature of an executable, once checked (enrichment/code-signature.ts). */
  readonly publisherOf?: (path: string) => AppPublisher | undefined;
  /** The domains programs looked up, by address (enrichment/host-names.ts). */
  readonly hostNames?: HostNames;
  /** The path as written on disk (enrichment/real-case.ts). */
  readonly realCaseOf?: (path: string) => string | undefined;
}
