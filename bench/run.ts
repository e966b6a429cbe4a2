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
  { name: 'scale', file: '7-scale' },
  { name: 'import', file: '8-import' },
  { name: 'services', file: '9-services' },
] as const;

// --summary-only: no benchmark runs; the summary is made from the files of the last run in bench-results/.
const summaryOnly = process.argv.includes('--summary-only');
const wanted = process.argv.slice(2).filter((a) => a !== '--summary-only');
const unknown = wanted.filter((w) => !BENCHMARKS.some((b) => b.name === w));
if (unknown.length) {
  console.error(`Unknown benchmark(s) ${unknown.join(', ')}; choose from ${BENCHMARKS.map((b) => b.name).join(', ')}.`);
  process.exit(2);
}

for (const script of summaryOnly ? [] : ['scripts/build-sim.mjs', 'scripts/build-events.mjs']) {
  if (!existsSync(join(repoRoot, script))) continue;
  const build = spawnSync(process.execPath, [join(repoRoot, script)], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(1);
}

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
  if (summaryOnly || (wanted.length && !wanted.includes(b.name))) continue;
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(repoRoot, 'bench', `${b.name}.ts`)], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  timings[b.name] = (Date.now() - t0) / 1000;
  if (r.status !== 0) failed.push(b.name);
}

// ---- summary against the targets ----
interface SpreadJson {
  median: number;
  min: number;
  max: number;
  runs: number[];
}
interface Results {
  '2-ingest': { ingestToRelay: SpreadJson };
  '3-pipeline': { warm: { perSecond: SpreadJson }; cold: { perSecond: SpreadJson } };
  '4-flood': {
    roundTripAll: { p99: number };
    eventToBatchP99: SpreadJson;
    uncounted: number;
    cpuPercentOfOneCore: SpreadJson;
    cpuWithCommandsPercent?: SpreadJson;
    commandsCpuPercent?: SpreadJson;
  };
  '5-renderer': {
    frames: Record<'blocked' | 'activity', { toPaintMs: { p99: number; n: number }; frameIntervalMs: { p99: number } }>;
  };
  '6-rules': { reconcile1000: { coldMs: number; warmMs: number }; target: { met: boolean } };
  '7-scale': { heapAt50kBytes: number; longestTaskMs: number };
  '8-import': { import20000?: { wholeMs: SpreadJson; longestTaskMs: SpreadJson } };
}
// Only this run's files count: a benchmark that failed or was not selected reads as "not run".
const read = <K extends keyof Results>(file: K): Results[K] | undefined => {
  const p = join(resultsDir, `${file}.json`);
  if (!existsSync(p) || (!summaryOnly && !(BENCHMARKS.find((b) => b.file === file)!.name in timings))) return undefined;
  if (failed.includes(BENCHMARKS.find((b) => b.file === file)!.name)) return undefined;
  return JSON.parse(readFileSync(p, 'utf8')) as Results[K];
};
const ingest = read('2-ingest');
const pipeline = read('3-pipeline');
const flood = read('4-flood');
const renderer = read('5-renderer');
const rules = read('6-rules');
const scale = read('7-scale');
const imports = read('8-import')?.import20000;
const spreadText = (s: SpreadJson, digits = 0, unit = '') =>
  `${fmt(s.median, digits)}${unit} (${fmt(s.min, digits)}-${fmt(s.max, digits)}, n=${s.runs.length})`;
interface TargetRow {
  target: string;
  measured: string;
  value: number | null;
  goal: string;
  result: 'met' | 'MISSED' | 'not run';
}
const targets: TargetRow[] = [];
const target = (name: string, goal: string, value: number | undefined, measured: string, met: boolean | undefined) =>
  targets.push({
    target: name,
    measured: value === undefined ? '-' : measured,
    value: value ?? null,
    goal,
    // A figure that is not a number (a round that measured nothing) never meets its target.
    result: met === undefined ? 'not run' : met && Number.isFinite(value) ? 'met' : 'MISSED',
  });
target(
  'ingest ÷ per-event relay ceiling (same run)',
  '>= 4x',
  ingest?.ingestToRelay.median,
  ingest ? spreadText(ingest.ingestToRelay, 2, 'x') : '',
  ingest && ingest.ingestToRelay.median >= 4,
);
target(
  'pipeline, fresh events, realistic mix (warm)',
  '>= 1,000,000 events/s',
  pipeline?.warm.perSecond.median,
  pipeline ? `${spreadText(pipeline.warm.perSecond)}; cold ${spreadText(pipeline.cold.perSecond)}` : '',
  pipeline && pipeline.warm.perSecond.median >= 1e6,
);
target(
  'WFP timestamp -> batch leaves main, p99 at 10k/s',
  '< 250 ms, none lost uncounted',
  flood?.eventToBatchP99.median,
  flood ? `${spreadText(flood.eventToBatchP99, 1, ' ms')}; uncounted ${flood.uncounted}` : '',
  flood && flood.eventToBatchP99.median < 250 && flood.uncounted === 0,
);
target(
  'CPU of the path at 10k events/s (no commands)',
  '< 10% of one core',
  flood?.cpuPercentOfOneCore.median,
  flood
    ? `${spreadText(flood.cpuPercentOfOneCore, 1, '%')}` +
        (flood.commandsCpuPercent ? `; commands every 100 ms add ${spreadText(flood.commandsCpuPercent, 1, '%')}` : '')
    : '',
  flood && flood.cpuPercentOfOneCore.median < 10,
);
target(
  'command round trip p99 under flood',
  '< 100 ms',
  flood?.roundTripAll.p99,
  flood ? `${fmt(flood.roundTripAll.p99, 1)} ms` : '',
  flood && flood.roundTripAll.p99 < 100,
);
const views = renderer ? [renderer.frames.blocked, renderer.frames.activity] : [];
const worstFrame = renderer ? Math.max(...views.map((v) => v.frameIntervalMs.p99)) : undefined;
const worstPaint = renderer ? Math.max(...views.map((v) => v.toPaintMs.p99)) : undefined;
target(
  'renderer 10k apps: frame interval p99 (worst view)',
  '<= 17 ms',
  worstFrame,
  `${fmt(worstFrame ?? NaN, 1)} ms`,
  worstFrame === undefined ? undefined : worstFrame <= 17,
);
target(
  'renderer 10k apps: batch -> painted p99 (worst view)',
  '< 33 ms',
  worstPaint,
  `${fmt(worstPaint ?? NaN, 1)} ms over ${renderer ? views.map((v) => v.toPaintMs.n).join(' + ') : 0} batches`,
  worstPaint === undefined ? undefined : worstPaint < 33,
);
target(
  'heap growth, 50,000 apps + full activity log',
  '< 150 MB',
  scale ? scale.heapAt50kBytes / 1048576 : undefined,
  scale ? `${fmt(scale.heapAt50kBytes / 1048576, 1)} MB` : '',
  scale && scale.heapAt50kBytes < 150 * 1048576,
);
target(
  'longest main-thread task at 50,000 apps',
  '<= 50 ms',
  scale?.longestTaskMs,
  scale ? `${fmt(scale.longestTaskMs, 1)} ms` : '',
  scale && scale.longestTaskMs <= 50,
);
const reconcileMs = rules ? Math.max(rules.reconcile1000.coldMs, rules.reconcile1000.warmMs) : undefined;
target('reconcile 1,000 rules at start', '< 2,000 ms', reconcileMs, `${fmt(reconcileMs ?? NaN)} ms`, rules?.target.met);
target(
  'longest main-thread task, import of 20,000 rules',
  '<= 100 ms',
  imports?.longestTaskMs.median,
  imports ? `${spreadText(imports.longestTaskMs, 1, ' ms')}; whole ${spreadText(imports.wholeMs, 0, ' ms')}` : '',
  imports && imports.longestTaskMs.median <= 100,
);
const rows = targets.map(({ value: _value, ...row }) => row);
printTable('Summary against the targets', rows);
console.log(
  `  seconds per benchmark: ${Object.entries(timings)
    .map(([k, v]) => `${k} ${fmt(v, 0)}`)
    .join(', ')}`,
);
writeResult('summary', { machine, timings, failed, targets });
if (failed.length) {
  console.error(`Failed: ${failed.join(', ')}`);
  process.exit(1);
}
