// Who this process runs as and who is signed in to its Windows session: the token's elevation and account
// (advapi32), and the session's user (wtsapi32), who differs from the token's after "Run as" with another
// administrator's credentials.
import koffi from 'koffi';
import { Win32Error } from './errors.js';
import type { SystemDlls, WindowsSystem } from './types.js';

const TOKEN_QUERY = 0x0008;
/** TOKEN_INFORMATION_CLASS (winnt.h). */
const TokenUser = 1;
const TokenElevation = 20;
/** WTS_INFO_CLASS (wtsapi32.h). */
const WTSUserName = 5;
const WTSDomainName = 7;
const WTS_CURRENT_SESSION = 0xffffffff;

export function bindAccounts(dlls: SystemDlls): Pick<WindowsSystem, 'isElevated' | 'tokenUser' | 'sessionUser'> {
  const { kernel32, load, fail } = dlls;
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
  const wtsapi32 = load('wtsapi32.dll');
  const WTSQuerySessionInformationW = wtsapi32.func(
    'bool __stdcall WTSQuerySessionInformationW(void * server, uint32_t session, int cls, _Out_ void **buffer, _Out_ uint32_t *bytes)',
  );
  const WTSFreeMemory = wtsapi32.func('void __stdcall WTSFreeMemory(void *mem)');

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

  const accountOf = (sid: unknown): string => {
    const name = Buffer.alloc(512);
    const domain = Buffer.alloc(512);
    const nameSize = [name.length / 2];
    const domainSize = [domain.length / 2];
    const use = [0];
    if (!LookupAccountSidW(null, sid, name, nameSize, domain, domainSize, use)) return '';
    const user = name.toString('utf16le', 0, nameSize[0]! * 2);
    const dom = domain.toString('utf16le', 0, domainSize[0]! * 2);
    return dom ? `${dom}\\${user}` : user;
  };

  return {
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
  };
}
