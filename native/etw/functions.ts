// The advapi32.dll (real-time trace API) and kernel32.dll functions the DNS-name source calls, declared as data like
// native/wfp/functions.ts. advapi32 and kernel32 are KnownDLLs on Windows; elsewhere the simulator exports them.
import koffi, { type LibraryHandle } from 'koffi';
import { WfpLoadError } from '../errors.js';
import { simulatorPath } from '../loader.js';
import { bind, type BoundFunction } from '../wfp/functions.js';
import './types.js';

const ADVAPI32_DECLARATIONS = {
  StartTraceW: ['uint32_t', [koffi.out(koffi.pointer('uint64_t')), 'char16_t *', 'void *']],
  ControlTraceW: ['uint32_t', ['uint64_t', 'char16_t *', 'void *', 'uint32_t']],
  EnableTraceEx2: [
    'uint32_t',
    ['uint64_t', 'GUID *', 'uint32_t', 'uint8_t', 'uint64_t', 'uint64_t', 'uint32_t', 'void *'],
  ],
  OpenTraceW: ['uint64_t', ['void *']],
  ProcessTrace: ['uint32_t', [koffi.pointer('uint64_t'), 'uint32_t', 'void *', 'void *']],
  CloseTrace: ['uint32_t', ['uint64_t']],
} as const;

const KERNEL32_DECLARATIONS = {
  OpenProcess: ['void *', ['uint32_t', 'int32_t', 'uint32_t']],
  QueryFullProcessImageNameW: ['int32_t', ['void *', 'uint32_t', 'void *', koffi.inout(koffi.pointer('uint32_t'))]],
  CloseHandle: ['int32_t', ['void *']],
} as const;

export type EtwFunctionName = keyof typeof ADVAPI32_DECLARATIONS | keyof typeof KERNEL32_DECLARATIONS;

export interface EtwLibrary {
  readonly backend: 'windows' | 'simulator';
  readonly fn: Record<EtwFunctionName, BoundFunction>;
  readonly exported: ReadonlySet<EtwFunctionName>;
}

let cached: EtwLibrary | undefined;

function open(path: string, fix: string): LibraryHandle {
  try {
    return koffi.load(path);
  } catch (e) {
    throw new WfpLoadError(path, e instanceof Error ? e.message : String(e), fix);
  }
}

export function loadEtw(options: { libraryPath?: string } = {}): EtwLibrary {
  if (cached && !options.libraryPath) return cached;
  const fn: Record<string, BoundFunction> = {};
  const exported = new Set<string>();
  let library: EtwLibrary;
  if (process.platform === 'win32' && !options.libraryPath) {
    const fix = 'advapi32.dll and kernel32.dll ship with every Windows; check the Windows installation.';
    bind(open('advapi32.dll', fix), ADVAPI32_DECLARATIONS, 'advapi32.dll', fn, exported);
    bind(open('kernel32.dll', fix), KERNEL32_DECLARATIONS, 'kernel32.dll', fn, exported);
    library = { backend: 'windows', fn: fn as EtwLibrary['fn'], exported: exported as never };
  } else {
    const path = options.libraryPath ?? simulatorPath();
    const handle = open(path, 'Build the simulator with `npm run build:sim`.');
    bind(handle, ADVAPI32_DECLARATIONS, path, fn, exported);
    bind(handle, KERNEL32_DECLARATIONS, path, fn, exported);
    library = { backend: 'simulator', fn: fn as EtwLibrary['fn'], exported: exported as never };
  }
  if (!options.libraryPath) cached = library;
  return library;
}
