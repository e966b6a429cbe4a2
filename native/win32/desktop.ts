// What the signed-in user's desktop says and offers: whether a notification may be shown now, the size of a
// notification-area icon, and the UAC prompt that starts a program elevated.
import koffi from 'koffi';
import { Win32Error } from './errors.js';
import type { SystemDlls, WindowsSystem } from './types.js';

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

export function bindDesktop(
  dlls: SystemDlls,
): Pick<WindowsSystem, 'notificationState' | 'runAsAdministrator' | 'smallIconSize'> {
  const shell32 = dlls.load('shell32.dll');
  const SHQueryUserNotificationState = shell32.func('int32_t __stdcall SHQueryUserNotificationState(_Out_ int *state)');
  const ShellExecuteW = shell32.func(
    'void * __stdcall ShellExecuteW(void *hwnd, const char16_t *verb, const char16_t *file, const char16_t *params, const char16_t *dir, int show)',
  );
  const user32 = dlls.load('user32.dll');
  const GetSystemMetrics = user32.func('int __stdcall GetSystemMetrics(int index)');

  return {
    notificationState() {
      const state = [0];
      const hr = SHQueryUserNotificationState(state) as number;
      if (hr !== 0) throw new Win32Error('SHQueryUserNotificationState', hr, 'notification state unknown');
      return state[0]!;
    },
    smallIconSize() {
      const SM_CXSMICON = 49;
      return GetSystemMetrics(SM_CXSMICON) as number;
    },
    runAsAdministrator(file, parameters) {
      const SW_SHOWNORMAL = 1;
      // "If the function succeeds, it returns a value greater than 32" (ShellExecuteW documentation).
      return Number(koffi.address(ShellExecuteW(null, 'runas', file, parameters, null, SW_SHOWNORMAL))) > 32;
    },
  };
}
