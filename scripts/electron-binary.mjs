// Where Electron's binary is, and the one sentence we print when it is not there.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The path of the downloaded Electron executable, or null when it was never downloaded. */
export function electronBinaryPath() {
  let dir;
  try {
    dir = dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const exe = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(exe) ? exe : null;
}

export function electronMissingSentence(reason) {
  return (
    `Portcullis: Electron's binary is not installed (${reason}), so \`npm start\` cannot open the app window; ` +
    'everything else works (`npm test`, `npm run preview` shows the app in Chromium); to fix it, allow access to ' +
    'Electron\'s download server (or set ELECTRON_MIRROR) and run `node scripts/fetch-electron.mjs`.'
  );
}
