// Net event subscription: the newest FwpmNetEventSubscribeN that works, a watchdog that renews a subscription gone
// dead, and a stop that cannot deadlock.
//
// How events arrive: where our event ring library is installed (native/batch), WFP calls its C callback, which
// copies the event into a bounded ring on WFP's thread and returns at once; the JS thread takes the copies in
// batches and decodes them with the same decoder (no thread hop per event; a full ring drops and counts). Without it
// (Windows arm64, no C compiler at install) a koffi callback decodes each event inside the call, one hop to the JS
// thread per event; stats.delivery says which.
//
// Why the watchdog: a subscription BFE has dropped looks exactly like a quiet machine from the client side (the
// handle stays valid, no error is ever reported). Two signs tell them apart: FwpmNetEventsLost0 grows while no
// callback arrives (events happened and reached nobody), which renews at once; and plain silence for `watchdogMs`,
// which renews quietly, since on a quiet PC nothing was missed and nobody needs to hear about it. The new
// subscription is made before the old one is released, so a live subscription has no gap; from that moment the old
// one's callbacks are ignored, so nothing arrives twice.
//
// When Windows says no: the subscribe functions are tried from the newest to the oldest (simplewall and System
// Informer do 4, 3, 2, 1, 0); an unsubscribe WFP refuses leaves the koffi callback registered (a slot leaked, not a
// callback into freed memory) and is reported; unsubscribing waits for any open transaction on the session
// (FWP_E_TXN_IN_PROGRESS otherwise); and when the engine itself is gone (BFE restarted) the owner is told, to reopen.
import koffi from 'koffi';
import type { NetEvent } from './api.js';
import { decodeNetEvent, MalformedEvent, type NetEventVersion } from './decode/net-event.js';
import { callAsync, isEngineGone, type WfpEngine } from './engine.js';
import { WfpError } from './errors.js';
import { createLayerLookup } from './layers.js';
import { createPathMapper } from './paths.js';
import { RingDrain } from './batch/drain.js';
import { createEventRing, type EventRing } from './batch/event-ring.js';
import { loadEventRingLibrary } from './batch/load.js';
import { FWPM_NET_EVENT_CALLBACK, type WfpFunctionName } from './wfp/functions.js';

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

const DEFAULT_WATCHDOG_MS = 60_000;
const DEFAULT_LOST_POLL_MS = 1_000;
const SUBSCRIBE_FUNCTIONS = [
  'FwpmNetEventSubscribe4',
  'FwpmNetEventSubscribe3',
  'FwpmNetEventSubscribe2',
  'FwpmNetEventSubscribe1',
  'FwpmNetEventSubscribe0',
] as const satisfies readonly WfpFunctionName[];
type SubscribeName = (typeof SUBSCRIBE_FUNCTIONS)[number];

const ZERO_GUID = { Data1: 0, Data2: 0, Data3: 0, Data4: [0, 0, 0, 0, 0, 0, 0, 0] };

/** One FwpmNetEventSubscribeN registration: its callback (a koffi slot, or the ring's C callback) and WFP handle. */
interface Registration {
  callback: unknown;
  handle: unknown;
  retired: boolean;
  ring?: EventRing;
  drain?: RingDrain;
  /** Events taken out of the ring (decoded or counted malformed). */
  taken: number;
}

const versionOf = (name: SubscribeName): NetEventVersion => (Number(name.slice(-1)) + 1) as NetEventVersion;

/** The subscribe functions to try, newest first; only `forced` when given. */
export function subscribeCandidates(engine: WfpEngine, forced?: number): SubscribeName[] {
  if (forced !== undefined) {
    const name = `FwpmNetEventSubscribe${forced}` as SubscribeName;
    if (!engine.lib.exported.has(name)) throw new WfpError(name, 127, 'not exported by this Windows');
    return [name];
  }
  const names = SUBSCRIBE_FUNCTIONS.filter((n) => engine.lib.exported.has(n));
  if (names.length === 0) throw new WfpError('FwpmNetEventSubscribe0', 127, 'not exported by this Windows');
  return names;
}

/** Falling back cannot help: the process lacks the rights, or the engine is gone. */
const isFinal = (e: WfpError) => e.symbol === 'ERROR_ACCESS_DENIED' || isEngineGone(e.code);

export async function subscribe(
  engine: WfpEngine,
  handlers: NetEventHandlers,
  options: SubscribeOptions = {},
): Promise<NetEventSubscription> {
  let candidates = subscribeCandidates(engine, options.subscribeFunction);
  const lib = engine.lib;
  const mapper = createPathMapper(lib);
  const resolveAppPath = (nt: string) => mapper.ntToDos(nt);
  const resolveLayer = createLayerLookup(lib, () => engine.handle);
  const watchdogMs = options.watchdogMs ?? DEFAULT_WATCHDOG_MS;
  const lostPollMs = options.lostPollMs ?? DEFAULT_LOST_POLL_MS;
  const stats: NetEventSubscriptionStats = {
    delivered: 0,
    malformed: 0,
    lost: 0,
    resubscriptions: 0,
    listenerErrors: 0,
    version: versionOf(candidates[0]!),
    subscribeFunction: candidates[0]!,
    leakedCallbacks: 0,
    delivery: 'per-event',
    dropped: 0,
  };
  const ringLibrary = options.perEvent ? undefined : loadEventRingLibrary();
  if (ringLibrary?.available) stats.delivery = 'ring';
  else stats.deliveryNote = ringLibrary ? ringLibrary.reason : 'the per-event callback was asked for';

  let active = true;
  let engineLost = false;
  let lastCallbackAt = Date.now();
  let current: Registration;
  let stopping: Promise<void> | undefined;
  let renewing = false;

  const safely = (f: () => void) => {
    try {
      f();
    } catch {
      stats.listenerErrors++;
    }
  };
  const report = (e: unknown) => {
    if (handlers.onError) safely(() => handlers.onError!(e instanceof Error ? e : new Error(String(e))));
  };

  const malformed = (reason: string) => {
    stats.malformed++;
    if (handlers.onMalformed) safely(() => handlers.onMalformed!(reason));
  };
  const onMalformed = (e: unknown) =>
    malformed(e instanceof MalformedEvent ? e.message : `decode failed: ${String(e)}`);

  // A decoded event from the ring, on the JS thread.
  const deliver = (reg: Registration, event: NetEvent) => {
    if (!active || reg.retired) return;
    lastCallbackAt = Date.now();
    stats.delivered++;
    try {
      handlers.onEvent(event, true);
    } catch {
      stats.listenerErrors++;
    }
  };
  const onDropped = (count: number) => {
    stats.dropped += count;
    const tell = handlers.onDropped ?? handlers.onLost;
    if (tell) safely(() => tell(count));
  };

  // Runs on the JS thread while WFP's delivery thread waits, once per event: decode now, never throw into C, and
  // allocate nothing but the event itself.
  const makeCallback = (reg: Registration, version: NetEventVersion) => (_context: unknown, eventPtr: unknown) => {
    try {
      if (!active || reg.retired) return;
      lastCallbackAt = Date.now();
      let event: NetEvent;
      try {
        event = decodeNetEvent(eventPtr, version, resolveAppPath, resolveLayer);
      } catch (e) {
        onMalformed(e);
        return;
      }
      stats.delivered++;
      try {
        handlers.onEvent(event, false);
      } catch {
        stats.listenerErrors++;
      }
    } catch {
      stats.listenerErrors++;
    }
  };

  const registerWith = (name: SubscribeName): Registration => {
    const reg: Registration = { callback: null, handle: null, retired: false, taken: 0 };
    const version = versionOf(name);
    if (ringLibrary?.available) {
      reg.ring = createEventRing(ringLibrary.handle, version, { resolveAppPath, resolveLayer });
      reg.callback = reg.ring.callback;
    } else {
      reg.callback = koffi.register(makeCallback(reg, version), koffi.pointer(FWPM_NET_EVENT_CALLBACK));
    }
    // WFP refused: it never had the callback, so the slot (or ring) can go.
    const discard = () => (reg.ring ? reg.ring.destroy() : koffi.unregister(reg.callback as bigint));
    const out: unknown[] = [null];
    let code: number;
    try {
      code = lib.fn[name](
        engine.handle,
        { enumTemplate: null, flags: 0, sessionKey: ZERO_GUID },
        reg.callback,
        reg.ring ? reg.ring.context : null,
        out,
      ) as number;
    } catch (e) {
      discard();
      throw e;
    }
    if (code !== 0) {
      discard();
      throw new WfpError(name, code);
    }
    reg.handle = out[0];
    if (reg.ring) {
      reg.drain = new RingDrain(reg.ring, {
        onEvent: (event) => {
          reg.taken++;
          deliver(reg, event);
        },
        onMalformed: (reason) => {
          reg.taken++;
          if (active && !reg.retired) malformed(reason);
        },
        onDropped,
      });
      reg.drain.start();
    }
    return reg;
  };

  // The newest function that works; a failure that an older one cannot fix (rights, engine gone) ends the search.
  const register = (): Registration => {
    let first: unknown;
    for (let i = 0; i < candidates.length; i++) {
      const name = candidates[i]!;
      try {
        const reg = registerWith(name);
        candidates = candidates.slice(i); // a function that failed once is not tried again
        stats.subscribeFunction = name;
        stats.version = versionOf(name);
        return reg;
      } catch (e) {
        first ??= e;
        if (!(e instanceof WfpError) || isFinal(e)) throw e;
      }
    }
    throw first;
  };

  // Unsubscribe off the main thread (it waits for a running callback, which needs the main thread) and outside any
  // transaction of this session; only once WFP has let go may the callback slot be freed. If WFP refuses, the slot
  // stays registered: a callback into an unregistered slot would crash the process, a leaked slot costs a few bytes.
  // The ring's C callback never waits for the JS thread; closed first, a full ring drops at once, so the unsubscribe
  // never waits on a reader that stopped reading. Events still in the ring are not delivered (nothing is once
  // stop was called, or once a renewal replaced this registration).
  const release = async (reg: Registration): Promise<void> => {
    reg.retired = true;
    reg.drain?.stop();
    reg.ring?.close();
    let failure: unknown;
    try {
      const code = await engine.outside(() => callAsync(lib.fn.FwpmNetEventUnsubscribe0, engine.handle, reg.handle));
      if (code !== 0) failure = new WfpError('FwpmNetEventUnsubscribe0', code);
    } catch (e) {
      failure = e;
    }
    if (failure === undefined) {
      if (reg.ring) reg.ring.destroy();
      else koffi.unregister(reg.callback as bigint);
      return;
    }
    stats.leakedCallbacks++;
    // After an engine restart there is nobody left to unsubscribe from, and nobody to call the slot either.
    if (!(failure instanceof WfpError && isEngineGone(failure.code))) report(failure);
  };

  /** FwpmNetEventsLost0 now; undefined where it is not exported or fails; throws WfpError when the engine is gone. */
  const lostNow = (): number | undefined => {
    if (!lib.exported.has('FwpmNetEventsLost0')) return undefined;
    const buf = Buffer.alloc(8);
    const code = lib.fn.FwpmNetEventsLost0(engine.handle, buf) as number;
    if (code !== 0 && isEngineGone(code)) throw new WfpError('FwpmNetEventsLost0', code);
    return code === 0 ? Number(buf.readBigUInt64LE(0)) : undefined;
  };

  current = register();
  const lostBaseline = lostNow() ?? 0;
  let lostSeen = lostBaseline;

  /** Reads the lost counter; returns how much it grew. */
  const pollLost = (): number => {
    const now = lostNow();
    if (now === undefined || now <= lostSeen) return 0;
    const delta = now - lostSeen;
    lostSeen = now;
    stats.lost = now - lostBaseline;
    if (handlers.onLost) safely(() => handlers.onLost!(delta));
    return delta;
  };

  const loseEngine = (e: unknown) => {
    if (engineLost || !active) return;
    engineLost = true;
    active = false;
    current.drain?.stop();
    if (timer) clearInterval(timer);
    timer = undefined;
    const error = e instanceof Error ? e : new Error(String(e));
    if (handlers.onEngineLost) safely(() => handlers.onEngineLost!(error));
    else report(error);
  };

  const renew = async (missed: number): Promise<void> => {
    if (renewing || !active) return;
    renewing = true;
    try {
      const old = current;
      const fresh = register();
      // From here on the old registration's callbacks are ignored (see the file comment).
      old.retired = true;
      current = fresh;
      lastCallbackAt = Date.now();
      stats.resubscriptions++;
      await release(old);
      if (active && missed > 0 && handlers.onResubscribed)
        safely(() => handlers.onResubscribed!({ confirmedDead: true, missed }));
    } catch (e) {
      if (e instanceof WfpError && isEngineGone(e.code)) loseEngine(e);
      else if (active) report(e);
    } finally {
      renewing = false;
    }
  };

  // Events lost, then not one callback during the next poll period (callbacks already queued for the JS thread may
  // run only after this timer, so the growth itself is not enough): the events reached nobody, so this subscription
  // is dead. A live one under a flood loses events too, but its callbacks keep coming.
  let missedSinceCallback = 0;
  let lossSeenAt = 0;
  let timer: NodeJS.Timeout | undefined = setInterval(
    () => {
      if (!active) return;
      const tick = Date.now();
      let grew: number;
      try {
        grew = pollLost();
      } catch (e) {
        // The engine is gone (BFE restarted); anything else means our own session is closing and stop() follows.
        if (e instanceof WfpError) loseEngine(e);
        return;
      }
      if (missedSinceCallback > 0 && lastCallbackAt >= lossSeenAt) missedSinceCallback = 0; // it is alive
      if (missedSinceCallback > 0) {
        const missed = missedSinceCallback + grew;
        missedSinceCallback = 0;
        void renew(missed);
      } else if (grew > 0) {
        missedSinceCallback = grew;
        lossSeenAt = tick;
      } else if (watchdogMs > 0 && tick - lastCallbackAt >= watchdogMs) {
        void renew(0);
      }
    },
    Math.max(1, watchdogMs > 0 ? Math.min(watchdogMs, lostPollMs) : lostPollMs),
  );
  timer.unref();

  const unhook = engine.onClose(() => subscription.stop());

  const subscription: NetEventSubscription = {
    stats,
    get stopped() {
      return !active;
    },
    waiting() {
      if (!active || !current.ring) return 0;
      return Math.max(0, current.ring.stats().accepted - current.taken);
    },
    takeWaiting(max) {
      if (!active || current.retired || !current.drain) return 0;
      return current.drain.takeNow(max);
    },
    stop() {
      if (stopping) return stopping;
      active = false;
      if (timer) clearInterval(timer);
      timer = undefined;
      unhook();
      stopping = (async () => {
        // A renewal in progress finishes its own release; wait for it so `current` is final.
        while (renewing) await new Promise((r) => setTimeout(r, 1));
        if (engineLost) {
          current.retired = true;
          current.drain?.stop();
          stats.leakedCallbacks++;
          return;
        }
        await release(current);
      })();
      return stopping;
    },
  };
  return subscription;
}
