// Fresh decoded events: each one built by the simulator as its delivery thread builds them (FWPM_NET_EVENT5) and
// decoded by the real decoder, so every string in it is new and unhashed, as in the app. Nothing is reused between
// events; building them is not part of what a benchmark times.
import { createPathMapper, decodeNetEvent, loadWfp, type NetEvent } from '../../native/index';
import type { EventMix } from './mix';
import { WINDOWS_FIREWALL_FILTER_IDS } from './null-backend';
import { loadSimBench } from './sim-bench';

export interface FreshEventSource {
  /** The next `count` events of the mix, decoded. */
  take(count: number): NetEvent[];
  dispose(): void;
}

export function freshEvents(mix: EventMix): FreshEventSource {
  const lib = loadWfp();
  const mapper = createPathMapper(lib);
  const resolve = (nt: string) => mapper.ntToDos(nt);
  const bench = loadSimBench();
  let out: NetEvent[] = [];
  const callback = bench.register((_context, event) => {
    out.push(decodeNetEvent(event, 5, resolve));
  });
  let n = 0;
  return {
    take(count) {
      out = [];
      while (out.length < count) {
        const { connection, repeat } = mix.next();
        const filterId = WINDOWS_FIREWALL_FILTER_IDS[n++ % WINDOWS_FIREWALL_FILTER_IDS.length]!;
        // One call per event: the simulator builds (and the decoder decodes) each repetition anew.
        for (let i = 0; i < repeat && out.length < count; i++) bench.deliverHere(connection, filterId, 5, callback, 1);
      }
      return out;
    },
    dispose: () => bench.unregister(callback),
  };
}
