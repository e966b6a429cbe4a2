// Benchmark: what building and serializing the delta batches costs main under a flood. A core on a null backend,
// its clock and timers driven by the benchmark, fed fresh decoded events (bench/lib/fresh-events.ts) of the flood's
// mix (2,000 apps, up to 32 endpoints each, new apps arriving) at 10,000 events per second of core time: a batch
// falls due every 100 ms, as in the app. Measured with the JS thread's own CPU clock, so that other processes on a
// shared machine do not count: each batch's collection (rows, rules, decisions, log entries, status), its
// JSON.stringify, and its structured clone (node:v8 serialize, what Electron's IPC does with it); and the whole
// event path per event, batches included. Cold: the first batches of a new core (every app new, names arriving);
// warm: the same core afterwards. Reverse DNS answers from a local stub, so names arrive as they would. Repeated
// with fresh seeds; medians and spreads.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { DeltaBatcher } from '../electron/core/delta/batcher';
import { createPortcullisCore } from '../electron/core/index';
import type { DeltaBatch } from '../electron/core/model';
import { freshEvents } from './lib/fresh-events';
import { ManualTime } from './lib/manual-timers';
import { EventMix } from './lib/mix';
import { createNullBackend } from './lib/null-backend';
import { fmt, machineLoad, printTable, writeResult } from './lib/report';
import { fmtSpread, spread, type Spread } from './lib/spread';
import { stubResolver } from './lib/stub-resolver';
import { threadCpuMs } from './lib/thread-cpu';

const REPEAT = Number(process.env.BENCH_REPEAT ?? 5);
const EVENTS_PER_BATCH = 1_000;
const COLD_BATCHES = 100;
const WARM_BATCHES = Number(process.env.BENCH_BATCHES ?? 300);
/** First seed of the mix; each run takes the next, so no two runs see the same events. */
const SEED = Number(process.env.BENCH_SEED ?? 11);

interface Totals {
  batches: number;
  events: number;
  collectMs: number;
  jsonMs: number;
  cloneMs: number;
  pathMs: number;
  bytes: number;
  rows: number;
  perBatchMs: number[];
}

const fresh = (): Totals => ({
  batches: 0,
  events: 0,
  collectMs: 0,
  jsonMs: 0,
  cloneMs: 0,
  pathMs: 0,
  bytes: 0,
  rows: 0,
  perBatchMs: [],
});
let current = fresh();

// The batcher's flush runs collection and then the listeners: the listener below times its own serialization, so
// collection is the flush's CPU less that.
let serializingMs = 0;
const flush = DeltaBatcher.prototype.flush;
DeltaBatcher.prototype.flush = function (this: DeltaBatcher, forced?: boolean): DeltaBatch | undefined {
  const t = threadCpuMs();
  const before = serializingMs;
  const batch = flush.call(this, forced);
  const ms = threadCpuMs() - t;
  if (batch) {
    current.collectMs += ms - (serializingMs - before);
    current.perBatchMs.push(ms);
  }
  return batch;
};

async function once(seed: number): Promise<{ cold: Totals; warm: Totals }> {
  const backend = createNullBackend();
  const dataDir = mkdtempSync(join(tmpdir(), 'portcullis-bench-'));
  const time = new ManualTime();
  const core = createPortcullisCore({ backend, dataDir, clock: time, timers: time, resolver: stubResolver() });
  await core.start();
  core.onDelta((batch) => {
    const t0 = threadCpuMs();
    const json = JSON.stringify(batch);
    const t1 = threadCpuMs();
    serialize(batch);
    const t2 = threadCpuMs();
    current.jsonMs += t1 - t0;
    current.cloneMs += t2 - t1;
    serializingMs += t2 - t0;
    current.batches++;
    current.bytes += json.length;
    current.rows += batch.apps?.length ?? 0;
  });
  const sink = backend.sink!;
  const source = freshEvents(new EventMix({ apps: 2_000, maxEndpointsPerApp: 32, newAppShare: 0.005, seed }));
  const run = async (batches: number): Promise<Totals> => {
    current = fresh();
    for (let b = 0; b < batches; b++) {
      const events = source.take(EVENTS_PER_BATCH);
      const t = threadCpuMs();
      for (const e of events) sink.onEvent(e);
      time.advance(100);
      current.pathMs += threadCpuMs() - t;
      current.events += events.length;
      // The stub resolver's answers get their turn, as between callbacks in the app.
      await new Promise((r) => setImmediate(r));
    }
    return current;
  };
  const cold = await run(COLD_BATCHES);
  const warm = await run(WARM_BATCHES);
  source.dispose();
  await core.stop();
  rmSync(dataDir, { recursive: true, force: true });
  return { cold, warm };
}

const loadBefore = machineLoad();
const runs: { cold: Totals; warm: Totals }[] = [];
for (let r = 0; r < REPEAT; r++) runs.push(await once(SEED + r));
const loadAfter = machineLoad();

interface Figures {
  collectMs: Spread;
  jsonMs: Spread;
  cloneMs: Spread;
  batchP99Ms: Spread;
  buildAndCloneUsPerEvent: Spread;
  pathUsPerEvent: Spread;
  kb: Spread;
  rows: Spread;
}
const figures = (pick: (r: { cold: Totals; warm: Totals }) => Totals): Figures => {
  const ts = runs.map(pick);
  const per = (f: (t: Totals) => number) => spread(ts.map(f));
  return {
    collectMs: per((t) => t.collectMs / t.batches),
    jsonMs: per((t) => t.jsonMs / t.batches),
    cloneMs: per((t) => t.cloneMs / t.batches),
    batchP99Ms: per((t) => [...t.perBatchMs].sort((a, b) => a - b)[Math.floor(t.perBatchMs.length * 0.99)]!),
    buildAndCloneUsPerEvent: per((t) => ((t.collectMs + t.cloneMs) / t.events) * 1000),
    // The event path as the app runs it: events, batches and their clone; not the benchmark's JSON.stringify.
    pathUsPerEvent: per((t) => ((t.pathMs - t.jsonMs) / t.events) * 1000),
    kb: per((t) => t.bytes / t.batches / 1024),
    rows: per((t) => t.rows / t.batches),
  };
};
const cold = figures((r) => r.cold);
const warm = figures((r) => r.warm);
const row = (phase: string, f: Figures) => ({
  phase,
  'collect ms/batch': fmtSpread(f.collectMs, 3),
  'JSON ms/batch': fmtSpread(f.jsonMs, 3),
  'clone ms/batch': fmtSpread(f.cloneMs, 3),
  'flush p99 ms': fmtSpread(f.batchP99Ms, 2),
  'collect+clone µs/event': fmtSpread(f.buildAndCloneUsPerEvent, 3),
  'event path µs/event': fmtSpread(f.pathUsPerEvent, 2),
  'KB/batch': fmtSpread(f.kb),
  'rows/batch': fmtSpread(f.rows),
});
printTable(
  `Delta batches at ${fmt(EVENTS_PER_BATCH * 10)} events/s (2,000 apps, up to 32 endpoints each), thread CPU; median (min-max) of ${REPEAT}`,
  [row(`cold: first ${COLD_BATCHES} batches`, cold), row(`warm: next ${WARM_BATCHES} batches`, warm)],
);
console.log(`  load average ${loadBefore.loadavg1m} -> ${loadAfter.loadavg1m} on ${loadBefore.cpus} CPUs`);
writeResult('batches', { eventsPerBatch: EVENTS_PER_BATCH, cold, warm, loadBefore, loadAfter });
