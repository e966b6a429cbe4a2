// `npm test`: typecheck, lint, then the unit, native and e2e suites, in that order, stopping at the first failure.
// The last line is always "N passed, M failed": N and M count tests; a failed typecheck, lint or build step (or a
// suite that crashed before reporting) counts as one failed, so the line never reads "0 failed" for a red run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const resultsDir = resolve(root, 'test-results');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const steps = [
  { name: 'typecheck', script: 'typecheck' },
  { name: 'lint', script: 'lint' },
  { name: 'unit', script: 'test:unit', suite: true },
  { name: 'native', script: 'test:native', suite: true },
  { name: 'e2e', script: 'test:e2e', suite: true },
];

function runStep(step) {
  const args = ['run', '--silent', step.script];
  let report;
  if (step.suite) {
    mkdirSync(resultsDir, { recursive: true });
    report = resolve(resultsDir, `vitest-${step.name}.json`);
    rmSync(report, { force: true });
    args.push('--', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`);
  }
  console.log(`\n== ${step.name} (npm run ${step.script})`);
  const started = Date.now();
  const run = spawnSync(npm, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = run.status === 0;
  if (!step.suite)
    return { ok, passed: 0, failed: ok ? 0 : 1, line: `${step.name}: ${ok ? 'ok' : 'FAILED'} (${seconds} s)` };

  const counts = readReport(report);
  if (!counts) {
    return { ok: false, passed: 0, failed: 1, line: `${step.name}: FAILED before any test ran (${seconds} s)` };
  }
  const failed = counts.failed + (ok || counts.failed > 0 ? 0 : 1);
  const skipped = counts.skipped ? `, ${counts.skipped} skipped` : '';
  return {
    ok: ok && counts.failed === 0,
    passed: counts.passed,
    failed,
    line: `${step.name}: ${counts.passed} passed, ${counts.failed} failed${skipped} (${seconds} s)`,
  };
}

function readReport(file) {
  if (!file || !existsSync(file)) return null;
  try {
    const json = JSON.parse(readFileSync(file, 'utf8'));
    return {
      passed: json.numPassedTests ?? 0,
      failed: json.numFailedTests ?? 0,
      skipped: (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0),
    };
  } catch {
    return null;
  }
}

let passed = 0;
let failed = 0;
const lines = [];
for (const step of steps) {
  const result = runStep(step);
  passed += result.passed;
  failed += result.failed;
  lines.push(result.line);
  if (!result.ok) {
    const rest = steps.slice(steps.indexOf(step) + 1).map((s) => s.name);
    if (rest.length) lines.push(`not run after the failure: ${rest.join(', ')}`);
    break;
  }
}
console.log(`\n${lines.join('\n')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
