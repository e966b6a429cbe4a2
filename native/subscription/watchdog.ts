// The watchdog of one subscription: it renews a subscription gone dead, and tells the owner when the engine is gone.
//
// Why the watchdog: a subscription BFE has dropped looks exactly like a quiet machine from the client side (the
// handle stays valid, no error is ever reported). Two signs tell them apart: FwpmNetEventsLost0 grows while no
// callback arrives (events happened and reached nobody), which renews at once; and plain silence for `watchdogMs`,
// which renews quietly, since on a quiet PC nothing was missed and nobody needs to hear about it. The new
// subscription is made before the old one is released, so a live subscription has no gap; from that moment the old
// one's callbacks are ignored, so nothing arrives twice.
//
// When the engine itself is gone (BFE restarted), the owner is told, to reopen.
import { isEngineGone } from '../engine.js';
import { WfpError } from '../errors.js';
import type { Registrar, Registration } from './registration.js';
import type { SubscriptionContext } from './types.js';

export interface WatchdogTimes {
  /** Silence after which the subscription is renewed quietly; 0 turns that off. */
  watchdogMs: number;
  /** How often FwpmNetEventsLost0 is read. */
  lostPollMs: number;
}

export interface Watchdog {
  /** The registration in use: the first one, or the one the last renewal made. */
  readonly current: Registration;
  /** A renewal is under way; it releases the registration it replaced itself. */
  readonly renewing: boolean;
  /** The engine is gone: nothing is left to unsubscribe from. */
  readonly engineLost: boolean;
  /** Stops polling. */
  stop(): void;
}

/** Watches `first` (just registered) from now on, and the registrations that replace it. */
export function startWatchdog(
  context: SubscriptionContext,
  registrar: Registrar,
  first: Registration,
  { watchdogMs, lostPollMs }: WatchdogTimes,
): Watchdog {
  const { engine, handlers, stats, safely, report } = context;
  const lib = engine.lib;
  let current = first;
  let engineLost = false;
  let renewing = false;

  /** FwpmNetEventsLost0 now; undefined where it is not exported or fails; throws WfpError when the engine is gone. */
  const lostNow = (): number | undefined => {
    if (!lib.exported.has('FwpmNetEventsLost0')) return undefined;
    const buf = Buffer.alloc(8);
    const code = lib.fn.FwpmNetEventsLost0(engine.handle, buf) as number;
    if (code !== 0 && isEngineGone(code)) throw new WfpError('FwpmNetEventsLost0', code);
    return code === 0 ? Number(buf.readBigUInt64LE(0)) : undefined;
  };

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
    if (engineLost || !registrar.active) return;
    engineLost = true;
    registrar.silence();
    current.drain?.stop();
    if (timer) clearInterval(timer);
    timer = undefined;
    const error = e instanceof Error ? e : new Error(String(e));
    if (handlers.onEngineLost) safely(() => handlers.onEngineLost!(error));
    else report(error);
  };

  const renew = async (missed: number): Promise<void> => {
    if (renewing || !registrar.active) return;
    renewing = true;
    try {
      const old = current;
      const fresh = registrar.register();
      // From here on the old registration's callbacks are ignored (see the file comment).
      old.retired = true;
      current = fresh;
      registrar.lastCallbackAt = Date.now();
      stats.resubscriptions++;
      await registrar.release(old);
      if (registrar.active && missed > 0 && handlers.onResubscribed)
        safely(() => handlers.onResubscribed!({ confirmedDead: true, missed }));
    } catch (e) {
      if (e instanceof WfpError && isEngineGone(e.code)) loseEngine(e);
      else if (registrar.active) report(e);
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
      if (!registrar.active) return;
      const tick = Date.now();
      let grew: number;
      try {
        grew = pollLost();
      } catch (e) {
        // The engine is gone (BFE restarted); anything else means our own session is closing and stop() follows.
        if (e instanceof WfpError) loseEngine(e);
        return;
      }
      const lastCallbackAt = registrar.lastCallbackAt;
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

  return {
    get current() {
      return current;
    },
    get renewing() {
      return renewing;
    },
    get engineLost() {
      return engineLost;
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
