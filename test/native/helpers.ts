// Shared by the native suite: the simulator library, its control API and small waiting helpers.
import type { NetEvent } from '../../native/api.js';
import type { WfpEngine } from '../../native/engine.js';
import { loadWfp, type WfpLibrary } from '../../native/loader.js';
import { loadSimControl, type SimControl } from '../../native/sim-control.js';
import { subscribe, type NetEventSubscription, type SubscribeOptions } from '../../native/subscription.js';

export function simulator(): { lib: WfpLibrary; sim: SimControl } {
  const lib = loadWfp();
  return { lib, sim: loadSimControl(lib) };
}

export async function waitFor(condition: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface Collector {
  events: NetEvent[];
  malformed: string[];
  subscription: NetEventSubscription;
  /** Waits until `n` events (in total) have arrived. */
  next(n?: number, timeoutMs?: number): Promise<NetEvent[]>;
}

export async function collect(engine: WfpEngine, options: SubscribeOptions = {}): Promise<Collector> {
  const events: NetEvent[] = [];
  const malformed: string[] = [];
  const subscription = await subscribe(
    engine,
    { onEvent: (e) => events.push(e), onMalformed: (r) => malformed.push(r) },
    { watchdogMs: 0, ...options },
  );
  return {
    events,
    malformed,
    subscription,
    async next(n = 1, timeoutMs = 5000) {
      await waitFor(() => events.length >= n, timeoutMs, `${n} event(s)`);
      return events.slice(0, n);
    },
  };
}

/** FILETIME ticks for a JS time in ms. */
export function filetime(ms: number): bigint {
  return (BigInt(ms) + 11644473600000n) * 10000n;
}
