// Benchmark: the same event path, run without pause and in the bursts in which a steady flow reaches it. At 10,000
// events a second the event ring's reader wakes every 10 ms and finds about 100 events; the app's JS thread sleeps
// in between. This measures what that rhythm alone does to the CPU each event costs: a core on a null backend, its
// clock and timers driven by the benchmark (100 ms of core time per 10,000 events, so the delta batches fall due and
// are built and serialized inside the timed work), fed fresh decoded events of the flood's mix (2,000 apps, up to
// 32 endpoints each, inbound, new apps arriving). Per cadence a fresh core, warmed with 20,000 events first; then
// 60,000 events, each burst's events built and decoded before the pause (not timed) and handled after it, timed by
// the JS thread's own CPU clock. Cadences alternate within each run; medians and spreads over the runs.
import { startBenchCore } from './lib/bench-core';
import { freshEvents } from './lib/fresh-events';
import { EventMix, type MixOptions } from './lib/mix';
import { fmt, machineLoad, printTable, requireGc, writeResult } from './lib/report';
import { fmtSpread, spread } from './lib/spread';
import { threadCpuMs } from './lib/thread-cpu';

requireGc();
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const WARM_UP = 20_000;
const EVENTS = Number(process.env.BENCH_BURST_EVENTS ?? 60_000);
const EVENTS_PER_100MS = 10_000;
const mix: MixOptions = { apps: 2_000, maxEndpointsPerApp: 32, newAppShare: 0.005, outboundShare: 0 };

interface Cadence {
  readonly name: string;
  /** Events per burst. */
  readonly burst: number;
  /** Pause before each burst, ms of real time (0: none). */
  readonly pauseMs: number;
}

const CADENCES: readonly Cadence[] = [
  { name: 'without pause', burst: 1_000, pauseMs: 0 },
  { name: '100 events every 10 ms (10,000/s, the ring looked at every 10 ms)', burst: 100, pauseMs: 10 },
  { name: '1,000 events every 100 ms (10,000/s, one look per batch)', burst: 1_000, pauseMs: 100 },
];

/** JS-thread CPU per event, µs, of `EVENTS` events handled in bursts of `cadence`. */
async function measure(cadence: Cadence, seed: number): Promise<number> {
  const { sink, time, stop } = await startBenchCore();
  const source = freshEvents(new EventMix({ ...mix, seed }));
  let sinceBatch = 0;
  const handle = (events: readonly Parameters<typeof sink.onEvent>[0][]) => {
    for (const e of events) {
      sink.onEvent(e);
      if (++sinceBatch === EVENTS_PER_100MS / 100) {
        sinceBatch = 0;
        time.advance(1);
      }
    }
  };
  for (let done = 0; done < WARM_UP; done += 1_000) handle(source.take(1_000));
  let cpuMs = 0;
  for (let done = 0; done < EVENTS; done += cadence.burst) {
    const events = source.take(cadence.burst);
    await new Promise((r) => (cadence.pauseMs > 0 ? setTimeout(r, cadence.pauseMs) : setImmediate(r)));
    const t = threadCpuMs();
    handle(events);
    cpuMs += threadCpuMs() - t;
  }
  source.dispose();
  await stop();
  return (cpuMs * 1000) / EVENTS;
}

const loadBefore = machineLoad();
const perCadence = CADENCES.map(() => [] as number[]);
for (let r = 0; r < REPEAT; r++) {
  // Alternate the order, so that no cadence always runs on the machine's freshest or most tired minute.
  const order = r % 2 === 0 ? CADENCES.map((_, i) => i) : CADENCES.map((_, i) => CADENCES.length - 1 - i);
  for (const i of order) perCadence[i]!.push(await measure(CADENCES[i]!, 100 + r));
}
const loadAfter = machineLoad();
const spreads = perCadence.map((values) => spread(values));
const base = spreads[0]!.median;
printTable(
  `Bursts: the event path's CPU per event without pause and in a steady flow's bursts (${fmt(mix.apps)} apps, up to ${mix.maxEndpointsPerApp} endpoints, inbound; batches + their structured clone included); median (min-max) of ${REPEAT}`,
  CADENCES.map((c, i) => ({
    cadence: c.name,
    'µs/event (JS thread CPU)': fmtSpread(spreads[i]!, 2),
    '÷ without pause': (spreads[i]!.median / base).toFixed(2),
  })),
);
console.log(`  load average ${loadBefore.loadavg1m} -> ${loadAfter.loadavg1m}`);
writeResult('bursts', {
  mix,
  events: EVENTS,
  cadences: CADENCES.map((c, i) => ({ ...c, usPerEvent: spreads[i] })),
  loadBefore,
  loadAfter,
});
