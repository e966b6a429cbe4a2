// Benchmark 4: under flood. For 10 s the simulator is kept full of blocked attempts from many apps (the delivery
// thread never waits for work), while every 100 ms a command goes through the IPC dispatcher main uses (sender
// check, zod validation, handler): alternately "allow this app" (rule store + one WFP transaction) and snapshot.get.
// Measured: command round trips, and for every event the time from its arrival in core to the delta batch that
// carries it (including JSON serialization of the batch, as the transport must).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Autostart, nodeProcessRunner, systemTempFileWriter } from '../electron/core/autostart';
import { createNativeBackend } from '../electron/core/backend/native';
import { createPortcullisCore } from '../electron/core/index';
import { createDispatcher, pagesSenderCheck, type SenderInfo } from '../electron/ipc/dispatch';
import { createAutostartHandlers } from '../electron/main/autostart';
import { APP_ORIGIN, OUR_PAGES } from '../electron/main/pages';
import { loadSimControl, loadWfp } from '../native/index';
import { floodConnections } from './lib/flood-source';
import { fmt, machineLoad, printTable, summarize, writeResult, type Summary } from './lib/report';

const FLOOD_MS = Number(process.env.BENCH_FLOOD_MS ?? 10_000);
const COMMAND_EVERY_MS = 100;
const sim = loadSimControl(loadWfp());
const connections = floodConnections(500);

const dataDir = mkdtempSync(join(tmpdir(), 'portcullis-bench-'));
const core = createPortcullisCore({ backend: createNativeBackend(), dataDir });
await core.start();
const dispatcher = createDispatcher({
  // Shell commands as main registers them (off Windows autostart reports itself unavailable); not timed here.
  handlers: {
    ...core.handlers,
    'apps.icon': () => null,
    ...createAutostartHandlers({
      platform: process.platform,
      isPackaged: false,
      exePath: process.execPath,
      autostart: () => new Autostart({ run: nodeProcessRunner, writeTempFile: systemTempFileWriter() }),
    }),
  },
  isTrustedSender: pagesSenderCheck(APP_ORIGIN, OUR_PAGES),
});
const sender: SenderInfo = { url: `${APP_ORIGIN}/index.html`, isMainFrame: true, fromOurWindow: true };

// Arrival time per activity seq, in a ring large enough for the whole run.
const RING = 1 << 22;
const arrivals = new Float64Array(RING);
let arrived = 0;
let lastSeq = 0;
core.onEvent((entry) => {
  arrivals[entry.seq & (RING - 1)] = performance.now();
  arrived++;
  lastSeq = entry.seq;
});
// Every event, to the first batch sent after it (its counts in status, its log entry when among the newest the
// batch carries); and the log entries the batches carried, to their batch.
const eventToBatch: number[] = [];
const logToBatch: number[] = [];
let reflectedUpTo = 0;
const batchBytes: number[] = [];
const serializeMs: number[] = [];
let carried = 0;
let batches = 0;
core.onDelta((batch) => {
  const t0 = performance.now();
  const bytes = Buffer.byteLength(JSON.stringify(batch));
  const t1 = performance.now();
  batches++;
  batchBytes.push(bytes);
  serializeMs.push(t1 - t0);
  for (const entry of batch.activity ?? []) {
    logToBatch.push(t1 - arrivals[entry.seq & (RING - 1)]!);
    carried++;
  }
  if (batch.status) {
    for (let seq = reflectedUpTo + 1; seq <= lastSeq; seq++) eventToBatch.push(t1 - arrivals[seq & (RING - 1)]!);
    reflectedUpTo = lastSeq;
  }
});

let flooding = true;
sim.setQueueCapacity(200_000);
async function produce(): Promise<void> {
  let i = 0;
  while (flooding) {
    if (sim.pendingEvents() < 30_000) {
      await sim.connectRepeatAsync(connections[i % connections.length]!, 2_000);
      i++;
    } else {
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

const roundTrips: Record<string, number[]> = { 'apps.decide (allow)': [], 'snapshot.get': [] };
const failures: string[] = [];
async function commands(): Promise<void> {
  let n = 0;
  while (flooding) {
    await new Promise((r) => setTimeout(r, COMMAND_EVERY_MS));
    const decide = n % 2 === 0;
    const t0 = performance.now();
    const result = decide
      ? await dispatcher.dispatch(
          'apps.decide',
          { appKeys: [`path:c:\\apps\\idle ${n}\\idle${n}.exe`], decision: 'allow', direction: 'out' },
          sender,
        )
      : await dispatcher.dispatch('snapshot.get', {}, sender);
    const ms = performance.now() - t0;
    if (!result.ok) failures.push(`${result.error.code}: ${result.error.message}`);
    roundTrips[decide ? 'apps.decide (allow)' : 'snapshot.get']!.push(ms);
    n++;
  }
}

const loadBefore = machineLoad();
const cpu0 = process.cpuUsage();
const start = performance.now();
const arrivedAtStart = arrived;
const producer = produce();
const commander = commands();
await new Promise((r) => setTimeout(r, FLOOD_MS));
const floodEnd = performance.now();
const arrivedInFlood = arrived - arrivedAtStart;
flooding = false;
await Promise.all([producer, commander]);
const cpu = process.cpuUsage(cpu0);
const loadAfter = machineLoad();
core.flush();
const status = core.status();
await core.stop();
rmSync(dataDir, { recursive: true, force: true });

const all = Object.values(roundTrips).flat();
const rows: Array<Record<string, string>> = [];
const addRow = (what: string, s: Summary, target: string) =>
  rows.push({
    measure: what,
    n: fmt(s.n),
    'p50 ms': fmt(s.p50, 1),
    'p99 ms': fmt(s.p99, 1),
    'max ms': fmt(s.max, 1),
    target,
  });
for (const [name, values] of Object.entries(roundTrips)) addRow(`round trip ${name}`, summarize(values), '');
const rt = summarize(all);
addRow('round trip, all commands', rt, `p99 < 100: ${rt.p99 < 100 ? 'met' : 'missed'}`);
const etb = summarize(eventToBatch);
addRow('event arrival -> next delta batch', etb, `p99 < 250: ${etb.p99 < 250 ? 'met' : 'missed'}`);
addRow('log entry -> the batch carrying it', summarize(logToBatch), '');
addRow('JSON.stringify of one batch', summarize(serializeMs), '');
const rate = (arrivedInFlood / (floodEnd - start)) * 1000;
printTable(
  `4. Under flood (${FLOOD_MS / 1000} s, ${connections.length} flooding apps, a command every ${COMMAND_EVERY_MS} ms)`,
  rows,
);
const bytes = summarize(batchBytes);
console.log(
  `  ${fmt(rate)} events/s ingested during the flood; ${batches} batches, ${fmt(carried)} of ${fmt(arrived)} events carried ` +
    `in the log part of batches (the newest of each batch, about 1,000 a second; the rest counted as left out); batch size p50 ${fmt(bytes.p50 / 1024)} KB, max ${fmt(bytes.max / 1024)} KB; ` +
    `lost by the simulator ${fmt(status.counters.lost)}; CPU ${fmt(((cpu.user + cpu.system) / 1000 / (floodEnd - start)) * 100)}% of one core; ` +
    `load average ${loadBefore.loadavg1m} -> ${loadAfter.loadavg1m}`,
);
if (failures.length) console.log(`  ${failures.length} commands failed, first: ${failures[0]}`);
writeResult('4-flood', {
  floodMs: FLOOD_MS,
  apps: connections.length,
  eventsPerSecond: rate,
  roundTrips: Object.fromEntries(Object.entries(roundTrips).map(([k, v]) => [k, summarize(v)])),
  roundTripAll: rt,
  eventToBatch: etb,
  logToBatch: summarize(logToBatch),
  serializeMs: summarize(serializeMs),
  batchBytes: bytes,
  batches,
  carried,
  arrived,
  lost: status.counters.lost,
  failures,
  targets: {
    roundTripP99Below: 100,
    roundTripMet: rt.p99 < 100,
    eventToBatchP99Below: 250,
    eventToBatchMet: etb.p99 < 250,
  },
  cpuPercentOfOneCore: ((cpu.user + cpu.system) / 1000 / (floodEnd - start)) * 100,
  loadBefore,
  loadAfter,
});
