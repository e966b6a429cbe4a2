// `npm run bench`: every benchmark in its own Node process (the simulator's state is per process, heap figures must
// not mix), in order, each printing its table and writing bench-results/<name>.json; then a summary against the
// targets in bench-results/summary.json. `npm run bench -- ingest flood` runs only those.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fmt, printTable, repoRoot, resultsDir, writeResult } from './lib/report';

const BENCHMARKS = [
  { name: 'ceilings', file: '1-ceilings' },
  { name: 'ingest', file: '2-ingest' },
  { name: 'pipeline', file: '3-pipeline' },
  { name: 'flood', file: '4-flood' },
  { name: 'renderer', file: '5-renderer' },
  { name: 'rules', file: '6-rules' },
] as const;

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !BENCHMARKS.some((b) => b.name === w));
if (unknown.length) {
  console.error(`Unknown benchmark(s) ${unknown.join(', ')}; choose from ${BENCHMARKS.map((b) => b.name).join(', ')}.`);
  process.exit(2);
}

const build = spawnSync(process.execPath, [join(repoRoot, 'scripts/build-sim.mjs')], { stdio: 'inherit' });
if (build.status !== 0) process.exit(1);

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cpus: cpus().length,
  memoryGb: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
};
console.log(
  `Portcullis benchmarks on ${machine.cpu}, ${machine.cpus} CPUs, ${machine.memoryGb} GB, Node ${machine.node}`,
);

const timings: Record<string, number> = {};
const failed: string[] = [];
for (const b of BENCHMARKS) {
  if (wanted.length && !wanted.includes(b.name)) continue;
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(repoRoot, 'bench', `${b.name}.ts`)], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  timings[b.name] = (Date.now() - t0) / 1000;
  if (r.status !== 0) failed.push(b.name);
}

// ---- summary against the targets ----
interface PerSecond {
  perSecond: number;
}
interface BytesRow {
  eventsPerSecond: number;
  batchedBytesPerSecond: number;
}
interface Results {
  '2-ingest': { ratios: { ingestToRelay: number }; ingest: PerSecond; relay: PerSecond };
  '3-pipeline': { rest: PerSecond; reached: number; heapGrowthBytes: number };
  '4-flood': { roundTripAll: { p99: number }; eventToBatch: { p99: number } };
  '5-renderer': {
    bytes: BytesRow[];
    frames: { blocked: { toPaintMs: { p99: number } }; activity: { toPaintMs: { p99: number } } };
  };
  '6-rules': { reconcile1000: { coldMs: number; warmMs: number }; target: { met: boolean } };
}
// Only this run's files count: a benchmark that failed or was not selected reads as "not run".
const read = <K extends keyof Results>(file: K): Results[K] | undefined => {
  const p = join(resultsDir, `${file}.json`);
  if (!existsSync(p) || !(BENCHMARKS.find((b) => b.file === file)!.name in timings)) return undefined;
  if (failed.includes(BENCHMARKS.find((b) => b.file === file)!.name)) return undefined;
  return JSON.parse(readFileSync(p, 'utf8')) as Results[K];
};
const ingest = read('2-ingest');
const pipeline = read('3-pipeline');
const flood = read('4-flood');
const renderer = read('5-renderer');
const rules = read('6-rules');
const rows: Array<Record<string, string>> = [];
const target = (name: string, measured: string, goal: string, met: boolean | undefined) =>
  rows.push({ target: name, measured, goal, result: met === undefined ? 'not run' : met ? 'met' : 'MISSED' });
target(
  'ingest ÷ relay ceiling',
  ingest
    ? `${fmt(ingest.ratios.ingestToRelay * 100)}% (${fmt(ingest.ingest.perSecond)} of ${fmt(ingest.relay.perSecond)}/s)`
    : '-',
  '>= 80%',
  ingest ? ingest.ratios.ingestToRelay >= 0.8 : undefined,
);
target(
  'pipeline events/s',
  pipeline ? fmt(pipeline.rest.perSecond) : '-',
  '>= 1,000,000',
  pipeline ? pipeline.rest.perSecond >= 1e6 : undefined,
);
target(
  `heap growth 1M -> ${pipeline ? fmt(pipeline.reached / 1e6, 1) : '10'}M`,
  pipeline ? `${fmt(pipeline.heapGrowthBytes / 1048576, 1)} MB` : '-',
  '< 50 MB',
  pipeline ? pipeline.heapGrowthBytes < 50 * 1048576 : undefined,
);
target(
  'flood: command round trip p99',
  flood ? `${fmt(flood.roundTripAll.p99, 1)} ms` : '-',
  '< 100 ms',
  flood ? flood.roundTripAll.p99 < 100 : undefined,
);
target(
  'flood: event -> batch p99',
  flood ? `${fmt(flood.eventToBatch.p99, 1)} ms` : '-',
  '< 250 ms',
  flood ? flood.eventToBatch.p99 < 250 : undefined,
);
if (renderer) {
  const worst = Math.max(renderer.frames.blocked.toPaintMs.p99, renderer.frames.activity.toPaintMs.p99);
  target('renderer: batch -> painted p99, 10,000 apps', `${fmt(worst, 1)} ms`, '< 16 ms', worst < 16);
  const b1 = renderer.bytes.find((b) => b.eventsPerSecond === 1000)!;
  const b20 = renderer.bytes.find((b) => b.eventsPerSecond === 20000)!;
  const growth = b20.batchedBytesPerSecond / b1.batchedBytesPerSecond;
  target(
    'renderer: bytes/s 20,000 ÷ 1,000 ev/s',
    `${fmt(growth, 1)}x (${fmt(b1.batchedBytesPerSecond / 1024)} -> ${fmt(b20.batchedBytesPerSecond / 1024)} KB/s)`,
    'flat (~1x)',
    growth < 1.5,
  );
} else {
  target('renderer', '-', '', undefined);
}
target(
  'reconcile 1,000 rules at start',
  rules ? `${fmt(Math.max(rules.reconcile1000.coldMs, rules.reconcile1000.warmMs))} ms` : '-',
  '< 2,000 ms',
  rules ? rules.target.met : undefined,
);
printTable('Summary against the targets', rows);
console.log(
  `  seconds per benchmark: ${Object.entries(timings)
    .map(([k, v]) => `${k} ${fmt(v, 0)}`)
    .join(', ')}`,
);
writeResult('summary', { machine, timings, failed, targets: rows });
if (failed.length) {
  console.error(`Failed: ${failed.join(', ')}`);
  process.exit(1);
}
