// Net event subscription: the newest FwpmNetEventSubscribeN that works, a watchdog that renews a subscription gone
// dead, and a stop that cannot deadlock. Its parts: subscription/registration.ts registers one subscription (the
// event ring or a koffi callback per event, the newest-to-oldest fallback) and releases it off the main thread;
// subscription/watchdog.ts renews a subscription gone dead and notices the engine gone; subscription/types.ts holds
// the types.
import type { WfpEngine } from './engine.js';
import { WfpError } from './errors.js';
import { createRegistrar, SUBSCRIBE_FUNCTIONS, versionOf, type SubscribeName } from './subscription/registration.js';
import type {
  NetEventHandlers,
  NetEventSubscription,
  NetEventSubscriptionStats,
  SubscribeOptions,
  SubscriptionContext,
} from './subscription/types.js';
import { startWatchdog } from './subscription/watchdog.js';

export type {
  NetEventHandlers,
  NetEventSubscription,
  NetEventSubscriptionStats,
  SubscribeOptions,
} from './subscription/types.js';

const DEFAULT_WATCHDOG_MS = 60_000;
const DEFAULT_LOST_POLL_MS = 1_000;

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

export async function subscribe(
  engine: WfpEngine,
  handlers: NetEventHandlers,
  options: SubscribeOptions = {},
): Promise<NetEventSubscription> {
  const candidates = subscribeCandidates(engine, options.subscribeFunction);
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
  const context: SubscriptionContext = { engine, handlers, stats, safely, report };

  const registrar = createRegistrar(context, candidates, options.perEvent ?? false);
  const watchdog = startWatchdog(context, registrar, registrar.register(), {
    watchdogMs: options.watchdogMs ?? DEFAULT_WATCHDOG_MS,
    lostPollMs: options.lostPollMs ?? DEFAULT_LOST_POLL_MS,
  });
  let stopping: Promise<void> | undefined;

  const unhook = engine.onClose(() => subscription.stop());

  const subscription: NetEventSubscription = {
    stats,
    get stopped() {
      return !registrar.active;
    },
    waiting() {
      const current = watchdog.current;
      if (!registrar.active || !current.ring) return 0;
      return Math.max(0, current.ring.stats().accepted - current.taken);
    },
    takeWaiting(max) {
      const current = watchdog.current;
      if (!registrar.active || current.retired || !current.drain) return 0;
      return current.drain.takeNow(max);
    },
    stop() {
      if (stopping) return stopping;
      registrar.silence();
      watchdog.stop();
      unhook();
      stopping = (async () => {
        // A renewal in progress finishes its own release; wait for it so `current` is final.
        while (watchdog.renewing) await new Promise((r) => setTimeout(r, 1));
        const current = watchdog.current;
        if (watchdog.engineLost) {
          current.retired = true;
          current.drain?.stop();
          stats.leakedCallbacks++;
          return;
        }
        await registrar.release(current);
      })();
      return stopping;
    },
  };
  return subscription;
}
