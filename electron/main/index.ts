// Entry of the Electron main process (bundled to out/main/index.js).
import { join, resolve } from 'node:path';
import { main as runCli } from '../core/cli/index';
import { runCliMode } from './cli-mode';
import { appDataDir, createCoreLoader } from './core-loader';
import { electronDeps } from './electron-adapter';
import { runPortcullis } from './lifecycle';

const deps = electronDeps();

async function start(): Promise<void> {
  const cli = await runCliMode(process.argv, {
    exit: (code) => deps.app.exit(code),
    runCli: async (args) => runCli(args, { dataDir: await appDataDir(deps.app.isPackaged) }),
    log: (message, error) => deps.log('error', message, error),
  });
  if (cli) return;
  await runPortcullis(deps, createCoreLoader({ isPackaged: deps.app.isPackaged }), {
    preload: join(import.meta.dirname, '../preload/index.cjs'),
    rendererDir: join(import.meta.dirname, '../renderer'),
    exe: process.execPath,
    // Absolute, because an elevated restart starts in System32 and `electron .` would no longer find the app.
    args: process.argv.slice(1).map((arg) => (arg.startsWith('-') ? arg : resolve(arg))),
  });
}

start().catch((error: unknown) => {
  deps.log('error', 'Portcullis failed to start', error);
  deps.app.exit(1);
});
