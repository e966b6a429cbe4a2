// Security descriptors of files and folders through advapi32 (Windows, or Wine's advapi32 in the Windows ABI lane):
// read a path's owner and DACL as SDDL, and create a folder with a given descriptor in one call, so that there is
// no moment at which it exists with the inherited (user-writable) ACL of %ProgramData%.
//
// Functions and constants: Microsoft Learn, "GetNamedSecurityInfoW", "ConvertSecurityDescriptorToStringSecurity-
// DescriptorW", "ConvertStringSecurityDescriptorToSecurityDescriptorW", "CreateDirectoryW", "GetFileAttributesW",
// "SECURITY_ATTRIBUTES" (winnt.h / accctrl.h / sddl.h).
import koffi from 'koffi';

const SE_FILE_OBJECT = 1;
const OWNER_SECURITY_INFORMATION = 0x1;
const DACL_SECURITY_INFORMATION = 0x4;
const SDDL_REVISION_1 = 1;
const INVALID_FILE_ATTRIBUTES = 0xffffffff;
export const FILE_ATTRIBUTE_REPARSE_POINT = 0x400;
const ERROR_FILE_NOT_FOUND = 2;
const ERROR_PATH_NOT_FOUND = 3;
const MAX_PATH_CHARS = 32_768;

export interface PathSecurity {
  /** GetFileAttributesW bits (FILE_ATTRIBUTE_REPARSE_POINT, FILE_ATTRIBUTE_DIRECTORY...). */
  readonly attributes: number;
  /** Owner and DACL as SDDL, e.g. O:BAD:P(A;OICI;FA;;;BA)(A;OICI;FA;;;SY). */
  readonly sddl: string;
}

export interface FolderSecurityApi {
  /** undefined when nothing exists at the path. */
  describe(path: string): PathSecurity | undefined;
  /** CreateDirectoryW with this descriptor; false when the folder already exists (then nothing was changed). */
  createFolder(path: string, sddl: string): boolean;
  /** What Windows makes of a descriptor string: SDDL -> binary descriptor -> SDDL (owner and DACL). */
  canonical(sddl: string): string;
  /** The System32 folder as Windows reports it (GetSystemDirectoryW), never from the environment. */
  readonly systemDirectory: string;
}

export class Win32Error extends Error {
  constructor(
    readonly func: string,
    readonly code: number,
    context: string,
  ) {
    super(`${func} failed for ${context}: Windows error ${code}.`);
    this.name = 'Win32Error';
  }
}

let api: FolderSecurityApi | undefined;

/** Binds the functions once. kernel32 is a KnownDLL (always from System32); advapi32 is loaded by its full path. */
export function folderSecurityApi(): FolderSecurityApi {
  if (api) return api;
  const kernel32 = koffi.load('kernel32.dll');
  const getSystemDirectory = kernel32.func(
    'uint32_t __stdcall GetSystemDirectoryW(_Out_ uint16_t *buffer, uint32_t size)',
  );
  const buffer = new Uint16Array(1024);
  const length = getSystemDirectory(buffer, buffer.length) as number;
  if (length === 0 || length >= buffer.length) throw new Error('GetSystemDirectoryW failed.');
  const systemDirectory = Buffer.from(buffer.buffer, 0, length * 2).toString('utf16le');
  const advapi32 = koffi.load(`${systemDirectory}\\advapi32.dll`);

  const getLastError = kernel32.func('uint32_t __stdcall GetLastError(void)');
  const localFree = kernel32.func('void * __stdcall LocalFree(void *mem)');
  const getFileAttributes = kernel32.func('uint32_t __stdcall GetFileAttributesW(const char16_t *path)');
  const SECURITY_ATTRIBUTES = koffi.struct('PORTCULLIS_SECURITY_ATTRIBUTES', {
    nLength: 'uint32_t',
    lpSecurityDescriptor: 'void *',
    bInheritHandle: 'int32_t',
  });
  const createDirectory = kernel32.func(
    'int32_t __stdcall CreateDirectoryW(const char16_t *path, PORTCULLIS_SECURITY_ATTRIBUTES *attributes)',
  );
  const getNamedSecurityInfo = advapi32.func(
    'uint32_t __stdcall GetNamedSecurityInfoW(const char16_t *name, int objectType, uint32_t info, ' +
      '_Out_ void **owner, _Out_ void **group, _Out_ void **dacl, _Out_ void **sacl, _Out_ void **descriptor)',
  );
  const toString = advapi32.func(
    'int32_t __stdcall ConvertSecurityDescriptorToStringSecurityDescriptorW(void *descriptor, uint32_t revision, ' +
      'uint32_t info, _Out_ void **text, _Out_ uint32_t *length)',
  );
  const fromString = advapi32.func(
    'int32_t __stdcall ConvertStringSecurityDescriptorToSecurityDescriptorW(const char16_t *text, uint32_t revision, ' +
      '_Out_ void **descriptor, void *size)',
  );

  api = {
    systemDirectory,
    describe(path) {
      if (path.length >= MAX_PATH_CHARS) throw new Error(`path too long: ${path.slice(0, 80)}…`);
      const attributes = (getFileAttributes(path) as number) >>> 0;
      if (attributes === INVALID_FILE_ATTRIBUTES) {
        const code = getLastError() as number;
        if (code === ERROR_FILE_NOT_FOUND || code === ERROR_PATH_NOT_FOUND) return undefined;
        throw new Win32Error('GetFileAttributesW', code, path);
      }
      const out = { owner: [null], group: [null], dacl: [null], sacl: [null], sd: [null] };
      const code = getNamedSecurityInfo(
        path,
        SE_FILE_OBJECT,
        OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION,
        out.owner,
        out.group,
        out.dacl,
        out.sacl,
        out.sd,
      ) as number;
      if (code !== 0) throw new Win32Error('GetNamedSecurityInfoW', code, path);
      try {
        const text: unknown[] = [null];
        const length = [0];
        const ok = toString(
          out.sd[0],
          SDDL_REVISION_1,
          OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION,
          text,
          length,
        ) as number;
        if (!ok) throw new Win32Error('ConvertSecurityDescriptorToStringSecurityDescriptorW', getLastError(), path);
        try {
          return { attributes, sddl: koffi.decode(text[0], 'char16_t', -1) as string };
        } finally {
          localFree(text[0]);
        }
      } finally {
        localFree(out.sd[0]);
      }
    },
    canonical(sddl) {
      const descriptor: unknown[] = [null];
      if (!fromString(sddl, SDDL_REVISION_1, descriptor, null)) {
        throw new Win32Error('ConvertStringSecurityDescriptorToSecurityDescriptorW', getLastError(), sddl);
      }
      try {
        const text: unknown[] = [null];
        const length = [0];
        const info = OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION;
        if (!toString(descriptor[0], SDDL_REVISION_1, info, text, length)) {
          throw new Win32Error('ConvertSecurityDescriptorToStringSecurityDescriptorW', getLastError(), sddl);
        }
        try {
          return koffi.decode(text[0], 'char16_t', -1) as string;
        } finally {
          localFree(text[0]);
        }
      } finally {
        localFree(descriptor[0]);
      }
    },
    createFolder(path, sddl) {
      const descriptor: unknown[] = [null];
      if (!fromString(sddl, SDDL_REVISION_1, descriptor, null)) {
        throw new Win32Error('ConvertStringSecurityDescriptorToSecurityDescriptorW', getLastError(), sddl);
      }
      try {
        const attributes = {
          nLength: koffi.sizeof(SECURITY_ATTRIBUTES),
          lpSecurityDescriptor: descriptor[0],
          bInheritHandle: 0,
        };
        if (createDirectory(path, attributes)) return true;
        const code = getLastError() as number;
        if (code === 183 /* ERROR_ALREADY_EXISTS */) return false;
        throw new Win32Error('CreateDirectoryW', code, path);
      } finally {
        localFree(descriptor[0]);
      }
    },
  };
  return api;
}
