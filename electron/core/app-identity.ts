// Names Windows knows Portcullis by. The installer configuration, the main process (AppUserModelId for
// notifications, the taskbar and Start menu shortcut), the autostart task and the uninstaller all read them here,
// because a mismatch between any two is silent: notifications that never show, a task nobody removes.

/** Application id: electron-builder's appId and the AppUserModelId main must set with app.setAppUserModelId. */
export const APP_ID = 'org.portcullis.app';

/** Product name: the window title, the install folder, the executable (Portcullis.exe) and the user-data folder name. */
export const PRODUCT_NAME = 'Portcullis';

/** The executable's file name inside the install folder. */
export const EXECUTABLE_NAME = `${PRODUCT_NAME}.exe`;

/** Name of the machine-wide data folder under %ProgramData%, writable by administrators only. */
export const DATA_FOLDER_NAME = PRODUCT_NAME;

/** Scheduled task (root folder of Task Scheduler) that starts Portcullis elevated at logon. */
export const AUTOSTART_TASK_NAME = 'Portcullis';

/** Argument the logon task passes; main then starts in the notification area without showing its window. */
export const AUTOSTART_ARG = '--hidden';

/** Argument that turns the packaged executable into the command-line tool: `Portcullis.exe --cli reset`. */
export const CLI_ARG = '--cli';
