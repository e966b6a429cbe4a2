#!/usr/bin/env node
// `npm run test:wine:drift`: proves the Windows ABI lane catches a struct field that moved in the Windows build.
// 1. The simulator is compiled for Windows with SIM_LAYOUT_DRIFT_FOR_TEST (localPort and remotePort of the event
//    header change places). With the layout asserts generated from native/layout/golden.json the compile must fail.
// 2. The same sources are compiled again with an empty layout_asserts.h, deliberately bypassing those asserts,
//    into .cache/wine-lane/drift/wfpsim.dll.
// 3. The lane runs against that DLL and must fail, on the decoding tests that check ports.
// Exits 0 when all three hold, 1 otherwise.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, mingwCompiler, mingwPresent, root } from './runtime.mjs';

const simSrc = join(root, 'native', 'sim', 'src');
const driftDir = join(cacheDir, 'drift');
const bypassDir = join(driftDir, 'no-layout-asserts');
const dll = join(driftDir, 'wfpsim.dll');
const report = join(root, 'test-results', 'vitest-wine-drift.json');
// The decoding test that reads both ports of a fully flagged IPv4 drop, once per FwpmNetEventSubscribeN.
const MUST_FAIL = 'IPv4 drop with every flag set gives exactly the values put in';

function fail(message) {
  console.error(`drift check: FAILED: ${message}`);
  process.exit(1);
}

if (!mingwPresent())
  fail(`${mingwCompiler()} not found: install mingw-w64 (Debian/Ubuntu: apt-get install mingw-w64).`);
// The generated asserts must be current: build-sim writes them.
const build = spawnSync(process.execPath, [join(root, 'scripts', 'build-sim.mjs'), '--windows'], {
  cwd: root,
  encoding: 'utf8',
});
if (build.status !== 0) fail(`the normal Windows build fails already:\n${build.stderr}`);

const sources = readdirSync(simSrc)
  .filter((f) => f.endsWith('.c'))
  .sort()
  .map((f) => join(simSrc, f));
const flags = [
  '-std=gnu11',
  '-O2',
  '-shared',
  '-static-libgcc',
  '-D_WIN32_WINNT=0x0601',
  '-DSIM_LAYOUT_DRIFT_FOR_TEST',
];

// 1. The static asserts refuse the moved field.
const guarded = spawnSync(
  mingwCompiler(),
  [
    ...flags.filter((f) => f !== '-shared'),
    '-fsyntax-only',
    '-I',
    join(root, 'native', 'sim', 'build'),
    join(simSrc, 'layout_check.c'),
  ],
  { encoding: 'utf8' },
);
if (guarded.status === 0 || !/localPort.*differs from native\/layout\/golden\.json/.test(guarded.stderr))
  fail(
    `with the layout asserts, the drifted build should fail on localPort; it ${guarded.status === 0 ? 'compiled' : `failed otherwise:\n${guarded.stderr}`}`,
  );
console.log(
  'drift check: with the layout asserts the drifted simulator does not compile (localPort differs from golden.json)',
);

// 2. Without them, it builds.
mkdirSync(bypassDir, { recursive: true });
writeFileSync(
  join(bypassDir, 'layout_asserts.h'),
  '/* Deliberately empty: the drift check bypasses the layout asserts. */\n',
);
const cc = spawnSync(mingwCompiler(), [...flags, '-I', bypassDir, '-o', dll, ...sources], { encoding: 'utf8' });
if (cc.status !== 0) fail(`the drifted DLL did not build:\n${cc.stderr}`);
console.log(`drift check: built ${dll.slice(root.length + 1)} with the asserts bypassed`);

// 3. The lane must notice.
const lane = spawnSync(
  process.execPath,
  [join(root, 'scripts', 'test-wine.mjs'), '--sim-dll', dll, '--report', report],
  {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const summaryLines = (lane.stdout ?? '').split('\n').filter((l) => l.startsWith('test:wine:'));
for (const l of summaryLines.slice(-3)) console.log(`  ${l}`);
if (lane.status === 0) fail('the Windows ABI lane passed against a DLL whose event header has a moved field');

let failedNames;
try {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  failedNames = json.testResults.flatMap((f) =>
    f.assertionResults.filter((a) => a.status === 'failed').map((a) => a.fullName),
  );
} catch (e) {
  fail(
    `the lane failed without a test report (${e instanceof Error ? e.message : e}); it must fail on the tests, not before them`,
  );
}
const portFailures = failedNames.filter((n) => n.includes(MUST_FAIL));
if (portFailures.length < 5)
  fail(`expected "${MUST_FAIL}" to fail for each of FwpmNetEventSubscribe0..4, got ${portFailures.length}`);
console.log(`drift check: OK: the lane failed (${failedNames.length} tests), among them:`);
for (const n of portFailures) console.log(`  - ${n}`);
