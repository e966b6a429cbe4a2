// The advapi32.dll (service control manager, audit policy), wevtapi.dll (event log) and kernel32.dll (event objects,
// last error) functions the services source calls, declared as data like native/wfp/functions.ts. On Windows (and
// under Wine) they come from System32's DLLs; elsewhere from the simulator, which exports the same names with the
// same x64 layouts. Functions that report through GetLastError are called synchronously, on the thread that then
// reads it; only WaitForSingleObject, which blocks, runs on koffi's worker threads.
import { join } from 'node:path';
import koffi, { type LibraryHandle } from 'koffi';
import { WfpLoadError } from '../errors.js';
import { simulatorPath } from '../loader.js';
import { windowsSystem } from '../win32/system.js';
import { bind, type BoundFunction } from '../wfp/functions.js';
import './types.js';

const u32out = koffi.out(koffi.pointer('uint32_t'));

const ADVAPI32_DECLARATIONS = {
  OpenSCManagerW: ['void *', ['char16_t *', 'char16_t *', 'uint32_t']],
  EnumServicesStatusExW: [
    'int32_t',
    [
      'void *',
      'uint32_t',
      'uint32_t',
      'uint32_t',
      'void *',
      'uint32_t',
      u32out,
      u32out,
      koffi.inout(koffi.pointer('uint32_t')),
      'char16_t *',
    ],
  ],
  CloseServiceHandle: ['int32_t', ['void *']],
  OpenServiceW: ['void *', ['void *', 'char16_t *', 'uint32_t']],
  QueryServiceConfig2W: ['int32_t', ['void *', 'uint32_t', 'void *', 'uint32_t', u32out]],
  AuditQuerySystemPolicy: ['uint8_t', ['GUID *', 'uint32_t', koffi.out(koffi.pointer('void *'))]],
  AuditSetSystemPolicy: ['uint8_t', ['void *', 'uint32_t']],
  AuditFree: ['void', ['void *']],
  OpenProcessToken: ['int32_t', ['void *', 'uint32_t', koffi.out(koffi.pointer('void *'))]],
  LookupPrivilegeValueW: ['int32_t', ['char16_t *', 'char16_t *', koffi.out(koffi.pointer('LUID'))]],
  AdjustTokenPrivileges: [
    'int32_t',
    ['void *', 'int32_t', koffi.pointer('TOKEN_PRIVILEGES'), 'uint32_t', 'void *', 'void *'],
  ],
} as const;

const WEVTAPI_DECLARATIONS = {
  EvtSubscribe: ['void *', ['void *', 'void *', 'char16_t *', 'char16_t *', 'void *', 'void *', 'void *', 'uint32_t']],
  EvtNext: ['int32_t', ['void *', 'uint32_t', 'void *', 'uint32_t', 'uint32_t', u32out]],
  EvtCreateRenderContext: ['void *', ['uint32_t', 'void *', 'uint32_t']],
  EvtRender: ['int32_t', ['void *', 'void *', 'uint32_t', 'uint32_t', 'void *', u32out, u32out]],
  EvtClose: ['int32_t', ['void *']],
} as const;

const KERNEL32_DECLARATIONS = {
  GetCurrentProcess: ['void *', []],
  CreateEventW: ['void *', ['void *', 'int32_t', 'int32_t', 'char16_t *']],
  ResetEvent: ['int32_t', ['void *']],
  WaitForSingleObject: ['uint32_t', ['void *', 'uint32_t']],
  CloseHandle: ['int32_t', ['void *']],
  GetLastError: ['uint32_t', []],
} as const;

export type ServicesFunctionName =
  keyof typeof ADVAPI32_DECLARATIONS | keyof typeof WEVTAPI_DECLARATIONS | keyof typeof KERNEL32_DECLARATIONS;

export interface ServicesLibrary {
  readonly backend: 'windows' | 'simulator';
  readonly fn: Record<ServicesFunctionName, BoundFunction>;
  readonly exported: ReadonlySet<ServicesFunctionName>;
}

let cached: ServicesLibrary | undefined;

function open(path: string, fix: string): LibraryHandle {
  try {
    return koffi.load(path);
  } catch (e) {
    throw new WfpLoadError(path, e instanceof Error ? e.message : String(e), fix);
  }
}

export function loadServices(options: { libraryPath?: string } = {}): ServicesLibrary {
  if (cached && !options.libraryPath) return cached;
  const fn: Record<string, BoundFunction> = {};
  const exported = new Set<string>();
  let library: ServicesLibrary;
  if (process.platform === 'win32' && !options.libraryPath) {
    const fix = 'advapi32.dll, wevtapi.dll and kernel32.dll ship with every Windows; check the Windows installation.';
    // By absolute path (a bare name is searched for in the application folder first); kernel32 is a KnownDLL.
    const system = windowsSystem().systemDirectory();
    bind(open(join(system, 'advapi32.dll'), fix), ADVAPI32_DECLARATIONS, join(system, 'advapi32.dll'), fn, exported);
    bind(open(join(system, 'wevtapi.dll'), fix), WEVTAPI_DECLARATIONS, join(system, 'wevtapi.dll'), fn, exported);
    bind(open('kernel32.dll', fix), KERNEL32_DECLARATIONS, 'kernel32.dll', fn, exported);
    library = { backend: 'windows', fn: fn as ServicesLibrary['fn'], exported: exported as never };
  } else {
    const path = options.libraryPath ?? simulatorPath();
    const handle = open(path, 'Build the simulator with `npm run build:sim`.');
    for (const table of [ADVAPI32_DECLARATIONS, WEVTAPI_DECLARATIONS, KERNEL32_DECLARATIONS])
      bind(handle, table, path, fn, exported);
    library = { backend: 'simulator', fn: fn as ServicesLibrary['fn'], exported: exported as never };
  }
  if (!options.libraryPath) cached = library;
  return library;
}

/** A failed call: the function, its winerror.h symbol and what the user can do. */
export class ServicesError extends Error {
  override readonly name = 'ServicesError';
  constructor(
    readonly func: string,
    readonly code: number,
    readonly symbol: string,
    what: string,
  ) {
    super(`${func} failed: ${symbol} (${code}). ${what}`);
  }
}
