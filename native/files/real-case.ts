// A path in the case it is written on disk. WFP reports application ids in lower case; people read
// "C:\Program Files\Google\Chrome\Application\chrome.exe". FindFirstFileW on each component returns that component's
// name as stored (learn.microsoft.com "FindFirstFileW", WIN32_FIND_DATAW.cFileName); no wildcard can reach it because
// components holding * or ? are refused. Network paths are left as they are: a lookup there can hang on the server.
import koffi, { type LibraryHandle } from 'koffi';
import { WfpLoadError } from '../errors.js';
import { simulatorPath } from '../loader.js';
import { callOffThread, type NativeCall } from '../native-call.js';
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
  /** The folders this library has looked up (realCasePath). */
  readonly folders: FolderCase;
}

const FOLDER_TRUST_MS = 60_000;
const MAX_FOLDERS = 4_096;

/**
 * Folders already looked up, lower case -> as written on disk, so that a program beside others (C:\Program Files\
 * ...) costs a FindFirstFileW for its own components only: each is a call that may wait on the disk, and new
 * programs arriving under a flood asked again for the same few folders. A folder is trusted for a minute (a folder
 * renamed meanwhile shows its new case after that); the oldest remembered goes first past MAX_FOLDERS.
 */
export class FolderCase {
  private readonly folders = new Map<string, { readonly real: string; readonly at: number }>();

  get(key: string, now: number): string | undefined {
    const known = this.folders.get(key);
    if (known === undefined) return undefined;
    if (now - known.at < FOLDER_TRUST_MS && now >= known.at) return known.real;
    this.folders.delete(key);
    return undefined;
  }

  set(key: string, real: string, now: number): void {
    this.folders.delete(key);
    if (this.folders.size >= MAX_FOLDERS) this.folders.delete(this.folders.keys().next().value as string);
    this.folders.set(key, { real, at: now });
  }

  delete(key: string): void {
    this.folders.delete(key);
  }
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
  const library = { fn: fn as FilesLibrary['fn'], folders: new FolderCase() };
  if (!options.libraryPath) cached = library;
  return library;
}

/**
 * `path` ("c:\\program files\\app\\app.exe") as stored on disk, or undefined when a component cannot be found.
 * Starts below the deepest folder of the path looked up in the last minute (FolderCase).
 */
export async function realCasePath(
  path: string,
  lib: FilesLibrary = loadFiles(),
  now = Date.now(),
  call: NativeCall = callOffThread,
): Promise<string | undefined> {
  const m = /^([a-z]):\\(.*)$/i.exec(path);
  if (!m) return undefined;
  const parts = (m[2] as string).split('\\').filter((p) => p.length > 0);
  if (parts.some((p) => /[*?]/.test(p) || p === '.' || p === '..')) return undefined;
  const drive = `${(m[1] as string).toUpperCase()}:`;
  const folderKey = (count: number) => `${drive}\\${parts.slice(0, count).join('\\')}`.toLowerCase();
  for (let known = parts.length - 1; known > 0; known--) {
    const folder = lib.folders.get(folderKey(known), now);
    if (folder === undefined) continue;
    const found = await walk(lib, folder, parts, known, folderKey, now, call);
    if (found !== undefined) return found;
    // Not there below the remembered folder: it may have moved meanwhile; look from the drive again.
    for (let i = 1; i <= known; i++) lib.folders.delete(folderKey(i));
    break;
  }
  return walk(lib, drive, parts, 0, folderKey, now, call);
}

/** Looks up parts[from..] one by one below `prefix` (parts[..from] in their real case), remembering each folder. */
async function walk(
  lib: FilesLibrary,
  prefix: string,
  parts: readonly string[],
  from: number,
  folderKey: (count: number) => string,
  now: number,
  call: NativeCall,
): Promise<string | undefined> {
  for (let i = from; i < parts.length; i++) {
    const part = parts[i] as string;
    const data: { cFileName?: string } = {};
    const h: unknown = await call(lib.fn.FindFirstFileW, `${prefix}\\${part}`, data);
    if (h === null || h === 0n || koffi.address(h as never) === INVALID_HANDLE_VALUE) return undefined;
    lib.fn.FindClose(h);
    const name = data.cFileName ?? '';
    // The answer must be this component, not another match: it can differ only in case.
    if (name.toLowerCase() !== part.toLowerCase()) return undefined;
    prefix = `${prefix}\\${name}`;
    if (i < parts.length - 1) lib.folders.set(folderKey(i + 1), prefix, now);
  }
  return prefix;
}
