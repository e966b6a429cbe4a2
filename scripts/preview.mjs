// `npm run preview`: the app's renderer in a visible Chromium, driven by the real core on the simulator with the
// demo scenario, through the e2e harness. For machines where Electron's binary is missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const env = { ...process.env };
env.PORTCULLIS_SIM_SCENARIO ??= resolve(root, 'native/sim/scenarios/demo.jsonl');
if (!existsSync(env.PORTCULLIS_SIM_SCENARIO)) {
  console.error(
    `Portcullis: the demo scenario ${env.PORTCULLIS_SIM_SCENARIO} is missing; the preview will show no traffic.`,
  );
}

if (process.platform !== 'win32' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  console.error(
    'Portcullis: `npm run preview` opens a browser window, but there is no display here (DISPLAY and WAYLAND_DISPLAY ' +
      'are unset); run it in a desktop session, or take screenshots headless with `npm run test:e2e` (test-results/).',
  );
  process.exit(1);
}

function run(label, args) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`Portcullis: ${label} failed (exit code ${result.status ?? result.signal}); see the output above.`);
    process.exit(1);
  }
}

run('building the simulator', ['scripts/build-sim.mjs']);
run('the build', [resolve(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build']);
run('the preview', ['--import', 'tsx', 'test/e2e/harness/preview.ts', ...process.argv.slice(2)]);
