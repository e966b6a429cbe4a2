// The few Windows functions outside WFP that the elevated app needs, declared once like an SDK header and bound
// through koffi only on Windows. Each one replaces something an unelevated program could steer: an environment
// variable (SystemRoot, ProgramData), a DLL found on the search path, the text of a console tool in the OEM code
// page, or a PowerShell script that Constrained Language Mode refuses.
//
// Here: where Windows is (System32, known folders) and where DLLs are loaded from. The rest, by concern:
// accounts.ts (the token and the session's user), machine-path.ts (the machine PATH), desktop.ts (notifications,
// icon size, the UAC prompt); types.ts and errors.ts hold what they share.
import { join } from 'node:path';
import koffi, { type LibraryHandle } from 'koffi';
import { bindAccounts } from './accounts.js';
import { bindDesktop } from './desktop.js';
import { Win32Error } from './errors.js';
import { bindMachinePath } from './machine-path.js';
import type { WindowsSystem } from './types.js';

export { QUNS } from './desktop.js';
export { Win32Error } from './errors.js';
export type { SignedInUser, WindowsSystem } from './types.js';

/** SetDefaultDllDirectories flags (libloaderapi.h). */
export const LOAD_LIBRARY_SEARCH = { APPLICATION_DIR: 0x200, SYSTEM32: 0x800 } as const;

/** KNOWNFOLDERID values (KnownFolders.h). */
export const FOLDERID = {
  ProgramData: '62AB5D82-FDC1-4DC3-A9DD-070D1D495D97',
  ProgramFiles: '905E63B6-C1BF-494E-B29C-65B732D3D21A',
  /** Program Files (x86) on 64-bit Windows; the one Program Files folder on 32-bit Windows. */
  ProgramFilesX86: '7C5A40EF-A0FB-4BFC-874A-C0F2E0B9FA8E',
  Windows: 'F38BF404-1D43-42F2-9305-67DE0B28FC23',
} as const;

const MAX_PATH = 260;

let bound: WindowsSystem | undefined;

/**
 * The Windows binding, loaded on first use. kernel32.dll is one of the KnownDLLs, which Windows always maps from
 * System32 whatever the search path; every other DLL is loaded by its absolute System32 path, read from kernel32.
 * https://learn.microsoft.com/windows/win32/dlls/dynamic-link-library-search-order ("known DLLs").
 */
export function windowsSystem(): WindowsSystem {
  if (process.platform !== 'win32') throw new Error('The Windows system functions exist only on Windows.');
  bound ??= bind();
  return bound;
}

function bind(): WindowsSystem {
  koffi.struct('PortcullisWin32Guid', {
    Data1: 'uint32_t',
    Data2: 'uint16_t',
    Data3: 'uint16_t',
    Data4: koffi.array('uint8_t', 8),
  });
  const kernel32 = koffi.load('kernel32.dll');
  const GetSystemDirectoryW = kernel32.func('uint32_t __stdcall GetSystemDirectoryW(char16_t *buf, uint32_t size)');
  const GetLastError = kernel32.func('uint32_t __stdcall GetLastError()');
  const buffer = Buffer.alloc(MAX_PATH * 2);
  const length = GetSystemDirectoryW(buffer, MAX_PATH) as number;
  if (length === 0 || length >= MAX_PATH)
    throw new Win32Error('GetSystemDirectoryW', GetLastError() as number, 'no System32 path');
  const system32 = buffer.toString('utf16le', 0, length * 2);
  const loaded = new Map<string, LibraryHandle>();
  const load = (dll: string): LibraryHandle => {
    let library = loaded.get(dll);
    if (!library) loaded.set(dll, (library = koffi.load(join(system32, dll))));
    return library;
  };
  const fail = (func: string, what: string): never => {
    throw new Win32Error(func, GetLastError() as number, what);
  };

  const SetDefaultDllDirectories = kernel32.func('bool __stdcall SetDefaultDllDirectories(uint32_t flags)');
  const shell32 = load('shell32.dll');
  const SHGetKnownFolderPath = shell32.func(
    'int32_t __stdcall SHGetKnownFolderPath(PortcullisWin32Guid *id, uint32_t flags, void * token, _Out_ void **path)',
  );
  const ole32 = load('ole32.dll');
  const CoTaskMemFree = ole32.func('void __stdcall CoTaskMemFree(void *mem)');

  const dlls = { kernel32, load, fail };
  return {
    systemDirectory: () => system32,
    knownFolder(id) {
      const out: unknown[] = [null];
      const hr = SHGetKnownFolderPath(guidStruct(id), 0, null, out) as number;
      try {
        if (hr !== 0) throw new Win32Error('SHGetKnownFolderPath', hr, `no path for known folder {${id}}`);
        return koffi.decode(out[0], 'char16_t', -1) as string;
      } finally {
        if (out[0]) CoTaskMemFree(out[0]);
      }
    },
    setDefaultDllDirectories(flags) {
      if (!SetDefaultDllDirectories(flags)) fail('SetDefaultDllDirectories', 'cannot narrow the DLL search path');
    },
    ...bindAccounts(dlls),
    ...bindDesktop(dlls),
    ...bindMachinePath(dlls),
  };
}

/** A GUID string as the struct koffi passes by pointer (the first three fields little-endian, as in memory). */
export function guidStruct(text: string): { Data1: number; Data2: number; Data3: number; Data4: number[] } {
  const hex = text.replace(/[{}-]/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error(`not a GUID: ${text}`);
  return {
    Data1: parseInt(hex.slice(0, 8), 16),
    Data2: parseInt(hex.slice(8, 12), 16),
    Data3: parseInt(hex.slice(12, 16), 16),
    Data4: Array.from({ length: 8 }, (_, i) => parseInt(hex.slice(16 + i * 2, 18 + i * 2), 16)),
  };
}
