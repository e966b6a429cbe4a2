#!/usr/bin/env node
// `npm run test:wine`: the Windows ABI lane. The native suite runs in Windows Node under Wine, through the win32
// build of koffi, against the simulator built as a Windows DLL with mingw-w64; drive letters come from Wine's
// real kernel32. See docs/wine-lane.md.
//   --sim-dll FILE   test this DLL instead of building native/sim/build/wfpsim.dll
//   --report FILE    where the vitest JSON report goes (default test-results/vitest-wine.json)
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import {
  cacheDir,
  findWine,
  mingwCompiler,
  mingwPresent,
  paths,
  prefixDir,
  prepareRuntime,
  preparePrefix,
  root,
  wineEnv,
  winePath,
} from './wine-lane/runtime.mjs';

const LANE_TIMEOUT_MS = Number(process.env.WINE_LANE_TIMEOUT_MS ?? 10 * 60_000);
const started = Date.now();
const seconds = (since) => ((Date.now() - since) / 1000).toFixed(1);

function parseArgs(argv) {
  const options = { simDll: undefined, report: join(root, 'test-results', 'vitest-wine.json') };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    if (argv[i] === '--sim-dll' && value) options.simDll = resolve(argv[++i]);
    else if (argv[i] === '--report' && value) options.report = resolve(argv[++i]);
    else fail(`unknown argument ${argv[i]} (expected --sim-dll FILE or --report FILE)`, 2);
  }
  return options;
}

function fail(message, code = 1) {
  console.error(`test:wine: ${message}`);
  process.exit(code);
}

function step(name, fn) {
  const t = Date.now();
  try {
    const detail = fn();
    console.log(`test:wine: ${name}${detail ? `: ${detail}` : ''} (${seconds(t)} s)`);
  } catch (e) {
    fail(`${name} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Runs Windows Node under Wine with its output in a file (it cannot write to a pipe), echoing the file live. */
function runUnderWine(wine, args, env, logFile) {
  return new Promise((resolvePromise) => {
    mkdirSync(dirname(logFile), { recursive: true });
    const out = openSync(logFile, 'w');
    const child = spawn(wine, [paths.node, ...args], { cwd: root, env, stdio: ['ignore', out, out] });
    closeSync(out);
    const reader = openSync(logFile, 'r');
    const buffer = Buffer.alloc(64 * 1024);
    let position = 0;
    const pump = () => {
      for (let n; (n = readSync(reader, buffer, 0, buffer.length, position)) > 0; position += n)
        process.stdout.write(buffer.subarray(0, n));
    };
    const ticker = setInterval(pump, 250);
    let timedOut = false;
    const killer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
      // Whatever the lane started inside its own prefix goes too.
      spawnSync(join(dirname(wine), 'wineserver'), ['-k'], { env: { ...env, WINEPREFIX: prefixDir }, stdio: 'ignore' });
    }, LANE_TIMEOUT_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      clearInterval(ticker);
      pump();
      closeSync(reader);
      resolvePromise({ code: code ?? (signal ? 128 : 1), timedOut });
    });
  });
}

/** A Windows path of a Linux file (Z:/work/x) back to the Linux path. */
const fromWine = (p) => p.replace(/^z:/i, '').replaceAll('\\', '/');

/** Tests the lane deliberately leaves out, with the reason; every one must match a test, and nothing else may skip. */
function checkSelection(report, notUnderWine) {
  const results = report.testResults.flatMap((file) => file.assertionResults.map((a) => ({ ...a, file: file.name })));
  const skipped = results.filter((a) => a.status === 'skipped' || a.status === 'pending' || a.status === 'todo');
  const problems = [];
  for (const t of notUnderWine) {
    if (!skipped.some((a) => a.fullName === t.test || a.fullName.endsWith(` ${t.test}`)))
      problems.push(`test/wine/selection.json names "${t.test}", which no selected file has any more`);
  }
  for (const a of skipped) {
    if (!notUnderWine.some((t) => a.fullName === t.test || a.fullName.endsWith(` ${t.test}`)))
      problems.push(
        `"${a.fullName}" (${relative(root, fromWine(a.file))}) was skipped without being listed in test/wine/selection.json`,
      );
  }
  // A file that failed to load reports no test at all: it counts as one failure.
  const brokenFiles = report.testResults.filter(
    (f) => f.status === 'failed' && !f.assertionResults.some((a) => a.status === 'failed'),
  );
  for (const f of brokenFiles)
    problems.push(`${relative(root, fromWine(f.name))} did not run: ${(f.message ?? '').split('\n')[0]}`);
  return {
    passed: results.filter((a) => a.status === 'passed').length,
    failed: results.filter((a) => a.status === 'failed').length + brokenFiles.length,
    deselected: skipped.length,
    problems,
  };
}

const options = parseArgs(process.argv.slice(2));
const wine = findWine();
if (!wine) fail('wine64 not found: install it (Debian/Ubuntu: apt-get install wine64) or set WINE to the wine loader.');
if (!mingwPresent())
  fail(`${mingwCompiler()} not found: install mingw-w64 (Debian/Ubuntu: apt-get install mingw-w64) or set MINGW_CC.`);

const selection = JSON.parse(readFileSync(join(root, 'test', 'wine', 'selection.json'), 'utf8'));
mkdirSync(cacheDir, { recursive: true });
step('Windows runtime', prepareRuntime);
let simDll = options.simDll;
if (simDll) {
  if (!existsSync(simDll)) fail(`${simDll} does not exist`);
} else {
  step('simulator DLL', () => {
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'build-sim.mjs'), '--windows'], {
      cwd: root,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error((r.stderr || r.stdout).trim());
    return r.stdout.trim().replace(/^build-sim: /, '');
  });
  simDll = join(root, 'native', 'sim', 'build', 'wfpsim.dll');
}
step('event ring DLL', () => {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build-events.mjs'), '--windows'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error((r.stderr || r.stdout).trim());
  return r.stdout.trim().replace(/^build-events: /, '');
});
step('Windows Node under Wine', () => preparePrefix(wine));

console.log('test:wine: not run under Wine, on purpose:');
for (const t of selection.notUnderWine) console.log(`  - ${t.test}: ${t.why}`);

rmSync(options.report, { force: true });
const testsStarted = Date.now();
const env = wineEnv({ PORTCULLIS_SIM_LIB: winePath(simDll) });
const vitestArgs = [
  winePath(join(root, 'node_modules', 'vitest', 'vitest.mjs')),
  'run',
  '--config',
  winePath(join(root, 'test', 'wine', 'vitest.config.ts')),
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${winePath(options.report)}`,
];
const run = await runUnderWine(wine, vitestArgs, env, join(cacheDir, 'vitest.log'));
const testSeconds = seconds(testsStarted);

let summary;
try {
  summary = checkSelection(JSON.parse(readFileSync(options.report, 'utf8')), selection.notUnderWine);
} catch {
  summary = undefined;
}
const total = seconds(started);
console.log(`\ntest:wine: loaded ${relative(root, simDll)} in Windows Node ${'under ' + wine}`);
if (run.timedOut)
  console.log(`test:wine: stopped after ${LANE_TIMEOUT_MS / 1000} s without finishing (WINE_LANE_TIMEOUT_MS)`);
if (!summary) {
  console.log(
    `test:wine: FAILED before any test reported (exit ${run.code}; full log in ${relative(root, join(cacheDir, 'vitest.log'))})`,
  );
} else {
  for (const p of summary.problems) console.log(`test:wine: ${p}`);
  console.log(
    `test:wine: ${summary.passed} passed, ${summary.failed} failed, ${summary.deselected} not run under Wine (listed above)`,
  );
}
console.log(`test:wine: lane run time ${total} s (tests ${testSeconds} s)`);
const ok = !run.timedOut && run.code === 0 && summary && summary.failed === 0 && summary.problems.length === 0;
process.exitCode = ok ? 0 : 1;
