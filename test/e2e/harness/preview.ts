// `npm run preview`: a visible Chromium on the built renderer, the real core on the simulator playing the demo.
import { startSimulatedCore } from './core';
import { startHarness } from './index';

const scenario = process.env.PORTCULLIS_SIM_SCENARIO ?? 'native/sim/scenarios/demo.jsonl';
const core = await startSimulatedCore({ scenario });
const harness = await startHarness({ core, headless: false, viewport: null });
const page = await harness.open('index.html');
console.log(
  `Portcullis preview: the app at ${harness.origin}/index.html with the simulator playing ${scenario}.\n` +
    'Press P here to open the approve/deny prompt window (the decision inbox) beside it.\n' +
    'Close the browser window or press Ctrl+C to stop.',
);

let closing = false;
async function shutdown(code: number): Promise<void> {
  if (closing) return;
  closing = true;
  await harness.close().catch(() => undefined);
  process.exit(code);
}
page.on('close', () => void shutdown(0));
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
if (process.stdin.isTTY) {
  process.stdin.setRawMode(true);
  process.stdin.on('data', (key: Buffer) => {
    const ch = key.toString();
    if (ch === '\u0003') void shutdown(0);
    else if (ch.toLowerCase() === 'p') void harness.open('prompt.html');
  });
}
