// The machine PATH, read and written where Windows keeps it (HKLM ...\Session Manager\Environment, value Path), and
// the broadcast that makes Explorer hand new consoles the new PATH.
import type { SystemDlls, WindowsSystem } from './types.js';
import { Win32Error } from './errors.js';

/** HKEY_LOCAL_MACHINE: (HKEY)(ULONG_PTR)(LONG)0x80000002, sign-extended on 64-bit Windows (winreg.h). */
const HKEY_LOCAL_MACHINE = 0xffffffff80000002n;
const ENVIRONMENT_KEY = 'SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment';
const KEY_QUERY_VALUE = 0x1;
const KEY_SET_VALUE = 0x2;
const REG_SZ = 1;
const REG_EXPAND_SZ = 2;

export function bindMachinePath(
  dlls: SystemDlls,
): Pick<WindowsSystem, 'readMachinePath' | 'writeMachinePath' | 'announceEnvironmentChange'> {
  const advapi32 = dlls.load('advapi32.dll');
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
  const user32 = dlls.load('user32.dll');
  const SendMessageTimeoutW = user32.func(
    'intptr_t __stdcall SendMessageTimeoutW(uintptr_t hwnd, uint32_t msg, uintptr_t wparam, const char16_t *lparam, uint32_t flags, uint32_t timeout, _Out_ uintptr_t *result)',
  );

  const withEnvironmentKey = <T>(access: number, use: (key: unknown) => T): T => {
    const key: unknown[] = [0];
    const code = RegOpenKeyExW(HKEY_LOCAL_MACHINE, ENVIRONMENT_KEY, 0, access, key) as number;
    if (code !== 0) throw new Win32Error('RegOpenKeyExW', code, `cannot open HKLM\\${ENVIRONMENT_KEY}`);
    try {
      return use(key[0]);
    } finally {
      RegCloseKey(key[0]);
    }
  };

  return {
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
    announceEnvironmentChange() {
      const HWND_BROADCAST = 0xffff;
      const WM_SETTINGCHANGE = 0x001a;
      const SMTO_ABORTIFHUNG = 0x0002;
      SendMessageTimeoutW(HWND_BROADCAST, WM_SETTINGCHANGE, 0, 'Environment', SMTO_ABORTIFHUNG, 5000, [0]);
    },
  };
}
