// The few Windows functions outside WFP that the elevated app needs, declared once like an SDK header and bound
// through koffi only on Windows. Each one replaces something an unelevated program could steer: an environment
// variable (SystemRoot, ProgramData), a DLL found on the search path, the text of a console tool in the OEM code
// page, or a PowerShell script that Constrained Language Mode refuses.
import { join } from 'node:path';
import koffi, { type LibraryHandle } from 'koffi';

/** SetDefaultDllDirectories flags (libloaderapi.h). */
export const LOAD_LIBRARY_SEARCH = { APPLICATION_DIR: 0x200, SYSTEM32: 0x800 } as const;

/** KNOWNFOLDERID values (KnownFolders.h). */
export const FOLDERID = {
  ProgramData: '62AB5D82-FDC1-4DC3-A9DD-070D1D495D97',
  ProgramFiles: '905E63B6-C1BF-494E-B29C-65B732D3D21A',
  Windows: 'F38BF404-1D43-42F2-9305-67DE0B28FC23',
} as const;

/** QUERY_USER_NOTIFICATION_STATE (shellapi.h), what SHQueryUserNotificationState reports. */
export const QUNS = {
  NOT_PRESENT: 1,
  BUSY: 2,
  RUNNING_D3D_FULL_SCREEN: 3,
  PRESENTATION_MODE: 4,
  ACCEPTS_NOTIFICATIONS: 5,
  QUIET_TIME: 6,
  APP: 7,
} as const;

const TOKEN_QUERY = 0x0008;
/** TOKEN_INFORMATION_CLASS (winnt.h). */
const TokenUser = 1;
const TokenElevation = 20;
/** WTS_INFO_CLASS (wtsapi32.h). */
const WTSUserName = 5;
const WTSDomainName = 7;
const WTS_CURRENT_SESSION = 0xffffffff;
const MAX_PATH = 260;

export interface SignedInUser {
  /** DOMAIN\name, for display only. */
  readonly name: string;
  /** S-1-5-21-..., what the logon task is registered for. */
  readonly sid: string;
}

export interface WindowsSystem {
  /** %SystemRoot%\System32 as Windows reports it (GetSystemDirectoryW), never from the environment. */
  systemDirectory(): string;
  /** A known folder (SHGetKnownFolderPath), never from the environment. */
  knownFolder(id: string): string;
  /** Narrows where LoadLibrary looks for every later load of this process (SetDefaultDllDirectories). */
  setDefaultDllDirectories(flags: number): void;
  /** Whether this process' token is elevated (GetTokenInformation TokenElevation). */
  isElevated(): boolean;
  /** The account of this process' token (TokenUser). */
  tokenUser(): SignedInUser;
  /** The account signed in to this process' Windows session, which differs from the token's after "Run as" with another administrator's credentials. */
  sessionUser(): SignedInUser;
  /** SHQueryUserNotificationState. */
  notificationState(): number;
  /** ShellExecuteW with the "runas" verb: a UAC prompt, then `file` elevated. False when declined or failed. */
  runAsAdministrator(file: string, parameters: string): boolean;
  /** The machine PATH (HKLM ...\Session Manager\Environment, value Path) and whether it is REG_EXPAND_SZ. */
  readMachinePath(): { value: string; expand: boolean };
  writeMachinePath(value: string, expand: boolean): void;
  /** GetSystemMetrics(SM_CXSMICON): the pixel size Windows draws notification-area icons at (16 at 100%, 24 at 150%). */
  smallIconSize(): number;
  /** Broadcasts WM_SETTINGCHANGE "Environment" so Explorer hands new consoles the new PATH. */
  announceEnvironmentChange(): void;
}

/** HKEY_LOCAL_MACHINE: (HKEY)(ULONG_PTR)(LONG)0x80000002, sign-extended on 64-bit Windows (winreg.h). */
const HKEY_LOCAL_MACHINE = 0xffffffff80000002n;
const ENVIRONMENT_KEY = 'SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment';
const KEY_QUERY_VALUE = 0x1;
const KEY_SET_VALUE = 0x2;
const REG_SZ = 1;
const REG_EXPAND_SZ = 2;

export class Win32Error extends Error {
  constructor(
    readonly func: string,
    readonly code: number,
    what: string,
  ) {
    super(`${func} failed (${code >= 0 ? `error ${code}` : `HRESULT 0x${(code >>> 0).toString(16)}`}): ${what}`);
    this.name = 'Win32Error';
  }
}

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
  const load = (dll: string): LibraryHandle => koffi.load(join(system32, dll));

  const SetDefaultDllDirectories = kernel32.func('bool __stdcall SetDefaultDllDirectories(uint32_t flags)');
  const GetCurrentProcess = kernel32.func('void * __stdcall GetCurrentProcess()');
  const CloseHandle = kernel32.func('bool __stdcall CloseHandle(void * h)');
  const LocalFree = kernel32.func('void * __stdcall LocalFree(void *mem)');
  const advapi32 = load('advapi32.dll');
  const OpenProcessToken = advapi32.func(
    'bool __stdcall OpenProcessToken(void * process, uint32_t access, _Out_ void **token)',
  );
  const GetTokenInformation = advapi32.func(
    'bool __stdcall GetTokenInformation(void * token, int cls, void *info, uint32_t length, _Out_ uint32_t *returned)',
  );
  const ConvertSidToStringSidW = advapi32.func('bool __stdcall ConvertSidToStringSidW(void *sid, _Out_ void **text)');
  const LookupAccountNameW = advapi32.func(
    'bool __stdcall LookupAccountNameW(const char16_t *system, const char16_t *name, void *sid, _Inout_ uint32_t *sidSize, void *domain, _Inout_ uint32_t *domainSize, _Out_ int *use)',
  );
  const LookupAccountSidW = advapi32.func(
    'bool __stdcall LookupAccountSidW(const char16_t *system, void *sid, void *name, _Inout_ uint32_t *nameSize, void *domain, _Inout_ uint32_t *domainSize, _Out_ int *use)',
  );
  const shell32 = load('shell32.dll');
  const SHGetKnownFolderPath = shell32.func(
    'int32_t __stdcall SHGetKnownFolderPath(PortcullisWin32Guid *id, uint32_t flags, void * token, _Out_ void **path)',
  );
  const SHQueryUserNotificationState = shell32.func('int32_t __stdcall SHQueryUserNotificationState(_Out_ int *state)');
  const ShellExecuteW = shell32.func(
    'void * __stdcall ShellExecuteW(void *hwnd, const char16_t *verb, const char16_t *file, const char16_t *params, const char16_t *dir, int show)',
  );
  const RegOpenKeyExW = advapi32.func(
    'int32_t __stdcall RegOpenKeyExW(uintptr_t key, const char16_t *sub, uint32_t options, uint32_t access, _Out_ uintptr_t *result)',
  );
  const RegQueryValueExW = advapi32.func(
    'int32_t __stdcall RegQueryValueExW(uintptr_t key, const char16_t *name, void *reserved, _Out_ uint32_t *type, void *data, _Inout_ uint32_t *size)',
  );
  const RegSetValueExW = advapi32.func(
    'int32_t __stdcall RegSetValueExW(uintptr_t key, const char16_t *name, uint32_t reserved, uint32_t type, void *data, uint32_t size)',
  );
  const RegCloseKey = advapi32.func('int32_t __stdcall RegCloseKey(uintptr_t key)');
  const user32 = load('user32.dll');
  const SendMessageTimeoutW = user32.func(
    'intptr_t __stdcall SendMessageTimeoutW(uintptr_t hwnd, uint32_t msg, uintptr_t wparam, const char16_t *lparam, uint32_t flags, uint32_t timeout, _Out_ uintptr_t *result)',
  );
  const GetSystemMetrics = user32.func('int __stdcall GetSystemMetrics(int index)');
  const ole32 = load('ole32.dll');
  const CoTaskMemFree = ole32.func('void __stdcall CoTaskMemFree(void *mem)');
  const wtsapi32 = load('wtsapi32.dll');
  const WTSQuerySessionInformationW = wtsapi32.func(
    'bool __stdcall WTSQuerySessionInformationW(void * server, uint32_t session, int cls, _Out_ void **buffer, _Out_ uint32_t *bytes)',
  );
  const WTSFreeMemory = wtsapi32.func('void __stdcall WTSFreeMemory(void *mem)');

  const fail = (func: string, what: string): never => {
    throw new Win32Error(func, GetLastError() as number, what);
  };

  const withToken = <T>(use: (token: unknown) => T): T => {
    const token: unknown[] = [null];
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, token))
      fail('OpenProcessToken', 'cannot read our own token');
    try {
      return use(token[0]);
    } finally {
      CloseHandle(token[0]);
    }
  };

  const sidText = (sid: unknown): string => {
    const out: unknown[] = [null];
    if (!ConvertSidToStringSidW(sid, out)) fail('ConvertSidToStringSidW', 'cannot format the SID');
    try {
      return koffi.decode(out[0], 'char16_t', -1) as string;
    } finally {
      LocalFree(out[0]);
    }
  };

  const wtsString = (cls: number): string => {
    const out: unknown[] = [null];
    const bytes = [0];
    if (!WTSQuerySessionInformationW(null, WTS_CURRENT_SESSION, cls, out, bytes)) {
      fail('WTSQuerySessionInformationW', 'cannot read who is signed in to this session');
    }
    try {
      return koffi.decode(out[0], 'char16_t', -1) as string;
    } finally {
      WTSFreeMemory(out[0]);
    }
  };

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
    isElevated: () =>
      withToken((token) => {
        const info = Buffer.alloc(4);
        const returned = [0];
        if (!GetTokenInformation(token, TokenElevation, info, 4, returned))
          fail('GetTokenInformation', 'TokenElevation');
        return info.readUInt32LE(0) !== 0;
      }),
    tokenUser: () =>
      withToken((token) => {
        const info = Buffer.alloc(512);
        const returned = [0];
        if (!GetTokenInformation(token, TokenUser, info, info.length, returned))
          fail('GetTokenInformation', 'TokenUser');
        // TOKEN_USER starts with SID_AND_ATTRIBUTES, whose first member points at the SID inside the same buffer.
        const sid = koffi.decode(info, 'void *');
        return { sid: sidText(sid), name: accountOf(sid) };
      }),
    sessionUser() {
      const user = wtsString(WTSUserName);
      const domain = wtsString(WTSDomainName);
      if (!user) throw new Win32Error('WTSQuerySessionInformationW', 0, 'nobody is signed in to this session');
      const name = domain ? `${domain}\\${user}` : user;
      const sid = Buffer.alloc(68);
      const sidSize = [sid.length];
      const domainBuffer = Buffer.alloc(512);
      const domainSize = [domainBuffer.length / 2];
      const use = [0];
      if (!LookupAccountNameW(null, name, sid, sidSize, domainBuffer, domainSize, use)) {
        fail('LookupAccountNameW', `cannot find the account ${name}`);
      }
      return { name, sid: sidText(sid) };
    },
    notificationState() {
      const state = [0];
      const hr = SHQueryUserNotificationState(state) as number;
      if (hr !== 0) throw new Win32Error('SHQueryUserNotificationState', hr, 'notification state unknown');
      return state[0]!;
    },
    readMachinePath() {
      return withEnvironmentKey(KEY_QUERY_VALUE, (key) => {
        const type = [0];
        const size = [0];
        let code = RegQueryValueExW(key, 'Path', null, type, null, size) as number;
        if (code !== 0) throw new Win32Error('RegQueryValueExW', code, 'cannot read the machine PATH');
        const data = Buffer.alloc(size[0]! + 2);
        size[0] = data.length;
        code = RegQueryValueExW(key, 'Path', null, type, data, size) as number;
        if (code !== 0) throw new Win32Error('RegQueryValueExW', code, 'cannot read the machine PATH');
        if (type[0] !== REG_SZ && type[0] !== REG_EXPAND_SZ) {
          throw new Win32Error('RegQueryValueExW', 0, `the machine PATH has registry type ${type[0]}, not a string`);
        }
        const value = data.toString('utf16le', 0, size[0]).replace(/\0+$/, '');
        return { value, expand: type[0] === REG_EXPAND_SZ };
      });
    },
    writeMachinePath(value, expand) {
      withEnvironmentKey(KEY_SET_VALUE, (key) => {
        const data = Buffer.from(`${value}\0`, 'utf16le');
        const code = RegSetValueExW(key, 'Path', 0, expand ? REG_EXPAND_SZ : REG_SZ, data, data.length) as number;
        if (code !== 0) throw new Win32Error('RegSetValueExW', code, 'cannot change the machine PATH');
      });
    },
    smallIconSize() {
      const SM_CXSMICON = 49;
      return GetSystemMetrics(SM_CXSMICON) as number;
    },
    announceEnvironmentChange() {
      const HWND_BROADCAST = 0xffff;
      const WM_SETTINGCHANGE = 0x001a;
      const SMTO_ABORTIFHUNG = 0x0002;
      SendMessageTimeoutW(HWND_BROADCAST, WM_SETTINGCHANGE, 0, 'Environment', SMTO_ABORTIFHUNG, 5000, [0]);
    },
    runAsAdministrator(file, parameters) {
      const SW_SHOWNORMAL = 1;
      // "If the function succeeds, it returns a value greater than 32" (ShellExecuteW documentation).
      return Number(koffi.address(ShellExecuteW(null, 'runas', file, parameters, null, SW_SHOWNORMAL))) > 32;
    },
  };

  function withEnvironmentKey<T>(access: number, use: (key: unknown) => T): T {
    const key: unknown[] = [0];
    const code = RegOpenKeyExW(HKEY_LOCAL_MACHINE, ENVIRONMENT_KEY, 0, access, key) as number;
    if (code !== 0) throw new Win32Error('RegOpenKeyExW', code, `cannot open HKLM\\${ENVIRONMENT_KEY}`);
    try {
      return use(key[0]);
    } finally {
      RegCloseKey(key[0]);
    }
  }

  function accountOf(sid: unknown): string {
    const name = Buffer.alloc(512);
    const domain = Buffer.alloc(512);
    const nameSize = [name.length / 2];
    const domainSize = [domain.length / 2];
    const use = [0];
    if (!LookupAccountSidW(null, sid, name, nameSize, domain, domainSize, use)) return '';
    const user = name.toString('utf16le', 0, nameSize[0]! * 2);
    const dom = domain.toString('utf16le', 0, domainSize[0]! * 2);
    return dom ? `${dom}\\${user}` : user;
  }
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
