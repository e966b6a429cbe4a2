// Downloads Electron's binary from our own postinstall step, because Electron's own install script is not
// approved (allowScripts): a machine that cannot reach the download server must still finish `npm install`,
// and everything except `npm start` works without the binary.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { electronMissingSentence, electronBinaryPath } from './electron-binary.mjs';

const require = createRequire(import.meta.url);

function main() {
  if (process.env.PORTCULLIS_SKIP_ELECTRON_DOWNLOAD === '1') {
    console.log('Portcullis: skipping the Electron download (PORTCULLIS_SKIP_ELECTRON_DOWNLOAD=1).');
    return;
  }
  if (electronBinaryPath()) return;
  let installScript;
  try {
    installScript = join(dirname(require.resolve('electron/package.json')), 'install.js');
  } catch {
    console.log(electronMissingSentence('the electron package is not installed'));
    return;
  }
  if (!existsSync(installScript)) {
    console.log(electronMissingSentence('electron/install.js is missing'));
    return;
  }
  const timeoutMs = Number(process.env.PORTCULLIS_ELECTRON_DOWNLOAD_TIMEOUT_MS ?? 120_000);
  const result = spawnSync(process.execPath, [installScript], {
    cwd: dirname(installScript),
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' },
  });
  if (result.status === 0 && electronBinaryPath()) {
    console.log('Portcullis: Electron downloaded.');
    return;
  }
  // The first line that is not a stack frame says what went wrong ("TypeError: fetch failed", "HTTPError: 404").
  const said = `${result.stderr ?? ''}\n${result.stdout ?? ''}`
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line && !line.startsWith('at '));
  const reason = result.error ? result.error.message : (said ?? `exit code ${result.status}`);
  console.log(electronMissingSentence(`the download failed: ${reason}`));
}

main();
