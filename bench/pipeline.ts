// Benchmark 3: core's event path alone: prepared NetEvents through count, attribution, the app index, the activity
// log and policy (decisions in Monitor), with the delta batcher collecting every 100 ms as in the app. No WFP.
// Heap is measured after a full GC at 1M and at 10M events.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreState } from '../electron/core/facade/core';
import { prepareEvents } from './lib/events';
import { createNullBackend } from './lib/null-backend';
import { fmt, machineLoad, mb, printTable, requireGc, writeResult } from './lib/report';

const gc = requireGc();
const TOTAL = Number(process.env.BENCH_PIPELINE_EVENTS ?? 10_000_000);
// The whole suite must stay short on a shared machine: past this much busy time the run stops where it is and
// says so (BENCH_PIPELINE_SECONDS=0 always goes to the full count).
const BUDGET_MS = Number(process.env.BENCH_PIPELINE_SECONDS ?? 60) * 1000 || Infinity;
const FIRST = 1_000_000;
const YIELD_EVERY = 10_000;
const mix = { apps: 2_000, endpoints: 20_000, count: 100_000 };

const dataDir = mkdtempSync(join(tmpdir(), 'portcullis-bench-'));
const core = new CoreState({ backend: createNullBackend(), dataDir });
await core.start({ subscribe: false });
let batches = 0;
let batchActivity = 0;
core.onDelta((batch) => {
  batches++;
  batchActivity += batch.activity?.length ?? 0;
});
const events = prepareEvents(mix);
const heap = () => {
  gc();
  return process.memoryUsage().heapUsed;
};
const loadBefore = machineLoad();
const heapStart = heap();

const marks: { events: number; ms: number; heap: number }[] = [];
let processed = 0;
let busyMs = 0;
const wall = performance.now();
async function run(until: number): Promise<void> {
  while (processed < until && busyMs < BUDGET_MS) {
    const n = Math.min(YIELD_EVERY, until - processed);
    const t = performance.now();
    for (let i = 0; i < n; i++) core.handleEvent(events[(processed + i) % events.length]!);
    busyMs += performance.now() - t;
    processed += n;
    // Let the batcher's timer run, as the event loop does in the app between callbacks.
    await new Promise((r) => setImmediate(r));
  }
}
await run(FIRST);
marks.push({ events: processed, ms: busyMs, heap: heap() });
await run(TOTAL);
marks.push({ events: processed, ms: busyMs, heap: heap() });
const wallMs = performance.now() - wall;
const loadAfter = machineLoad();
const snapshot = core.snapshot();
await core.stop();
rmSync(dataDir, { recursive: true, force: true });

const first = marks[0]!;
const reached = marks[1]!.events;
const cut = reached < TOTAL;
const last = marks[1]!;
const rateFirst = (first.events / first.ms) * 1000;
const rateRest = ((last.events - first.events) / (last.ms - first.ms)) * 1000;
const growth = last.heap - first.heap;
printTable(`3. Pipeline alone (${mix.apps} apps, ${mix.endpoints} endpoints, Monitor, batches every 100 ms)`, [
  {
    stage: 'first 1M events',
    'events/s': fmt(rateFirst),
    'µs/event': fmt((first.ms / first.events) * 1000, 2),
    'heap after GC': mb(first.heap),
  },
  {
    stage: `1M -> ${fmt(reached / 1e6, 1)}M events${cut ? ' (time budget)' : ''}`,
    'events/s': fmt(rateRest),
    'µs/event': fmt(((last.ms - first.ms) / (last.events - first.events)) * 1000, 2),
    'heap after GC': mb(last.heap),
  },
]);
console.log(
  `  heap at start ${mb(heapStart)}; growth 1M -> ${fmt(reached / 1e6, 1)}M: ${mb(growth)} (target < 50 MB${cut ? `; stopped at ${fmt(reached)} of ${fmt(TOTAL)} events by the ${BUDGET_MS / 1000} s budget` : ''}); ` +
    `target >= 1,000,000 events/s: ${rateRest >= 1e6 ? 'met' : 'missed'}`,
);
console.log(
  `  ${batches} delta batches carried ${fmt(batchActivity)} log entries; index ${snapshot.apps.length} apps, ` +
    `${snapshot.decisions.length} pending decisions, log ${snapshot.activity.length} entries; wall ${fmt(wallMs / 1000, 1)} s; ` +
    `load average ${loadBefore.loadavg1m} -> ${loadAfter.loadavg1m}`,
);
writeResult('3-pipeline', {
  mix,
  total: TOTAL,
  reached,
  stoppedByTimeBudget: cut,
  firstMillion: { events: first.events, ms: first.ms, perSecond: rateFirst, heapBytes: first.heap },
  rest: { events: last.events - first.events, ms: last.ms - first.ms, perSecond: rateRest, heapBytes: last.heap },
  heapStartBytes: heapStart,
  heapGrowthBytes: growth,
  batches,
  batchActivity,
  targets: {
    perSecondAtLeast: 1e6,
    met: rateRest >= 1e6,
    heapGrowthBelowBytes: 50 * 1048576,
    heapMet: growth < 50 * 1048576,
  },
  loadBefore,
  loadAfter,
});
