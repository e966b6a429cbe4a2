// A path in the case it is written on disk. WFP reports application ids in lower case; people read
// "C:\Program Files\Google\Chrome\Application\chrome.exe". FindFirstFileW on each component returns that component's
// name as stored (learn.microsoft.com "FindFirstFileW", WIN32_FIND_DATAW.cFileName); no wildcard can reach it because
// components holding * or ? are refused. Network paths are left as they are: a lookup there can hang on the server.
import koffi, { type LibraryHandle } from 'koffi';
import { WfpLoadError } from '../errors.js';
import { simulatorPath } from '../loader.js';
import { bind, type BoundFunction } from '../wfp/functions.js';
import '../wfp/base-types.js';

export const WIN32_FIND_DATAW = koffi.struct('WIN32_FIND_DATAW', {
  dwFileAttributes: 'uint32_t',
  ftCreationTime: 'FILETIME',
  ftLastAccessTime: 'FILETIME',
  ftLastWriteTime: 'FILETIME',
  nFileSizeHigh: 'uint32_t',
  nFileSizeLow: 'uint32_t',
  dwReserved0: 'uint32_t',
  dwReserved1: 'uint32_t',
  cFileName: koffi.array('char16_t', 260),
  cAlternateFileName: koffi.array('char16_t', 14),
});

export const FILES_STRUCTS = { WIN32_FIND_DATAW } as const;

const DECLARATIONS = {
  FindFirstFileW: ['void *', ['char16_t *', koffi.out(koffi.pointer(WIN32_FIND_DATAW))]],
  FindClose: ['int32_t', ['void *']],
} as const;

const INVALID_HANDLE_VALUE = 0xffffffffffffffffn;

export interface FilesLibrary {
  readonly fn: Record<keyof typeof DECLARATIONS, BoundFunction>;
}

let cached: FilesLibrary | undefined;

export function loadFiles(options: { libraryPath?: string } = {}): FilesLibrary {
  if (cached && !options.libraryPath) return cached;
  const windows = process.platform === 'win32' && !options.libraryPath;
  const path = windows ? 'kernel32.dll' : (options.libraryPath ?? simulatorPath());
  let handle: LibraryHandle;
  try {
    handle = koffi.load(path);
  } catch (e) {
    throw new WfpLoadError(
      path,
      e instanceof Error ? e.message : String(e),
      'Build the simulator with `npm run build:sim`.',
    );
  }
  const fn: Record<string, BoundFunction> = {};
  bind(handle, DECLARATIONS, path, fn, new Set());
  const library = { fn: fn as FilesLibrary['fn'] };
  if (!options.libraryPath) cached = library;
  return library;
}

function call<T>(f: BoundFunction, ...args: unknown[]): Promise<T> {
  return new Promise<T>((resolve, reject) =>
    f.async(...args, (err: unknown, result: T) =>
      err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(result),
    ),
  );
}

/** `path` ("c:\\program files\\app\\app.exe") as stored on disk, or undefined when a component cannot be found. */
export async function realCasePath(path: string, lib: FilesLibrary = loadFiles()): Promise<string | undefined> {
  const m = /^([a-z]):\\(.*)$/i.exec(path);
  if (!m) return undefined;
  const parts = (m[2] as string).split('\\').filter((p) => p.length > 0);
  if (parts.some((p) => /[*?]/.test(p) || p === '.' || p === '..')) return undefined;
  let prefix = `${(m[1] as string).toUpperCase()}:`;
  for (const part of parts) {
    const data: { cFileName?: string } = {};
    const h: unknown = await call(lib.fn.FindFirstFileW, `${prefix}\\${part}`, data);
    if (h === null || h === 0n || koffi.address(h as never) === INVALID_HANDLE_VALUE) return undefined;
    lib.fn.FindClose(h);
    const name = data.cFileName ?? '';
    // The answer must be this component, not another match: it can differ only in case.
    if (name.toLowerCase() !== part.toLowerCase()) return undefined;
    prefix = `${prefix}\\${name}`;
  }
  return prefix;
}
