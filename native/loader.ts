// Loads the filtering library once per process: fwpuclnt.dll + kernel32.dll on Windows, the simulator elsewhere.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import koffi, { type LibraryHandle } from 'koffi';
import { WfpLoadError } from './errors.js';
import { bindFunctions, type WfpFunctions } from './wfp/functions.js';
import { windowsSystem } from './win32/system.js';

export interface WfpLibrary extends WfpFunctions {
  readonly backend: 'wfp' | 'simulator';
  /** The file loaded for the Fwpm* functions. */
  readonly path: string;
  /** The koffi handle of that file (the simulator's control functions live in it too). */
  readonly handle: LibraryHandle;
}

export const SIM_LIBRARY_ENV = 'PORTCULLIS_SIM_LIB';
const SIM_RELATIVE_PATH = join(
  'native',
  'sim',
  'build',
  process.platform === 'darwin' ? 'libwfpsim.dylib' : 'libwfpsim.so',
);

const cache = new Map<string, WfpLibrary>();
let environmentTrusted = true;

/**
 * From now on this process ignores PORTCULLIS_SIM_LIB: the installed app calls this first, because any program of
 * the user can set a variable in HKCU\Environment and the elevated app would then load that file as code.
 */
export function distrustEnvironment(): void {
  environmentTrusted = false;
}

/** The simulator library named by PORTCULLIS_SIM_LIB, when this process still honours the environment. */
export function simulatorFromEnvironment(): string | undefined {
  if (!environmentTrusted) return undefined;
  const fromEnv = process.env[SIM_LIBRARY_ENV];
  return fromEnv ? resolve(fromEnv) : undefined;
}

/** The directory holding Portcullis's package.json, found upwards from this file (works bundled or not). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'portcullis') return dir;
      } catch {
        // an unreadable manifest is not ours; keep looking
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

/** The simulator library this process would load: PORTCULLIS_SIM_LIB, else the default build output. */
export function simulatorPath(): string {
  return simulatorFromEnvironment() ?? join(packageRoot(), SIM_RELATIVE_PATH);
}

function open(path: string, howToFix: string): LibraryHandle {
  try {
    return koffi.load(path);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new WfpLoadError(
      path,
      existsSync(path) || !/[\\/]/.test(path) ? reason : 'the file does not exist',
      howToFix,
    );
  }
}

export function loadWfp(options: { libraryPath?: string } = {}): WfpLibrary {
  const windows = process.platform === 'win32' && !options.libraryPath && !simulatorFromEnvironment();
  // By absolute path: a bare name is looked up in the application folder (and more) before System32.
  const path = windows
    ? join(windowsSystem().systemDirectory(), 'fwpuclnt.dll')
    : options.libraryPath
      ? resolve(options.libraryPath)
      : simulatorPath();
  const cached = cache.get(path);
  if (cached) return cached;

  let library: WfpLibrary;
  if (windows) {
    const fix = 'The Windows Filtering Platform ships with Windows 7 and later; check the Windows installation.';
    const handle = open(path, fix);
    // kernel32.dll is a KnownDLL: Windows maps it from System32 whatever the search path says.
    const kernel32 = open('kernel32.dll', fix);
    library = { backend: 'wfp', path, handle, ...bindFunctions(handle, path, kernel32, 'kernel32.dll') };
  } else {
    const fix = `Build the simulator with \`npm run build:sim\` (needs a C compiler), or set ${SIM_LIBRARY_ENV} to a built simulator library.`;
    const handle = open(path, fix);
    // On Windows the simulator DLL stands in for fwpuclnt.dll only: drive letters still come from the real kernel32.
    const kernel32 = process.platform === 'win32' ? open('kernel32.dll', fix) : handle;
    const kernel32Path = process.platform === 'win32' ? 'kernel32.dll' : path;
    library = { backend: 'simulator', path, handle, ...bindFunctions(handle, path, kernel32, kernel32Path) };
  }
  cache.set(path, library);
  return library;
}
