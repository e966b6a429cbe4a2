// The wintrust.dll, crypt32.dll and kernel32.dll functions the signature check calls, declared as data like
// native/wfp/functions.ts. On Windows (and under Wine) they come from the real DLLs; elsewhere from the simulator,
// which exports the same names with the same x64 layouts.
import { join } from 'node:path';
import koffi, { type LibraryHandle } from 'koffi';
import { WfpLoadError } from '../errors.js';
import { simulatorPath } from '../loader.js';
import { windowsSystem } from '../win32/system.js';
import { bind, type BoundFunction } from '../wfp/functions.js';
import './types.js';

const outPtr = koffi.out(koffi.pointer('void *'));

const WINTRUST_DECLARATIONS = {
  // WINTRUST_DATA is passed as native memory that stays put from VERIFY to CLOSE (see verify.ts).
  WinVerifyTrust: ['int32_t', ['void *', 'GUID *', 'void *']],
  WTHelperProvDataFromStateData: ['void *', ['void *']],
  WTHelperGetProvSignerFromChain: ['void *', ['void *', 'uint32_t', 'int32_t', 'uint32_t']],
  WTHelperGetProvCertFromChain: ['void *', ['void *', 'uint32_t']],
  CryptCATAdminAcquireContext2: ['int32_t', [outPtr, 'GUID *', 'char16_t *', 'void *', 'uint32_t']],
  CryptCATAdminCalcHashFromFileHandle2: [
    'int32_t',
    ['void *', 'void *', koffi.inout(koffi.pointer('uint32_t')), 'void *', 'uint32_t'],
  ],
  // Windows 7 (and Wine 8) have only the SHA-1 versions: AcquireContext without an algorithm, CalcHash without a context.
  CryptCATAdminAcquireContext: ['int32_t', [outPtr, 'GUID *', 'uint32_t']],
  CryptCATAdminCalcHashFromFileHandle: [
    'int32_t',
    ['void *', koffi.inout(koffi.pointer('uint32_t')), 'void *', 'uint32_t'],
  ],
  CryptCATAdminEnumCatalogFromHash: ['void *', ['void *', 'void *', 'uint32_t', 'uint32_t', 'void *']],
  CryptCATCatalogInfoFromContext: ['int32_t', ['void *', koffi.out(koffi.pointer('CATALOG_INFO')), 'uint32_t']],
  CryptCATAdminReleaseCatalogContext: ['int32_t', ['void *', 'void *', 'uint32_t']],
  CryptCATAdminReleaseContext: ['int32_t', ['void *', 'uint32_t']],
} as const;

const CRYPT32_DECLARATIONS = {
  CertGetNameStringW: ['uint32_t', ['void *', 'uint32_t', 'uint32_t', 'void *', 'void *', 'uint32_t']],
} as const;

const KERNEL32_DECLARATIONS = {
  CreateFileW: ['void *', ['char16_t *', 'uint32_t', 'uint32_t', 'void *', 'uint32_t', 'uint32_t', 'void *']],
  CloseHandle: ['int32_t', ['void *']],
} as const;

export type TrustFunctionName =
  keyof typeof WINTRUST_DECLARATIONS | keyof typeof CRYPT32_DECLARATIONS | keyof typeof KERNEL32_DECLARATIONS;

export interface TrustLibrary {
  readonly backend: 'windows' | 'simulator';
  /** The file wintrust's functions were bound from. */
  readonly path: string;
  readonly fn: Record<TrustFunctionName, BoundFunction>;
  readonly exported: ReadonlySet<TrustFunctionName>;
}

let cached: TrustLibrary | undefined;

function open(path: string, fix: string): LibraryHandle {
  try {
    return koffi.load(path);
  } catch (e) {
    throw new WfpLoadError(path, e instanceof Error ? e.message : String(e), fix);
  }
}

/**
 * wintrust/crypt32/kernel32 on Windows, whatever else is loaded for WFP: under the Wine lane the simulator stands in
 * for fwpuclnt.dll only, and Wine's own wintrust and crypt32 answer. Elsewhere the simulator library.
 */
export function loadTrust(options: { libraryPath?: string } = {}): TrustLibrary {
  if (cached && !options.libraryPath) return cached;
  const fn: Record<string, BoundFunction> = {};
  const exported = new Set<string>();
  let library: TrustLibrary;
  if (process.platform === 'win32' && !options.libraryPath) {
    const fix = 'wintrust.dll and crypt32.dll ship with every Windows; check the Windows installation.';
    // By absolute path, as native/loader.ts loads fwpuclnt.dll: a bare name is searched for in the application folder
    // first. kernel32.dll is a KnownDLL, always System32's.
    const system = windowsSystem().systemDirectory();
    const wintrust = join(system, 'wintrust.dll');
    bind(open(wintrust, fix), WINTRUST_DECLARATIONS, wintrust, fn, exported);
    bind(open(join(system, 'crypt32.dll'), fix), CRYPT32_DECLARATIONS, join(system, 'crypt32.dll'), fn, exported);
    bind(open('kernel32.dll', fix), KERNEL32_DECLARATIONS, 'kernel32.dll', fn, exported);
    library = { backend: 'windows', path: wintrust, fn: fn as TrustLibrary['fn'], exported: exported as never };
  } else {
    const path = options.libraryPath ?? simulatorPath();
    const handle = open(path, 'Build the simulator with `npm run build:sim`.');
    for (const table of [WINTRUST_DECLARATIONS, CRYPT32_DECLARATIONS, KERNEL32_DECLARATIONS])
      bind(handle, table, path, fn, exported);
    library = { backend: 'simulator', path, fn: fn as TrustLibrary['fn'], exported: exported as never };
  }
  if (!options.libraryPath) cached = library;
  return library;
}
