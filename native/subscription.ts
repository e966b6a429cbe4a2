// Net event subscription: the newest FwpmNetEventSubscribeN the library exports, decoding inside the callback,
// a watchdog that renews a subscription gone silent, and a stop that cannot deadlock.
//
// Why the watchdog renews on silence: a subscription BFE has dropped looks exactly like a quiet machine from the
// client side (the handle stays valid, no error is ever reported). Events lost while we were silent
// (FwpmNetEventsLost0 grew) prove death; otherwise a renewal costs one subscribe/unsubscribe pair, so we renew
// whenever `watchdogMs` pass without a callback. The new subscription is made before the old one is released, so a
// live subscription has no gap; from that moment the old one's callbacks are ignored, so nothing arrives twice.
import koffi from 'koffi';
import type { NetEvent } from './api.js';
import { decodeNetEvent, MalformedEvent, type NetEventVersion } from './decode/net-event.js';
import { callAsync, type WfpEngine } from './engine.js';
import { WfpError } from './errors.js';
import { createPathMapper } from './paths.js';
import { FWPM_NET_EVENT_CALLBACK, type WfpFunctionName } from './wfp/functions.js';

export interface NetEventHandlers {
  onEvent(e: NetEvent): void;
  /** An event that could not be decoded; it was skipped and counted. */
  onMalformed?(reason: string): void;
  /** WFP reports `count` more events lost (its buffer overflowed or nobody was listening). */
  onLost?(count: number): void;
  /** The subscription was renewed by the watchdog. `confirmedDead`: events were lost while it was silent. */
  onResubscribed?(info: { confirmedDead: boolean }): void;
  /** The watchdog could not renew the subscription (the engine session is gone, BFE stopped). */
  onError?(error: Error): void;
}

export interface SubscribeOptions {
  /** Silence after which the subscription is renewed; 0 turns the watchdog off. Default 60 s. */
  watchdogMs?: number;
  /** Use FwpmNetEventSubscribe<N> instead of the newest exported (tests drive each one). */
  subscribeFunction?: 0 | 1 | 2 | 3 | 4;
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
}

export interface NetEventSubscription {
  readonly stats: Readonly<NetEventSubscriptionStats>;
  /** Unsubscribes; no listener is called once this was called. Resolves when WFP has let go of the callback. */
  stop(): Promise<void>;
  readonly stopped: boolean;
}

const DEFAULT_WATCHDOG_MS = 60_000;
const LOST_POLL_MS = 5_000;
const SUBSCRIBE_FUNCTIONS = [
  'FwpmNetEventSubscribe4',
  'FwpmNetEventSubscribe3',
  'FwpmNetEventSubscribe2',
  'FwpmNetEventSubscribe1',
  'FwpmNetEventSubscribe0',
] as const satisfies readonly WfpFunctionName[];

const ZERO_GUID = { Data1: 0, Data2: 0, Data3: 0, Data4: [0, 0, 0, 0, 0, 0, 0, 0] };

/** One FwpmNetEventSubscribeN registration: its koffi callback slot and WFP handle. */
interface Registration {
  callback: unknown;
  handle: unknown;
  retired: boolean;
}

export function pickSubscribeFunction(
  engine: WfpEngine,
  forced?: number,
): { name: WfpFunctionName; version: NetEventVersion } {
  const name: WfpFunctionName | undefined =
    forced !== undefined
      ? (`FwpmNetEventSubscribe${forced}` as WfpFunctionName)
      : SUBSCRIBE_FUNCTIONS.find((n) => engine.lib.exported.has(n));
  if (!name || !engine.lib.exported.has(name)) {
    throw new WfpError(name ?? 'FwpmNetEventSubscribe0', 127, 'not exported by this Windows');
  }
  return { name, version: (Number(name.slice(-1)) + 1) as NetEventVersion };
}

export async function subscribe(
  engine: WfpEngine,
  handlers: NetEventHandlers,
  options: SubscribeOptions = {},
): Promise<NetEventSubscription> {
  const { name, version } = pickSubscribeFunction(engine, options.subscribeFunction);
  const lib = engine.lib;
  const mapper = createPathMapper(lib);
  const resolveAppPath = (nt: string) => mapper.ntToDos(nt);
  const watchdogMs = options.watchdogMs ?? DEFAULT_WATCHDOG_MS;
  const stats: NetEventSubscriptionStats = {
    delivered: 0,
    malformed: 0,
    lost: 0,
    resubscriptions: 0,
    listenerErrors: 0,
    version,
  };

  let active = true;
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

  const onMalformed = (e: unknown) => {
    stats.malformed++;
    const reason = e instanceof MalformedEvent ? e.message : `decode failed: ${String(e)}`;
    if (handlers.onMalformed) safely(() => handlers.onMalformed!(reason));
  };

  // Runs on the JS thread while WFP's delivery thread waits, once per event: decode now, never throw into C, and
  // allocate nothing but the event itself.
  const makeCallback = (reg: Registration) => (_context: unknown, eventPtr: unknown) => {
    try {
      if (!active || reg.retired) return;
      lastCallbackAt = Date.now();
      let event: NetEvent;
      try {
        event = decodeNetEvent(eventPtr, version, resolveAppPath);
      } catch (e) {
        onMalformed(e);
        return;
      }
      stats.delivered++;
      try {
        handlers.onEvent(event);
      } catch {
        stats.listenerErrors++;
      }
    } catch {
      stats.listenerErrors++;
    }
  };

  const register = (): Registration => {
    const reg: Registration = { callback: null, handle: null, retired: false };
    reg.callback = koffi.register(makeCallback(reg), koffi.pointer(FWPM_NET_EVENT_CALLBACK));
    const out: unknown[] = [null];
    let code: number;
    try {
      code = lib.fn[name](
        engine.handle,
        { enumTemplate: null, flags: 0, sessionKey: ZERO_GUID },
        reg.callback,
        null,
        out,
      ) as number;
    } catch (e) {
      koffi.unregister(reg.callback as bigint);
      throw e;
    }
    if (code !== 0) {
      koffi.unregister(reg.callback as bigint);
      throw new WfpError(name, code);
    }
    reg.handle = out[0];
    return reg;
  };

  // Unsubscribe off the main thread (it waits for a running callback, which needs the main thread), then free
  // the callback slot: only now can WFP no longer call it.
  const release = async (reg: Registration): Promise<void> => {
    reg.retired = true;
    try {
      const code = await callAsync(lib.fn.FwpmNetEventUnsubscribe0, engine.handle, reg.handle);
      if (code !== 0) throw new WfpError('FwpmNetEventUnsubscribe0', code);
    } finally {
      koffi.unregister(reg.callback as bigint);
    }
  };

  const lostNow = (): number | undefined => {
    if (!lib.exported.has('FwpmNetEventsLost0')) return undefined;
    const buf = Buffer.alloc(8);
    const code = lib.fn.FwpmNetEventsLost0(engine.handle, buf) as number;
    return code === 0 ? Number(buf.readBigUInt64LE(0)) : undefined;
  };

  current = register();
  const lostBaseline = lostNow();
  let lostSeen = lostBaseline ?? 0;
  let lostAtLastRenewal = lostSeen;

  const pollLost = (): boolean => {
    const now = lostNow();
    if (now === undefined || now <= lostSeen) return false;
    const delta = now - lostSeen;
    lostSeen = now;
    stats.lost = now - (lostBaseline ?? 0);
    if (handlers.onLost) safely(() => handlers.onLost!(delta));
    return true;
  };

  const renew = async (): Promise<void> => {
    if (renewing || !active) return;
    renewing = true;
    try {
      const confirmedDead = lostSeen > lostAtLastRenewal;
      const old = current;
      const fresh = register();
      // From here on the old registration's callbacks are ignored (see the file comment).
      old.retired = true;
      current = fresh;
      lastCallbackAt = Date.now();
      lostAtLastRenewal = lostSeen;
      stats.resubscriptions++;
      await release(old).catch(() => undefined);
      if (active && handlers.onResubscribed) safely(() => handlers.onResubscribed!({ confirmedDead }));
    } catch (e) {
      if (active && handlers.onError) safely(() => handlers.onError!(e instanceof Error ? e : new Error(String(e))));
    } finally {
      renewing = false;
    }
  };

  let timer: NodeJS.Timeout | undefined;
  const tickMs = watchdogMs > 0 ? Math.min(watchdogMs, LOST_POLL_MS) : LOST_POLL_MS;
  timer = setInterval(() => {
    if (!active) return;
    try {
      pollLost();
    } catch {
      // the engine session is closing; stop() follows
    }
    if (watchdogMs > 0 && Date.now() - lastCallbackAt >= watchdogMs) void renew();
  }, tickMs);
  timer.unref();

  const unhook = engine.onClose(() => subscription.stop());

  const subscription: NetEventSubscription = {
    stats,
    get stopped() {
      return !active;
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
        await release(current);
      })();
      return stopping;
    },
  };
  return subscription;
}
