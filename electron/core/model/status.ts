// How Portcullis is doing: its mode, counters, how events reach core, and the notices the user should read.
import type { Mode } from './settings';

export interface Counters {
  readonly eventsIn: number;
  readonly malformed: number;
  readonly lost: number;
  readonly eventsPerSecond: number;
}

export interface Status {
  readonly mode: Mode;
  readonly backend: 'wfp' | 'simulator';
  readonly counters: Counters;
  readonly pendingDecisions: number;
  /** Apps blocked that the decision budgets kept out of the inbox; they are in the Blocked view. */
  readonly moreAppsBlocked?: number;
  /** Blocks that needed no decision (unsolicited inbound, local discovery), counted since start. */
  readonly routineBlocks?: number;
  readonly rules: number;
  /** Where rules, settings and the log are kept, shown in Settings so the user can back it up. */
  readonly dataFolder?: string;
  readonly blockedApps: number;
  /** Problems the user should know about (corrupt store set aside, subscription re-established, ...). */
  readonly notices: readonly Notice[];
  /** How events reach core: batched through the event ring, or one callback each (and why); absent when unknown. */
  readonly delivery?: EventDelivery;
}

export interface EventDelivery {
  readonly mode: 'ring' | 'per-event';
  /** Why events take the per-event callback (the event ring library is missing, not built for this CPU...). */
  readonly note?: string;
}

export interface Notice {
  readonly id: string;
  readonly time: number;
  readonly level: 'info' | 'warning' | 'error';
  readonly message: string;
  /** How many times the same notice was reported (shown once, with the count). */
  readonly count?: number;
}
