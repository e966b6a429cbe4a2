// Entry of the Electron main process (bundled to out/main/index.js). Everything Electron needs before 'ready'
// happens inside boot() before its first await; nothing may be awaited here before calling it.
import { join, resolve } from 'node:path';
import { distrustEnvironment, FOLDERID, LOAD_LIBRARY_SEARCH, windowsSystem } from '../../native/index';
import { main as runCli } from '../core/cli/index';
import { mkdirSync } from 'node:fs';
import { folderSecurityApi } from '../../native/windows/folder-security';
import { secureDataFolder } from '../core/persistence/secure-folder';
import { boot } from './boot';
import { appDataDir, createCoreLoader } from './core-loader';
import { electronDeps } from './electron-adapter';
import { holdInstanceLock } from './instance-lock';

const deps = electronDeps();

boot(deps, {
  argv: process.argv,
  env: process.env,
  paths: {
    preload: join(import.meta.dirname, '../preload/index.cjs'),
    rendererDir: join(import.meta.dirname, '../renderer'),
    exe: process.execPath,
    // Absolute, because an elevated restart starts in System32 and `electron .` would no longer find the app.
    args: process.argv.slice(1).map((arg) => (arg.startsWith('-') ? arg : resolve(arg))),
  },
  loadCore: createCoreLoader({ isPackaged: deps.app.isPackaged }),
  runCli: async (args) => runCli(args, { dataDir: await appDataDir(deps.app.isPackaged) }),
  distrustEnvironment,
  prepareProfile: (dataFolder, profile) => {
    secureDataFolder(dataFolder, folderSecurityApi());
    mkdirSync(profile, { recursive: true });
  },
  machinePath: () => {
    const system = windowsSystem();
    return {
      read: () => system.readMachinePath(),
      write: (value, expand) => system.writeMachinePath(value, expand),
      announce: () => system.announceEnvironmentChange(),
    };
  },
  holdInstanceLock: (dataFolder) => holdInstanceLock(dataFolder),
  windowsFacts: () => {
    const system = windowsSystem();
    return {
      systemDirectory: system.systemDirectory(),
      windowsDirectory: system.knownFolder(FOLDERID.Windows),
      programData: system.knownFolder(FOLDERID.ProgramData),
      programFiles: system.knownFolder(FOLDERID.ProgramFiles),
      programFilesX86: system.knownFolder(FOLDERID.ProgramFilesX86),
      // System32 for Windows' DLLs; the application folder (Program Files, checked in boot) for Electron's own,
      // which Chromium loads later (ffmpeg, ANGLE, ...). The current folder and PATH are out.
      narrowDllSearch: () =>
        system.setDefaultDllDirectories(LOAD_LIBRARY_SEARCH.SYSTEM32 | LOAD_LIBRARY_SEARCH.APPLICATION_DIR),
    };
  },
}).catch((error: unknown) => {
  deps.log('error', 'Portcullis failed to start', error);
  deps.app.exit(1);
});
