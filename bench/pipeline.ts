// Benchmark 3: core's event path with fresh decoded events and a realistic mix (bench/lib/mix.ts): every event is
// built by the simulator and decoded by the real decoder just before (not timed), so no string arrives hashed or
// shared. Timed, whole: the sink core's backend calls per event (count, attribution, app index, log, policy), the
// delta batches falling due (core's clock and timers are driven by the benchmark: 100 ms of core time per 10,000
// events) and the structured clone of every batch (node:v8 serialize: what Electron's IPC does with it). Cold: a
// new core, its first events (every app and endpoint new). Warm: the same core afterwards, new apps still
// arriving. Reverse DNS goes to a local stub. Repeated; medians and spreads. Heap after a full GC at the end of
// each run.
import { serialize } from 'node:v8';
import { startBenchCore } from './lib/bench-core';
import { freshEvents } from './lib/fresh-events';
import { EventMix, type MixOptions } from './lib/mix';
import { fmt, machineLoad, mb, printTable, requireGc, writeResult } from './lib/report';
import { fmtSpread, spread } from './lib/spread';

const gc = requireGc();
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const COLD = 100_000;
const WARM = Number(process.env.BENCH_PIPELINE_EVENTS ?? 600_000);
const CHUNK = 50_000;
const EVENTS_PER_100MS = 10_000;
const mix: MixOptions = { apps: 20_000, maxEndpointsPerApp: 64, newAppShare: 0.005 };

interface Run {
  coldPerSecond: number;
  warmPerSecond: number;
  dnsQueries: number;
  batches: number;
  batchBytes: number;
  apps: number;
  heapBytes: number;
  decodePerSecond: number;
}

async function once(seed: number): Promise<Run> {
  let batches = 0;
  let batchBytes = 0;
  const { core, sink, time, resolver, stop } = await startBenchCore((batch) => {
    batches++;
    batchBytes += serialize(batch).length;
  });
  const source = freshEvents(new EventMix({ ...mix, seed }));
  let sinceBatch = 0;
  let decodeMs = 0;
  let decoded = 0;
  const run = async (count: number): Promise<number> => {
    let ms = 0;
    for (let done = 0; done < count;) {
      const g = performance.now();
      const events = source.take(Math.min(CHUNK, count - done));
      decodeMs += performance.now() - g;
      decoded += events.length;
      const t = performance.now();
      for (const e of events) {
        sink.onEvent(e);
        if (++sinceBatch === EVENTS_PER_100MS) {
          sinceBatch = 0;
          time.advance(100);
        }
      }
      ms += performance.now() - t;
      done += events.length;
      // The stub resolver's answers and anything else waiting get their turn, as between callbacks in the app.
      await new Promise((r) => setImmediate(r));
    }
    return ms;
  };
  const coldMs = await run(COLD);
  const warmMs = await run(WARM);
  source.dispose();
  const apps = core.status().blockedApps;
  gc();
  const heapBytes = process.memoryUsage().heapUsed;
  await stop();
  return {
    coldPerSecond: (COLD / coldMs) * 1000,
    warmPerSecond: (WARM / warmMs) * 1000,
    dnsQueries: resolver.asked,
    batches,
    batchBytes,
    apps,
    heapBytes,
    decodePerSecond: (decoded / decodeMs) * 1000,
  };
}

const loadBefore = machineLoad();
const runs: Run[] = [];
for (let r = 0; r < REPEAT; r++) runs.push(await once(r + 1));
const loadAfter = machineLoad();
const cold = spread(runs.map((r) => r.coldPerSecond));
const warm = spread(runs.map((r) => r.warmPerSecond));
const dns = spread(runs.map((r) => r.dnsQueries));
const heap = spread(runs.map((r) => r.heapBytes / 1048576));
printTable(
  `3. Pipeline, fresh decoded events, realistic mix (${fmt(mix.apps)} apps Zipf, up to ${mix.maxEndpointsPerApp} endpoints each, ${mix.newAppShare * 100}% from new apps), batches + their structured clone included; median (min-max) of ${REPEAT}`,
  [
    { phase: `cold: first ${fmt(COLD)} events of a new core`, 'events/s': fmtSpread(cold) },
    { phase: `warm: next ${fmt(WARM)} events`, 'events/s': fmtSpread(warm) },
  ],
);
console.log(
  `  target >= 1,000,000 events/s (warm): ${warm.median >= 1e6 ? 'met' : 'MISSED'}; reverse-DNS queries sent to the stub ${fmtSpread(dns)}; ` +
    `apps at the end ${fmt(runs[0]!.apps)}; ${fmt(runs[0]!.batches)} batches, ${mb(runs[0]!.batchBytes)} cloned; heap after GC ${fmtSpread(heap, 1, ' MB')}; ` +
    `building + decoding the events (not timed) ${fmt(runs[0]!.decodePerSecond)}/s; load average ${loadBefore.loadavg1m} -> ${loadAfter.loadavg1m}`,
);
writeResult('3-pipeline', {
  mix,
  cold: { events: COLD, perSecond: cold },
  warm: { events: WARM, perSecond: warm },
  dnsQueries: dns,
  heapMb: heap,
  runs,
  target: { perSecondAtLeast: 1e6, met: warm.median >= 1e6 },
  loadBefore,
  loadAfter,
});
