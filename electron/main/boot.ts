// The first, synchronous part of the main process. Electron runs only what the entry module does before its first
// await ahead of 'ready' (docs/api/app.md: "If an Electron API needs to be called before the ready event, ensure
// that it is called synchronously in the top-level context of the main process"), and some calls are refused or
// too late after it: protocol.registerSchemesAsPrivileged throws once the app is ready
// (shell/browser/api/electron_api_protocol.cc), the profile folder must be set before the profile is created, and
// Windows wants the AppUserModelID before any window exists (SetCurrentProcessExplicitAppUserModelID: "must be
// called during an application's initial startup routine, before the application presents any UI"). So every one
// of them happens here, before anything is awaited; boot() returns the promise of the rest.
import { mkdirSync } from 'node:fs';
import { win32 } from 'node:path';
import { APP_ID, DATA_FOLDER_NAME, TOAST_ACTIVATOR_CLSID } from '../core/app-identity';
import { cliArguments, runCliMode } from './cli-mode';
import { REGISTER_CONSOLE_ARG, UNREGISTER_CONSOLE_ARG, updateConsolePath, type MachinePath } from './console-path';
import type { CoreLoader } from './core-port';
import type { ElectronDeps } from './deps';
import { protectedFoldersOf } from './downloads';
import { isInside, refusalMessage, refusalReasons, sanitizeEnvironment, type SystemFolders } from './hardening';
import type { InstanceLock } from './instance-lock';
import { runPortcullis, type RunningShell, type ShellPaths } from './lifecycle';
import { APP_SCHEME } from './pages';
import { sizeRendererYoungGeneration } from './renderer-heap';

/** The Windows facts boot needs, read through the Windows API (native/win32/system.ts) and never the environment. */
export interface WindowsFacts extends SystemFolders {
  readonly programFiles: string;
  /** Where 32-bit programs are installed: a system folder exports must not be written into (downloads.ts). */
  readonly programFilesX86: string;
  /** Called before any DLL of ours is loaded: narrows the DLL search path of this process. */
  narrowDllSearch(): void;
}

export interface BootOptions {
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly paths: ShellPaths;
  readonly loadCore: CoreLoader;
  readonly runCli: (args: readonly string[]) => Promise<number>;
  /** Only called for the installed app on Windows. */
  readonly windowsFacts: () => WindowsFacts;
  /** Our own single-instance lock in the data folder (instance-lock.ts); only for the installed app on Windows. */
  readonly holdInstanceLock?: (dataFolder: string) => InstanceLock;
  /** Told that the installed app stops honouring PORTCULLIS_SIM_LIB (native/loader.ts). */
  readonly distrustEnvironment: () => void;
  /**
   * Creates the profile folder inside the data folder, after the data folder itself was created with its protected
   * DACL (or checked): a plain mkdir of the data folder first would give it %ProgramData%'s inherited, user-writable
   * permissions, and the data folder check would then refuse it.
   */
  readonly prepareProfile?: (dataFolder: string, profile: string) => void;
  /** The machine PATH, for the installer's --register-console / --unregister-console. */
  readonly machinePath: () => MachinePath;
}

/** Where Chromium keeps the profile and the single-instance lock: inside the administrators-only data folder. */
export function profileFolder(programData: string): string {
  return win32.join(programData, DATA_FOLDER_NAME, 'Electron');
}

export function boot(deps: ElectronDeps, options: BootOptions): Promise<RunningShell | undefined> {
  const { app } = deps;
  const args = options.argv.slice(1);
  const installed = app.isPackaged;
  const windows = deps.platform === 'win32';

  if (installed) {
    options.distrustEnvironment();
    const reasons = refusalReasons(args, options.env, deps.platform);
    if (reasons.length) return refuse(deps, options, refusalMessage(reasons));
  }
  let facts: WindowsFacts | undefined;
  let instanceLock: InstanceLock = 'unavailable';
  if (installed && windows) {
    try {
      facts = options.windowsFacts();
      facts.narrowDllSearch();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return refuse(deps, options, `Portcullis could not read its folders from Windows: ${reason}`);
    }
    if (!isInside(options.paths.exe, facts.programFiles)) {
      return refuse(
        deps,
        options,
        `Portcullis runs as administrator and loads its code from ${options.paths.exe}, which is outside ` +
          `${facts.programFiles}, so programs without administrator rights may be able to change it. ` +
          'Uninstall it and install it again into the Program Files folder the installer offers.',
      );
    }
  }
  if (installed) sanitizeEnvironment(options.env, facts);

  const consoleAction = args.includes(REGISTER_CONSOLE_ARG)
    ? 'register'
    : args.includes(UNREGISTER_CONSOLE_ARG)
      ? 'unregister'
      : undefined;
  if (consoleAction) {
    if (!facts) return refuse(deps, options, 'Only the installer of the installed Portcullis changes PATH.');
    const bin = win32.join(win32.dirname(options.paths.exe), 'bin');
    const code = updateConsolePath(options.machinePath(), bin, consoleAction, (m) => deps.log('info', m));
    app.exit(code);
    return Promise.resolve(undefined);
  }

  deps.registerPrivilegedScheme(APP_SCHEME);
  sizeRendererYoungGeneration(app);
  // Before the AppUserModelId and any notification: Electron writes this CLSID into the per-user shortcut and the
  // HKCU COM key it creates for notifications, which the uninstaller then removes by this known name.
  if (windows) app.setToastActivatorCLSID?.(TOAST_ACTIVATOR_CLSID);
  app.setAppUserModelId(APP_ID);
  if (facts) {
    // Chromium's single-instance lock and profile live in userData, by default %APPDATA%\Portcullis, where any
    // program of the user could hold the lock (and the elevated app would quit at logon) or plant profile files.
    const profile = profileFolder(facts.programData);
    try {
      (options.prepareProfile ?? ((_data, p) => mkdirSync(p, { recursive: true })))(
        win32.join(facts.programData, DATA_FOLDER_NAME),
        profile,
      );
    } catch (error) {
      return refuse(deps, options, error instanceof Error ? error.message : String(error));
    }
    app.setPath('userData', profile);
  }

  const cli = cliArguments(options.argv);
  if (cli !== undefined) {
    return runCliMode(options.argv, {
      exit: (code) => app.exit(code),
      runCli: options.runCli,
      log: (message, error) => deps.log('error', message, error),
    }).then(() => undefined);
  }
  // Not for --cli above: the command-line tool runs beside the app (the uninstaller's reset) and must not hold it.
  if (facts) instanceLock = options.holdInstanceLock?.(win32.join(facts.programData, DATA_FOLDER_NAME)) ?? instanceLock;
  // runPortcullis takes the single-instance lock before its own first await.
  return runPortcullis(deps, options.loadCore, options.paths, {
    instanceLock,
    protectedFolders: facts ? protectedFoldersOf(facts) : [],
  });
}

function refuse(deps: ElectronDeps, options: BootOptions, message: string): Promise<undefined> {
  if (cliArguments(options.argv) !== undefined) process.stderr.write(`portcullis: ${message}\n`);
  else deps.showErrorBox('Portcullis did not start', message);
  deps.log('error', message);
  deps.app.exit(2);
  return Promise.resolve(undefined);
}
