// What the UI draws from: the whole state at once (a snapshot, paged where it is large) and the changes since.
import type { ActivityEntry } from './activity';
import type { AppEntry } from './apps';
import type { LearningCandidate, PendingDecision } from './decisions';
import type { Rule } from './rules';
import type { Settings } from './settings';
import type { Status } from './status';

/** Everything the UI needs to draw itself from nothing. */
export interface Snapshot {
  readonly status: Status;
  readonly settings: Settings;
  readonly apps: readonly AppEntry[];
  readonly rules: readonly Rule[];
  readonly decisions: readonly PendingDecision[];
  readonly candidates: readonly LearningCandidate[];
  readonly activity: readonly ActivityEntry[];
  /**
   * Set when `apps` is only the first screen (the most recently active apps): the rest follow from snapshot.apps,
   * starting at this cursor, so that no single answer holds the main thread long.
   */
  readonly appsNext?: number;
  /**
   * Set when `activity` is only the newest entries: older ones follow from snapshot.activity, a page at a time,
   * starting before this sequence number (the oldest entry given).
   */
  readonly activityNext?: number;
  /** Set when `rules` is only the first ones: the rest follow from snapshot.rules, starting at this cursor. */
  readonly rulesNext?: number;
}

/** Log entries older than `before` (oldest first); `next` is where the page after it starts, absent at the end. */
export interface ActivityPage {
  readonly activity: readonly ActivityEntry[];
  readonly next?: number;
}

/** One page of the rules a paged snapshot left out; `next` is absent on the last page. */
export interface RulesPage {
  readonly rules: readonly Rule[];
  readonly next?: number;
}

/** One page of the apps a paged snapshot left out; `next` is absent on the last page. */
export interface AppsPage {
  readonly apps: readonly AppEntry[];
  readonly next?: number;
}

/** What changed since the previous batch; sent at most every batchIntervalMs, never once per event. */
export interface DeltaBatch {
  readonly seq: number;
  readonly status?: Status;
  readonly settings?: Settings;
  readonly apps?: readonly AppEntry[];
  readonly removedApps?: readonly string[];
  readonly rules?: readonly Rule[];
  readonly removedRules?: readonly string[];
  readonly decisions?: readonly PendingDecision[];
  readonly closedDecisions?: readonly string[];
  readonly candidates?: readonly LearningCandidate[];
  readonly removedCandidates?: readonly string[];
  /** New activity entries, oldest first. */
  readonly activity?: readonly ActivityEntry[];
  /**
   * Entries logged since the previous batch but left out of this one to keep it small under a flood (the newest
   * are sent); core's log keeps them and the export has them all.
   */
  readonly activitySkipped?: number;
}
