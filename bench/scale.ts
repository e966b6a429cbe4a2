// Benchmark 7: size. Apps keep arriving until 50,000 (each with a few endpoints and events, fresh decoded events
// from the simulator) while the activity log fills to its allowed maximum (1,000,000 entries); heap after a full GC
// as the apps grow, not only once every store is full. At 50,000 apps: the main-thread tasks that grow with the
// number of apps, each timed whole (handler + the structured clone Electron's IPC makes of the answer, which
// node:v8 serialize is): the paged snapshot's first screen and the slowest page of apps and of log entries, and
// the longest stretch of one decision (rule store write + WFP transaction, with awaits between); the forced batch
// sent at stop is shown apart. Repeated; the longest of the running app's tasks is what the target judges.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { createPortcullisCore } from '../electron/core/index';
import { freshEvents } from './lib/fresh-events';
import { EventMix } from './lib/mix';
import { createNullBackend } from './lib/null-backend';
import { fmt, machineLoad, mb, printTable, requireGc, writeResult } from './lib/report';
import { fmtSpread, spread } from './lib/spread';
import { stubResolver } from './lib/stub-resolver';

const gc = requireGc();
const LOG_SIZE = 1_000_000;
const STAGES = [5_000, 10_000, 25_000, 50_000];
const EVENTS_PER_APP = 20;
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);

const heap = () => {
  gc();
  return process.memoryUsage().heapUsed;
};
const loadBefore = machineLoad();
const heapStart = heap();
const backend = createNullBackend();
const dataDir = mkdtempSync(join(tmpdir(), 'portcullis-bench-'));
const core = createPortcullisCore({ backend, dataDir, resolver: stubResolver() });
await core.start();
await core.handlers['settings.update']({ patch: { activityLogSize: LOG_SIZE } });
const sink = backend.sink!;
// The transport clones every batch: part of the forced batch's task below.
core.onDelta((batch) => void serialize(batch));
// Every event from an app not seen before: newAppShare 1 makes each pick a new app; repeats add its endpoints.
const mix = new EventMix({ apps: 1, maxEndpointsPerApp: 8, newAppShare: 1, seed: 11 });
const source = freshEvents(mix);
const stages: { apps: number; events: number; heapBytes: number; logEntries: number }[] = [];
let fed = 0;
for (const apps of STAGES) {
  while (core.status().blockedApps < apps) {
    const firsts = source.take(Math.min(2_000, Math.max(100, apps - core.status().blockedApps)));
    // Each new app then tries a few of its endpoints more than once.
    for (const e of firsts) {
      for (let k = 0; k < EVENTS_PER_APP; k++) sink.onEvent(k === 0 ? e : { ...e, remotePort: 1 + ((k * 37) % 5) });
      fed += EVENTS_PER_APP;
    }
    await new Promise((r) => setImmediate(r));
  }
  core.flush();
  await new Promise((r) => setTimeout(r, 50));
  stages.push({
    apps: core.status().blockedApps,
    events: fed,
    heapBytes: heap() - heapStart,
    logEntries: Math.min(fed, LOG_SIZE),
  });
}
// 50,000 apps x 20 events: the log is at its maximum now. Events of 5,000 known apps, for the forced batch below.
const again = source.take(5_000);
source.dispose();

/** The longest stretch the thread was not free while `run` went on (a 0 ms timer chain notices every gap). */
async function longestBlock(run: () => unknown): Promise<number> {
  let last = performance.now();
  let longest = 0;
  let on = true;
  const tick = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (on) setTimeout(tick, 0);
  };
  setTimeout(tick, 0);
  await run();
  on = false;
  await new Promise((r) => setTimeout(r, 1));
  return longest;
}

// The tasks of the running app (the target) and, apart, the forced batch sent only at stop or by the CLI's flush.
const tasks: Record<string, number[]> = {
  'snapshot.get (first screen) + clone': [],
  'snapshot.apps, slowest page + clone': [],
  'snapshot.activity, slowest page + clone': [],
  'apps.decide (1 app), longest stretch': [],
};
const atStopOnly: number[] = [];
for (let r = 0; r < REPEAT; r++) {
  let t = performance.now();
  const first = await core.handlers['snapshot.get']({});
  serialize(first);
  tasks['snapshot.get (first screen) + clone']!.push(performance.now() - t);
  let slowest = 0;
  for (let cursor = first.appsNext; cursor !== undefined;) {
    t = performance.now();
    const page = await core.handlers['snapshot.apps']({ cursor });
    serialize(page);
    slowest = Math.max(slowest, performance.now() - t);
    cursor = page.next;
  }
  tasks['snapshot.apps, slowest page + clone']!.push(slowest);
  // The older log entries the page keeps (20,000 at most), a page per request as the renderer asks for them.
  slowest = 0;
  let held = first.activity.length;
  for (let before = first.activityNext; before !== undefined && held < 20_000;) {
    t = performance.now();
    const page = await core.handlers['snapshot.activity']({ before });
    serialize(page);
    slowest = Math.max(slowest, performance.now() - t);
    held += page.activity.length;
    before = page.next;
  }
  tasks['snapshot.activity, slowest page + clone']!.push(slowest);
  for (const e of again) sink.onEvent({ ...e, time: Date.now() });
  t = performance.now();
  core.flush();
  atStopOnly.push(performance.now() - t);
  tasks['apps.decide (1 app), longest stretch']!.push(
    await longestBlock(() =>
      core.handlers['apps.decide']({
        appKeys: [`path:c:\\apps\\scale ${r}\\s${r}.exe`],
        decision: 'allow',
        direction: 'out',
      }),
    ),
  );
}
const heapEnd = heap() - heapStart;
await core.stop();
rmSync(dataDir, { recursive: true, force: true });
const loadAfter = machineLoad();

printTable(
  `7. Size: apps arriving (${EVENTS_PER_APP} events each, fresh decoded), activity log allowed ${fmt(LOG_SIZE)} entries; heap growth after full GC`,
  stages.map((s) => ({
    apps: fmt(s.apps),
    events: fmt(s.events),
    'log entries': fmt(s.logEntries),
    'heap growth': mb(s.heapBytes),
  })),
);
const taskSpreads = Object.fromEntries(Object.entries(tasks).map(([k, v]) => [k, spread(v)]));
printTable(`   Main-thread tasks at ${fmt(stages.at(-1)!.apps)} apps, each whole, median (min-max) of ${REPEAT}`, [
  ...Object.entries(taskSpreads).map(([task, s]) => ({ task, ms: fmtSpread(s, 1) })),
  { task: '(forced delta batch + clone: at stop and CLI flush only)', ms: fmtSpread(spread(atStopOnly), 1) },
]);
const longest = Math.max(...Object.values(tasks).flat());
const heapAt50k = stages.at(-1)!.heapBytes;
console.log(
  `  heap growth at 50,000 apps ${mb(heapAt50k)} (target < 150 MB: ${heapAt50k < 150 * 1048576 ? 'met' : 'MISSED'}; log held ${fmt(stages.at(-1)!.logEntries)} entries); ` +
    `longest main-thread task ${fmt(longest, 1)} ms (target <= 50 ms: ${longest <= 50 ? 'met' : 'MISSED'}); heap growth at the end ${mb(heapEnd)}; ` +
    `load average ${loadBefore.loadavg1m} -> ${loadAfter.loadavg1m}`,
);
writeResult('7-scale', {
  logSize: LOG_SIZE,
  stages,
  tasks: taskSpreads,
  longestTaskMs: longest,
  heapAt50kBytes: heapAt50k,
  targets: {
    heapBelowBytes: 150 * 1048576,
    heapMet: heapAt50k < 150 * 1048576,
    longestTaskAtMostMs: 50,
    taskMet: longest <= 50,
  },
  loadBefore,
  loadAfter,
});
