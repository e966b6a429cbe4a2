// The two ceilings of the event path, measured on this machine, now:
//   relay: how many callbacks per second koffi carries from a foreign thread to an empty JS function;
//   decode: how many events per second decodeNetEvent turns into NetEvents on the JS thread with no hop.
// Both use one event built by the simulator exactly as its delivery thread builds them (FWPM_NET_EVENT5).
import { createPathMapper, decodeNetEvent, loadWfp, type NetEventVersion } from '../../native/index';
import { loadSimBench, TYPICAL_ATTEMPT } from './sim-bench';

export const EVENT_VERSION: NetEventVersion = 5;
const FILTER_ID = 70_000;

export interface Rate {
  readonly events: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** Microseconds per event. */
  readonly usPerEvent: number;
}

export function rate(events: number, ms: number): Rate {
  return { events, seconds: ms / 1000, perSecond: (events / ms) * 1000, usPerEvent: (ms * 1000) / events };
}

/** Empty JS callback, called from a koffi worker thread: every call waits for the JS thread. */
export async function relayCeiling(budgetMs: number): Promise<Rate> {
  const bench = loadSimBench();
  let calls = 0;
  const callback = bench.register(() => {
    calls++;
  });
  try {
    await bench.deliverFromThread(TYPICAL_ATTEMPT, FILTER_ID, EVENT_VERSION, callback, 2_000); // warm-up
    calls = 0;
    const chunk = 10_000;
    const start = performance.now();
    let sent = 0;
    while (performance.now() - start < budgetMs) {
      await bench.deliverFromThread(TYPICAL_ATTEMPT, FILTER_ID, EVENT_VERSION, callback, chunk);
      sent += chunk;
    }
    const ms = performance.now() - start;
    if (calls !== sent) throw new Error(`relay: ${sent} calls made, ${calls} arrived`);
    return rate(calls, ms);
  } finally {
    bench.unregister(callback);
  }
}

/** decodeNetEvent in a loop on one live event, inside a callback called on the JS thread itself. */
export function decodeCeiling(budgetMs: number): Rate {
  const lib = loadWfp();
  const mapper = createPathMapper(lib);
  const resolve = (nt: string) => mapper.ntToDos(nt);
  const bench = loadSimBench();
  let result: Rate | undefined;
  let sink = 0;
  const callback = bench.register((_context, event) => {
    for (let i = 0; i < 20_000; i++) sink += decodeNetEvent(event, EVENT_VERSION, resolve).time & 1; // warm-up
    let n = 0;
    const start = performance.now();
    let now = start;
    while (now - start < budgetMs) {
      for (let i = 0; i < 5_000; i++) sink += decodeNetEvent(event, EVENT_VERSION, resolve).time & 1;
      n += 5_000;
      now = performance.now();
    }
    result = rate(n, now - start);
  });
  try {
    bench.deliverHere(TYPICAL_ATTEMPT, FILTER_ID, EVENT_VERSION, callback, 1);
  } finally {
    bench.unregister(callback);
  }
  if (!result || sink < 0) throw new Error('decode ceiling: the callback did not run');
  return result;
}

/** The same callback path without the hop: C calls the JS callback on the JS thread, which decodes once. */
export function sameThreadDecodeRate(events: number): Rate {
  const lib = loadWfp();
  const mapper = createPathMapper(lib);
  const resolve = (nt: string) => mapper.ntToDos(nt);
  const bench = loadSimBench();
  let sink = 0;
  const callback = bench.register((_context, event) => {
    sink += decodeNetEvent(event, EVENT_VERSION, resolve).time & 1;
  });
  try {
    bench.deliverHere(TYPICAL_ATTEMPT, FILTER_ID, EVENT_VERSION, callback, 5_000);
    const start = performance.now();
    bench.deliverHere(TYPICAL_ATTEMPT, FILTER_ID, EVENT_VERSION, callback, events);
    const r = rate(events, performance.now() - start);
    if (sink < 0) throw new Error('unreachable: keeps the decoded results alive');
    return r;
  } finally {
    bench.unregister(callback);
  }
}
