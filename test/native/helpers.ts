// Shared by the native suite: the simulator library, its control API and small waiting helpers.
import koffi from 'koffi';
import type { AleLayer, NetEvent } from '../../native/api.js';
import { ALE_LAYER_KEYS } from '../../native/layers.js';
import { guidToStruct } from '../../native/wfp/guids.js';
import { FWPM_LAYER0 } from '../../native/wfp/types.js';
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

/** The runtime id the engine gives an ALE layer (FwpmLayerGetByKey0): never a constant, so tests ask for it. */
export async function runtimeLayerId(lib: WfpLibrary, layer: AleLayer, ipVersion: 4 | 6 = 4): Promise<number> {
  const { WfpEngine } = await import('../../native/engine.js');
  const engine = await WfpEngine.open(lib, { dynamic: true });
  try {
    const out: unknown[] = [null];
    const key = guidToStruct(ALE_LAYER_KEYS[layer][ipVersion === 4 ? 0 : 1]);
    const code = lib.fn.FwpmLayerGetByKey0(engine.handle, key, out) as number;
    if (code !== 0) throw new Error(`FwpmLayerGetByKey0(${layer}) failed with ${code}`);
    try {
      return koffi.decode(out[0], FWPM_LAYER0.members!.layerId!.offset, 'uint16_t') as number;
    } finally {
      lib.fn.FwpmFreeMemory0([out[0]]);
    }
  } finally {
    await engine.close();
  }
}
