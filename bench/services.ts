// Benchmark 9: what telling svchost services apart costs. (a) Reading the Security log: failure auditing on, the
// simulator writes one 5157 record per blocked attempt and native/services/security-log.ts reads and renders them
// (EvtNext + EvtRender + EvtClose per record), whole wall-clock and this process's CPU time per record. (b) The join
// on the event path: fresh svchost drops and their records in mixed order through AuditJoin, ns per drop. What the
// event log service itself spends writing 5157 on Windows is not measurable here; `npm run smoke:windows` prints the
// live rate on a real PC.
import type { NetEvent } from '../native/api';
import { enableBlockedConnectionAudit, restoreConnectionAudit } from '../native/services/audit-policy';
import { watchBlockedConnections } from '../native/services/security-log';
import { loadServicesSimControl } from '../native/services/sim-control';
import { loadSimControl } from '../native/sim-control';
import { loadWfp } from '../native/loader';
import { AuditJoin } from '../electron/core/services/audit-join';
import type { BlockedConnectionRecord } from '../electron/core/services/port';
import { fmt, machineLoad, median, printTable, sleep, writeResult } from './lib/report';

const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const RECORDS = 50_000;
const PAIRS = 200_000;
const SVCHOST = 'C:\\Windows\\System32\\svchost.exe';

const sim = loadSimControl(loadWfp());
const svc = loadServicesSimControl();
sim.reset();
svc.reset();

async function readRate(): Promise<{ perSecond: number; cpuUsPerRecord: number; wallMs: number }> {
  const before = enableBlockedConnectionAudit().before;
  let seen = 0;
  const watch = watchBlockedConnections(() => void seen++);
  await sleep(50);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  // Inbound to svchost: blocked by Windows' default inbound rule; one record per attempt.
  sim.connectRepeat(
    {
      appPath: SVCHOST,
      direction: 'in',
      protocol: 6,
      localAddress: '192.0.2.10',
      localPort: 7680,
      remoteAddress: '198.51.100.60',
      remotePort: 50220,
    },
    RECORDS,
  );
  while (seen < RECORDS) await sleep(1);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await watch.stop();
  restoreConnectionAudit(before);
  sim.reset();
  return { perSecond: (RECORDS / wallMs) * 1000, cpuUsPerRecord: (cpu.user + cpu.system) / RECORDS, wallMs };
}

function joinCost(): { nsPerDrop: number; joined: number } {
  const timers = { setTimeout: () => 0, clearTimeout: () => undefined };
  let now = 1_000_000;
  const clock = { now: () => now };
  let delivered = 0;
  const join = new AuditJoin(
    clock,
    timers,
    (pid) => (pid % 3 === 0 ? ['bits', 'wuauserv'] : ['dnscache']),
    () => void delivered++,
  );
  // Fresh objects and strings for every pair (nothing shared or pre-hashed), built outside the timed section.
  const drops: NetEvent[] = [];
  const records: BlockedConnectionRecord[] = [];
  for (let i = 0; i < PAIRS; i++) {
    const port = 1024 + (i % 60_000);
    const remote = `198.51.${100 + (i % 50)}.${i % 250}`;
    drops.push({
      time: 0,
      type: 'drop',
      rawType: 3,
      direction: 'out',
      protocol: 6,
      localAddress: '192.0.2.10',
      localPort: port,
      remoteAddress: remote,
      remotePort: 443,
      appPath: SVCHOST,
      filterId: 70 + (i % 7),
      flags: 0,
    });
    records.push({
      eventId: 5157,
      time: 0,
      processId: 1000 + (i % 40),
      application: '\\device\\harddiskvolume3\\windows\\system32\\svchost.exe',
      sourceAddress: '192.0.2.10',
      sourcePort: port,
      destAddress: `${remote}`,
      destPort: 443,
      protocol: 6,
      filterId: 70 + (i % 7),
    });
  }
  let joined = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < PAIRS; i++) {
    now++;
    // Half the records come first, half after their drop (the order on Windows is not fixed).
    if (i % 2 === 0) {
      join.onRecord(records[i]!);
      if (join.accept(drops[i]!) !== 'held') joined++;
    } else {
      join.accept(drops[i]!);
      join.onRecord(records[i]!);
    }
  }
  const ns = Number(process.hrtime.bigint() - t0);
  join.flush();
  return { nsPerDrop: ns / PAIRS, joined: joined + delivered };
}

const loadBefore = machineLoad();
const reads = [];
const joins = [];
for (let r = 0; r < REPEAT; r++) {
  reads.push(await readRate());
  joins.push(joinCost());
}
const loadAfter = machineLoad();
const spread = (values: number[], digits = 0) =>
  `${fmt(median(values), digits)} (${fmt(Math.min(...values), digits)}-${fmt(Math.max(...values), digits)})`;

printTable('9. Telling svchost services apart (median of runs, min-max)', [
  {
    path: `Security log: ${fmt(RECORDS)} records 5157 read, rendered, closed`,
    'records/s': spread(reads.map((r) => r.perSecond)),
    'CPU µs/record': spread(
      reads.map((r) => r.cpuUsPerRecord),
      1,
    ),
  },
  {
    path: `join: ${fmt(PAIRS)} svchost drops and their records, mixed order`,
    'records/s': spread(joins.map((j) => 1e9 / j.nsPerDrop)),
    'CPU µs/record': spread(
      joins.map((j) => j.nsPerDrop / 1000),
      2,
    ),
  },
]);
console.log(
  `  joined ${fmt(joins[0]!.joined)} of ${fmt(PAIRS)}; load average ${loadBefore.loadavg1m} -> ${loadAfter.loadavg1m} on ${loadAfter.cpus} CPUs`,
);
writeResult('9-services', { reads, joins, loadBefore, loadAfter });
svc.reset();
