// One FwpmNetEventSubscribeN registration and its release: the callback WFP calls, the newest subscribe function
// that works, and an unsubscribe that cannot deadlock.
//
// How events arrive: where our event ring library is installed (native/batch), WFP calls its C callback, which
// copies the event into a bounded ring on WFP's thread and returns at once; the JS thread takes the copies in
// batches and decodes them with the same decoder (no thread hop per event; a full ring drops and counts). Without it
// (Windows arm64, no C compiler at install) a koffi callback decodes each event inside the call, one hop to the JS
// thread per event; stats.delivery says which.
//
// When Windows says no: the subscribe functions are tried from the newest to the oldest (simplewall and System
// Informer do 4, 3, 2, 1, 0); an unsubscribe WFP refuses leaves the koffi callback registered (a slot leaked, not a
// callback into freed memory) and is reported; and unsubscribing waits for any open transaction on the session
// (FWP_E_TXN_IN_PROGRESS otherwise).
import koffi from 'koffi';
import type { NetEvent } from '../api.js';
import { decodeNetEvent, MalformedEvent, type NetEventVersion } from '../decode/net-event.js';
import { callAsync, isEngineGone } from '../engine.js';
import { WfpError } from '../errors.js';
import { createLayerLookup } from '../layers.js';
import { createPathMapper } from '../paths.js';
import { RingDrain } from '../batch/drain.js';
import { createEventRing, type EventRing } from '../batch/event-ring.js';
import { loadEventRingLibrary } from '../batch/load.js';
import { FWPM_NET_EVENT_CALLBACK, type WfpFunctionName } from '../wfp/functions.js';
import type { SubscriptionContext } from './types.js';

export const SUBSCRIBE_FUNCTIONS = [
  'FwpmNetEventSubscribe4',
  'FwpmNetEventSubscribe3',
  'FwpmNetEventSubscribe2',
  'FwpmNetEventSubscribe1',
  'FwpmNetEventSubscribe0',
] as const satisfies readonly WfpFunctionName[];
export type SubscribeName = (typeof SUBSCRIBE_FUNCTIONS)[number];

const ZERO_GUID = { Data1: 0, Data2: 0, Data3: 0, Data4: [0, 0, 0, 0, 0, 0, 0, 0] };

/** One FwpmNetEventSubscribeN registration: its callback (a koffi slot, or the ring's C callback) and WFP handle. */
export interface Registration {
  callback: unknown;
  handle: unknown;
  retired: boolean;
  ring?: EventRing;
  drain?: RingDrain;
  /** Events taken out of the ring (decoded or counted malformed). */
  taken: number;
}

/** Registers and releases the registrations of one subscription; their callbacks call its listeners. */
export interface Registrar {
  /** The newest subscribe function that works; a failure that an older one cannot fix (rights, engine gone) throws. */
  register(): Registration;
  /** Unsubscribes off the main thread; the callback is freed only once WFP has let go of it. */
  release(reg: Registration): Promise<void>;
  /** False once silenced: no listener is called any more. */
  readonly active: boolean;
  /** From now on no callback of any registration reaches a listener (stop, or the engine lost). */
  silence(): void;
  /** When a callback last came (Date.now()); a renewal sets it, so that the silence is counted anew. */
  lastCallbackAt: number;
}

export const versionOf = (name: SubscribeName): NetEventVersion => (Number(name.slice(-1)) + 1) as NetEventVersion;

/** Falling back cannot help: the process lacks the rights, or the engine is gone. */
const isFinal = (e: WfpError) => e.symbol === 'ERROR_ACCESS_DENIED' || isEngineGone(e.code);

/**
 * `candidates`: the subscribe functions to try, newest first (subscribeCandidates). `perEvent`: take the koffi
 * callback even where the event ring is available.
 */
export function createRegistrar(
  context: SubscriptionContext,
  candidates: SubscribeName[],
  perEvent: boolean,
): Registrar {
  const { engine, handlers, stats, safely, report } = context;
  const lib = engine.lib;
  const mapper = createPathMapper(lib);
  const resolveAppPath = (nt: string) => mapper.ntToDos(nt);
  const resolveLayer = createLayerLookup(lib, () => engine.handle);
  const ringLibrary = perEvent ? undefined : loadEventRingLibrary();
  if (ringLibrary?.available) stats.delivery = 'ring';
  else stats.deliveryNote = ringLibrary ? ringLibrary.reason : 'the per-event callback was asked for';

  let active = true;
  let lastCallbackAt = Date.now();

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

  return {
    register,
    release,
    get active() {
      return active;
    },
    silence() {
      active = false;
    },
    get lastCallbackAt() {
      return lastCallbackAt;
    },
    set lastCallbackAt(at: number) {
      lastCallbackAt = at;
    },
  };
}
