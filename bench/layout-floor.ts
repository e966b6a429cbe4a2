// Benchmark, apart: how much of core's cost per event is the way its state lies in memory, on benchmark 3's events
// (20,000 apps Zipf, fresh decoded events, built and decoded untimed in chunks of 50,000 as there). Three event
// paths, each in a process of its own, in ABBA order, median and spread of the runs:
// - core: core's event path on a null backend, the per-event work (sink.onEvent) and the delta batches falling due
//   (100 ms of core time per 10,000 events, built and serialized) timed apart;
// - flat: a model, not the app. The least an event path could do with its state in flat typed arrays: the app's
//   number found by its event string in one map, its counters and current minute in one 64-byte row, the endpoint
//   found in an open-addressed table keyed by app, address number and port, a log row written into typed columns;
// - flat + endpoint objects: the same model with each app's endpoints in core's own EndpointSet (objects in a
//   recency list), to tell the endpoints' share from the rest.
// The models keep no identity, rules, decisions, names, rows or batches: what they cost is a floor, not a target.
import { spawnSync } from 'node:child_process';
import type { NetEvent } from '../native/api';
import { startBenchCore } from './lib/bench-core';
import { EndpointSet } from '../electron/core/apps/endpoint-set';
import { freshEvents } from './lib/fresh-events';
import { EventMix, type MixOptions } from './lib/mix';
import { fmt, machineLoad, printTable } from './lib/report';
import { fmtSpread, spread } from './lib/spread';

const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const COLD = 100_000;
const WARM = 600_000;
const CHUNK = 50_000;
const EVENTS_PER_100MS = 10_000;
const mix: MixOptions = { apps: 20_000, maxEndpointsPerApp: 64, newAppShare: 0.005 };
const MODES = ['core', 'flat', 'flat-endpoint-objects'] as const;
type Mode = (typeof MODES)[number];

interface EventPath {
  handle(event: NetEvent): void;
  /** 100 ms of the path's time passed (core: the delta batch falls due). */
  advance(): void;
}

/** The flat model (see the file comment); `objectEndpoints` keeps each app's endpoints in an EndpointSet instead. */
function flatPath(objectEndpoints: boolean): EventPath {
  const APPS = 1 << 16;
  const ROW = 8; // blocked, allowed, last seen, this minute's attempts, the minute, endpoints, marked changed, spare
  const TABLE = 1 << 21;
  const LOG = 1 << 20;
  const appNumber = new Map<string, number>();
  const rows = new Float64Array(APPS * ROW);
  const changed = new Int32Array(APPS);
  const addressNumber = new Map<string, number>();
  const endpointApp = new Int32Array(TABLE).fill(-1);
  const endpointAddress = new Int32Array(TABLE);
  const endpointPort = new Int32Array(TABLE);
  const endpointCount = new Float64Array(TABLE);
  const endpointLastSeen = new Float64Array(TABLE);
  const sets: EndpointSet[] = [];
  const logTime = new Float64Array(LOG);
  const logApp = new Int32Array(LOG);
  const logAddress = new Int32Array(LOG);
  const logPort = new Int32Array(LOG);
  let logged = 0;
  let changedCount = 0;
  const endpointOf = (app: number, row: number, event: NetEvent): number => {
    const address = event.remoteAddress!;
    let a = addressNumber.get(address);
    if (a === undefined) addressNumber.set(address, (a = addressNumber.size));
    const port = (event.remotePort ?? 0) | ((event.protocol ?? 0) << 16);
    if (objectEndpoints) {
      sets[app]!.record(address, event.remotePort, event.protocol, event.time);
      return a;
    }
    for (
      let h = (Math.imul(app, 0x9e3779b1) ^ Math.imul(a, 0x85ebca6b) ^ port) & (TABLE - 1);
      ;
      h = (h + 1) & (TABLE - 1)
    ) {
      if (endpointApp[h] === -1) {
        endpointApp[h] = app;
        endpointAddress[h] = a;
        endpointPort[h] = port;
        endpointCount[h] = 1;
        endpointLastSeen[h] = event.time;
        rows[row + 5]!++;
        return a;
      }
      if (endpointApp[h] === app && endpointAddress[h] === a && endpointPort[h] === port) {
        endpointCount[h]!++;
        endpointLastSeen[h] = event.time;
        return a;
      }
    }
  };
  return {
    handle(event) {
      const key = event.appId ?? event.appPath ?? event.packageSid ?? '';
      let app = appNumber.get(key);
      if (app === undefined) {
        appNumber.set(key, (app = appNumber.size & (APPS - 1)));
        if (objectEndpoints) sets[app] = new EndpointSet(32);
      }
      const row = app * ROW;
      rows[row + (event.type === 'drop' ? 0 : 1)]!++;
      rows[row + 2] = event.time;
      const minute = Math.floor(event.time / 60_000);
      if (rows[row + 4] === minute) rows[row + 3]!++;
      else {
        rows[row + 4] = minute;
        rows[row + 3] = 1;
      }
      if (rows[row + 6] === 0) {
        rows[row + 6] = 1;
        changed[changedCount++ & (APPS - 1)] = app;
      }
      const address = event.remoteAddress === undefined ? -1 : endpointOf(app, row, event);
      const at = logged++ & (LOG - 1);
      logTime[at] = event.time;
      logApp[at] = app;
      logAddress[at] = address;
      logPort[at] = event.remotePort ?? 0;
    },
    advance() {
      for (let i = 0; i < Math.min(changedCount, APPS); i++) rows[changed[i]! * ROW + 6] = 0;
      changedCount = 0;
    },
  };
}

interface RunResult {
  mode: Mode;
  /** µs per warm event: the per-event work. */
  perEventUs: number;
  /** µs per warm event: the batches falling due (core only). */
  batchUs: number;
}

async function runOnce(mode: Mode, seed: number): Promise<RunResult> {
  let path: EventPath;
  let stop = async () => {};
  if (mode === 'core') {
    const bench = await startBenchCore();
    path = { handle: (e) => bench.sink.onEvent(e), advance: () => bench.time.advance(100) };
    stop = bench.stop;
  } else {
    path = flatPath(mode === 'flat-endpoint-objects');
  }
  const source = freshEvents(new EventMix({ ...mix, seed }));
  let sinceBatch = 0;
  const run = async (count: number): Promise<{ totalMs: number; batchMs: number }> => {
    let totalMs = 0;
    let batchMs = 0;
    for (let done = 0; done < count;) {
      const events = source.take(Math.min(CHUNK, count - done));
      const t = performance.now();
      for (const e of events) {
        path.handle(e);
        if (++sinceBatch === EVENTS_PER_100MS) {
          sinceBatch = 0;
          const b = performance.now();
          path.advance();
          batchMs += performance.now() - b;
        }
      }
      totalMs += performance.now() - t;
      done += events.length;
      await new Promise((r) => setImmediate(r));
    }
    return { totalMs, batchMs };
  };
  await run(COLD);
  const warm = await run(WARM);
  source.dispose();
  await stop();
  return {
    mode,
    perEventUs: ((warm.totalMs - warm.batchMs) * 1000) / WARM,
    batchUs: (warm.batchMs * 1000) / WARM,
  };
}

const modeArg = process.argv.indexOf('--mode');
if (modeArg >= 0) {
  const mode = process.argv[modeArg + 1] as Mode;
  const seed = Number(process.argv[process.argv.indexOf('--seed') + 1]);
  console.log(JSON.stringify(await runOnce(mode, seed)));
} else {
  const loadBefore = machineLoad();
  // ABBA...: each mode first as often as last, so that a machine speeding up or slowing down favours none.
  const order: Mode[] = [];
  for (let r = 0; r < REPEAT; r++) order.push(...(r % 2 === 0 ? MODES : [...MODES].reverse()));
  const results: RunResult[] = order.map((mode, i) => {
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', process.argv[1]!, '--mode', mode, '--seed', String((i % REPEAT) + 1)],
      { encoding: 'utf8' },
    );
    if (child.status !== 0) throw new Error(`layout-floor --mode ${mode} failed: ${child.stderr}`);
    return JSON.parse(child.stdout.trim().split('\n').pop()!) as RunResult;
  });
  const loadAfter = machineLoad();
  const of = (mode: Mode, pick: (r: RunResult) => number) => spread(results.filter((r) => r.mode === mode).map(pick));
  const perEvent = of('core', (r) => r.perEventUs);
  printTable(
    `Layout floor: ${fmt(mix.apps)} apps Zipf, fresh decoded events, ${fmt(WARM)} warm events; µs per event, median (min-max) of ${REPEAT}`,
    [
      { path: 'core: per-event work', 'µs/event': fmtSpread(perEvent, 3) },
      {
        path: 'core: delta batches falling due, with JSON',
        'µs/event': fmtSpread(
          of('core', (r) => r.batchUs),
          3,
        ),
      },
      {
        path: 'flat model (a floor, not the app)',
        'µs/event': fmtSpread(
          of('flat', (r) => r.perEventUs),
          3,
        ),
      },
      {
        path: 'flat model, endpoints in EndpointSet objects',
        'µs/event': fmtSpread(
          of('flat-endpoint-objects', (r) => r.perEventUs),
          3,
        ),
      },
    ],
  );
  console.log(`  load average ${loadBefore.loadavg1m} -> ${loadAfter.loadavg1m}`);
}
