// The types of a net event subscription: what its owner hands in (handlers, options), what it reads back (stats,
// the subscription), and what the subscription's parts share (SubscriptionContext).
import type { NetEvent } from '../api.js';
import type { NetEventVersion } from '../decode/net-event.js';
import type { WfpEngine } from '../engine.js';
import type { WfpFunctionName } from '../wfp/functions.js';

export interface NetEventHandlers {
  /**
   * `taken`: true when the event comes from the event ring, taken on the JS thread in a turn of its own, so that no
   * WFP thread waits while it is handled; false when WFP's delivery thread waits for this call to return.
   */
  onEvent(e: NetEvent, taken: boolean): void;
  /** An event that could not be decoded; it was skipped and counted. */
  onMalformed?(reason: string): void;
  /** WFP reports `count` more events lost (its buffer overflowed, or they reached no live subscription). */
  onLost?(count: number): void;
  /** `count` more events found our event ring full and were dropped; default: reported through onLost. */
  onDropped?(count: number): void;
  /**
   * The watchdog replaced a subscription that was dead: events were lost while no callback came. `missed` is how
   * many (they are in `onLost` and `stats.lost` too). Routine renewals of a quiet subscription are not reported.
   */
  onResubscribed?(info: { confirmedDead: true; missed: number }): void;
  /** Something went wrong that the subscription survives or cannot fix (a renewal or an unsubscribe refused). */
  onError?(error: Error): void;
  /** The engine session is gone (BFE stopped or restarted): no event will come; open a new session and subscribe. */
  onEngineLost?(error: Error): void;
}

export interface SubscribeOptions {
  /** Silence after which the subscription is renewed quietly; 0 turns that off. Default 60 s. */
  watchdogMs?: number;
  /** How often FwpmNetEventsLost0 is read (a growth with no callback renews at once). Default 1 s. */
  lostPollMs?: number;
  /** Use only FwpmNetEventSubscribe<N> instead of the newest that works (tests drive each one). */
  subscribeFunction?: 0 | 1 | 2 | 3 | 4;
  /** Take the per-event koffi callback even where the event ring is available (benchmarks, comparisons). */
  perEvent?: boolean;
}

export interface NetEventSubscriptionStats {
  delivered: number;
  malformed: number;
  /** Events WFP reports lost since we subscribed (FwpmNetEventsLost0; 0 where it is not exported). */
  lost: number;
  resubscriptions: number;
  /** Listener exceptions caught (they never reach WFP). */
  listenerErrors: number;
  /** The FWPM_NET_EVENT<version> structure being decoded (1..5). */
  version: NetEventVersion;
  /** The subscribe function in use. */
  subscribeFunction: WfpFunctionName;
  /** Callback slots left registered because WFP refused to unsubscribe (a small leak instead of a crash). */
  leakedCallbacks: number;
  /** 'ring': WFP's thread copies into our event ring; 'per-event': a koffi callback per event. */
  delivery: 'ring' | 'per-event';
  /** Why events take the per-event callback, when they do. */
  deliveryNote?: string;
  /** Events our ring had no room for (counted in C, reported through onDropped or onLost). */
  dropped: number;
}

export interface NetEventSubscription {
  readonly stats: Readonly<NetEventSubscriptionStats>;
  /** Unsubscribes; no listener is called once this was called. Resolves when WFP has let go of the callback. */
  stop(): Promise<void>;
  readonly stopped: boolean;
  /** Events received from WFP and not yet handed to onEvent (waiting in the ring). */
  waiting(): number;
  /**
   * Hands the events waiting in the ring to onEvent now, at most `max` (the owner's steady-flow pace,
   * batch/drain.ts: core calls it before it builds a delta batch); returns how many. 0 on the per-event path.
   */
  takeWaiting(max?: number): number;
}

/** What the registrations and the watchdog of one subscription share. */
export interface SubscriptionContext {
  readonly engine: WfpEngine;
  readonly handlers: NetEventHandlers;
  readonly stats: NetEventSubscriptionStats;
  /** Calls a listener; an exception it throws is counted in stats.listenerErrors, never passed on. */
  safely(f: () => void): void;
  /** Hands an error to onError (through safely), if there is one. */
  report(e: unknown): void;
}
