// Names Windows knows Portcullis by. The installer configuration, the main process (AppUserModelId for
// notifications, the taskbar and Start menu shortcut), the autostart task and the uninstaller all read them here,
// because a mismatch between any two is silent: notifications that never show, a task nobody removes.

/** Application id: electron-builder's appId and the AppUserModelId main must set with app.setAppUserModelId. */
export const APP_ID = 'org.portcullis.app';

/** Product name: the window title, the install folder, the executable (Portcullis.exe) and the user-data folder name. */
export const PRODUCT_NAME = 'Portcullis';

/** The executable's file name inside the install folder. */
export const EXECUTABLE_NAME = `${PRODUCT_NAME}.exe`;

/**
 * The CLSID of the COM server Electron registers for notification activation (shell/browser/notifications/win/
 * windows_toast_activator.cc): the per-user Start menu shortcut carries it as System.AppUserModel.ToastActivatorCLSID,
 * and HKCU\Software\Classes\CLSID\{it} names Portcullis.exe as its LocalServer32. Without app.setToastActivatorCLSID
 * Electron makes one up (CoCreateGuid) and later reads it back from that shortcut, so no uninstaller could know it;
 * with this fixed one the uninstaller removes exactly that key (build/installer.nsh, PORTCULLIS_TOAST_CLSID).
 */
export const TOAST_ACTIVATOR_CLSID = '{DF4F4A15-40B7-44E3-A2F8-2238E9EBF9CF}';

/**
 * The name Electron gives the per-user Start menu shortcut it writes for notifications: app.getName(), which is
 * package.json's productName or else its name ("portcullis"; NTFS names ignore case, so one file either way).
 */
export const ELECTRON_SHORTCUT_FILE = `${PRODUCT_NAME}.lnk`;

/** Name of the machine-wide data folder under %ProgramData%, writable by administrators only. */
export const DATA_FOLDER_NAME = PRODUCT_NAME;

/** Scheduled task (root folder of Task Scheduler) that starts Portcullis elevated at logon. */
export const AUTOSTART_TASK_NAME = 'Portcullis';

/** Argument the logon task passes; main then starts in the notification area without showing its window. */
export const AUTOSTART_ARG = '--hidden';

/** Argument that turns the packaged executable into the command-line tool: `Portcullis.exe --cli reset`. */
export const CLI_ARG = '--cli';
