// `npm start`: build, then run the app in Electron. Off Windows there is no WFP, so the app runs on the simulator
// with the demo scenario (realistic blocked traffic) and keeps its demo data apart from a real installation.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { electronBinaryPath, electronMissingSentence } from './electron-binary.mjs';

const root = resolve(import.meta.dirname, '..');

const electron = electronBinaryPath();
if (!electron) {
  console.error(electronMissingSentence('it was not downloaded during `npm install`'));
  process.exit(1);
}

const env = { ...process.env };
if (process.platform !== 'win32') {
  env.PORTCULLIS_SIM_SCENARIO ??= resolve(root, 'native/sim/scenarios/demo.jsonl');
  env.PORTCULLIS_DATA_DIR ??= resolve(root, '.cache/demo-data');
  if (!existsSync(env.PORTCULLIS_SIM_SCENARIO)) {
    console.error(
      `Portcullis: the demo scenario ${env.PORTCULLIS_SIM_SCENARIO} is missing; the app will start without traffic.`,
    );
  }
}

function step(label, command, args) {
  const run = spawnSync(command, args, { cwd: root, stdio: 'inherit', env, shell: process.platform === 'win32' });
  if (run.status !== 0) {
    console.error(`Portcullis: ${label} failed (exit code ${run.status ?? run.signal}); see the output above.`);
    process.exit(1);
  }
}

if (process.platform !== 'win32') step('building the simulator', process.execPath, ['scripts/build-sim.mjs']);
step('the build', process.execPath, [resolve(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build']);

// Chromium refuses to run as root on Linux unless its OS sandbox is off; the renderer stays sandboxed by Electron's
// own `sandbox: true`. This only concerns the demo on Linux; on Windows the app runs elevated, not as root.
const args = ['.'];
if (process.platform === 'linux' && process.getuid?.() === 0) args.push('--no-sandbox');

const child = spawn(electron, [...args, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
