// The fwpuclnt.dll and kernel32.dll functions native/ calls, declared as data. A function the loaded library does
// not export is bound to a stub that throws, so an old Windows (or a partial simulator) fails only where it matters.
import koffi, { type LibraryHandle } from 'koffi';
import './types.js';
import { WfpLoadError } from '../errors.js';

export const HANDLE = koffi.pointer('HANDLE', koffi.opaque());

export const FWPM_NET_EVENT_CALLBACK = koffi.proto('__stdcall', 'FWPM_NET_EVENT_CALLBACK', 'void', [
  'void *',
  'void *',
]);

const outHandle = koffi.out(koffi.pointer(HANDLE));
const outPtr = koffi.out(koffi.pointer('void *'));

const DECLARATIONS = {
  FwpmEngineOpen0: ['uint32_t', ['char16_t *', 'uint32_t', 'void *', 'FWPM_SESSION0 *', outHandle]],
  FwpmEngineClose0: ['uint32_t', [HANDLE]],
  FwpmEngineGetOption0: ['uint32_t', [HANDLE, 'uint32_t', outPtr]],
  FwpmEngineSetOption0: ['uint32_t', [HANDLE, 'uint32_t', 'FWP_VALUE0 *']],
  FwpmFreeMemory0: ['void', [koffi.inout(koffi.pointer('void *'))]],
  FwpmTransactionBegin0: ['uint32_t', [HANDLE, 'uint32_t']],
  FwpmTransactionCommit0: ['uint32_t', [HANDLE]],
  FwpmTransactionAbort0: ['uint32_t', [HANDLE]],
  FwpmProviderAdd0: ['uint32_t', [HANDLE, 'FWPM_PROVIDER0 *', 'void *']],
  FwpmProviderDeleteByKey0: ['uint32_t', [HANDLE, 'GUID *']],
  FwpmProviderGetByKey0: ['uint32_t', [HANDLE, 'GUID *', outPtr]],
  FwpmSubLayerAdd0: ['uint32_t', [HANDLE, 'FWPM_SUBLAYER0 *', 'void *']],
  FwpmSubLayerDeleteByKey0: ['uint32_t', [HANDLE, 'GUID *']],
  FwpmSubLayerGetByKey0: ['uint32_t', [HANDLE, 'GUID *', outPtr]],
  FwpmFilterAdd0: ['uint32_t', [HANDLE, 'FWPM_FILTER0 *', 'void *', koffi.out(koffi.pointer('uint64_t'))]],
  FwpmFilterDeleteById0: ['uint32_t', [HANDLE, 'uint64_t']],
  FwpmFilterGetById0: ['uint32_t', [HANDLE, 'uint64_t', outPtr]],
  FwpmFilterCreateEnumHandle0: ['uint32_t', [HANDLE, 'FWPM_FILTER_ENUM_TEMPLATE0 *', outHandle]],
  FwpmFilterEnum0: ['uint32_t', [HANDLE, HANDLE, 'uint32_t', outPtr, koffi.out(koffi.pointer('uint32_t'))]],
  FwpmFilterDestroyEnumHandle0: ['uint32_t', [HANDLE, HANDLE]],
  FwpmLayerGetById0: ['uint32_t', [HANDLE, 'uint16_t', outPtr]],
  FwpmLayerGetByKey0: ['uint32_t', [HANDLE, 'GUID *', outPtr]],
  FwpmGetAppIdFromFileName0: ['uint32_t', ['char16_t *', outPtr]],
  FwpmNetEventSubscribe0: ['uint32_t', subscribeArgs()],
  FwpmNetEventSubscribe1: ['uint32_t', subscribeArgs()],
  FwpmNetEventSubscribe2: ['uint32_t', subscribeArgs()],
  FwpmNetEventSubscribe3: ['uint32_t', subscribeArgs()],
  FwpmNetEventSubscribe4: ['uint32_t', subscribeArgs()],
  FwpmNetEventUnsubscribe0: ['uint32_t', [HANDLE, HANDLE]],
  // Exported by every fwpuclnt.dll since Windows 7 but not in the SDK headers. The count is written through the
  // pointer; native/ passes 8 zeroed bytes so either a UINT32 or a UINT64 fits.
  FwpmNetEventsLost0: ['uint32_t', [HANDLE, 'void *']],
} as const satisfies Record<string, readonly [string, readonly unknown[]]>;

function subscribeArgs(): unknown[] {
  return [HANDLE, 'FWPM_NET_EVENT_SUBSCRIPTION0 *', koffi.pointer(FWPM_NET_EVENT_CALLBACK), 'void *', outHandle];
}

const KERNEL32_DECLARATIONS = {
  QueryDosDeviceW: ['uint32_t', ['char16_t *', 'void *', 'uint32_t']],
} as const;

export type WfpFunctionName = keyof typeof DECLARATIONS | keyof typeof KERNEL32_DECLARATIONS;

// koffi functions are untyped; the wrappers in engine/filters/subscription give them types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type BoundFunction = ((...args: any[]) => any) & { async: (...args: any[]) => void };

export interface WfpFunctions {
  readonly fn: Record<WfpFunctionName, BoundFunction>;
  /** Names the library really exports (the others throw when called). */
  readonly exported: ReadonlySet<WfpFunctionName>;
}

/** Binds each declared function of `table` from `lib` into `fn`; a missing export becomes a stub that throws. */
export function bind(
  lib: LibraryHandle,
  table: Record<string, readonly [string, readonly unknown[]]>,
  libraryPath: string,
  fn: Record<string, BoundFunction>,
  exported: Set<string>,
): void {
  for (const [name, [result, args]] of Object.entries(table)) {
    try {
      fn[name] = lib.func('__stdcall', name, result, args as never) as unknown as BoundFunction;
      exported.add(name);
    } catch {
      const missing = (() => {
        throw new WfpLoadError(
          libraryPath,
          `it does not export ${name}`,
          'This Windows version is too old for Portcullis.',
        );
      }) as unknown as BoundFunction;
      missing.async = (...a: unknown[]) => {
        const cb = a[a.length - 1] as (err: unknown) => void;
        try {
          missing();
        } catch (e) {
          cb(e);
        }
      };
      fn[name] = missing;
    }
  }
}

export function bindFunctions(
  wfp: LibraryHandle,
  wfpPath: string,
  kernel32: LibraryHandle,
  kernel32Path: string,
): WfpFunctions {
  const fn: Record<string, BoundFunction> = {};
  const exported = new Set<string>();
  bind(wfp, DECLARATIONS, wfpPath, fn, exported);
  bind(kernel32, KERNEL32_DECLARATIONS, kernel32Path, fn, exported);
  return { fn: fn as Record<WfpFunctionName, BoundFunction>, exported: exported as Set<WfpFunctionName> };
}
