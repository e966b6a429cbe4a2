// The only file of main that imports `electron` at run time: it turns Electron's API into ElectronDeps so that
// everything else in main can be exercised with a stand-in.
import {
  app,
  BaseWindow,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  protocol,
  screen,
  session,
  Tray,
  type MenuItemConstructorOptions,
} from 'electron';
import { QUNS, windowsSystem } from '../../native/index';
import { joinWindowsArgs } from '../core/autostart/task-xml';
import { endProcessNow } from '../core/util/end-process';
import type { ElectronDeps, MenuItemSpec } from './deps';

function toTemplate(items: readonly MenuItemSpec[]): MenuItemConstructorOptions[] {
  return items.map(({ submenu, click, ...rest }) => ({
    ...rest,
    ...(submenu ? { submenu: toTemplate(submenu) } : {}),
    ...(click ? { click: () => click() } : {}),
  }));
}

export function electronDeps(): ElectronDeps {
  return {
    platform: process.platform,
    app,
    ipcMain: {
      handle: (channel, listener) => ipcMain.handle(channel, (event, args: unknown) => listener(event, args)),
    },
    // session is only usable once the app is ready; lifecycle reads this after whenReady().
    get defaultSession() {
      return session.defaultSession;
    },
    removeApplicationMenu: () => Menu.setApplicationMenu(null),
    registerPrivilegedScheme: (scheme) =>
      protocol.registerSchemesAsPrivileged([
        { scheme, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false } },
      ]),
    serveScheme: (scheme, handler) => protocol.handle(scheme, (request) => handler(request)),
    createWindow: (options) => new BrowserWindow(options),
    createTray: (image) => {
      // Every ImageLike handed to the tray comes from imageFromBitmap below, so it is a NativeImage.
      const tray = new Tray(image as Electron.NativeImage);
      return {
        setImage: (next) => tray.setImage(next as Electron.NativeImage),
        setToolTip: (text) => tray.setToolTip(text),
        setContextMenu: (menu) => tray.setContextMenu(menu as Electron.Menu),
        on: (event, listener) =>
          void (event === 'click' ? tray.on('click', listener) : tray.on('double-click', listener)),
        destroy: () => tray.destroy(),
      };
    },
    buildMenu: (template) => Menu.buildFromTemplate(toTemplate(template)),
    imageFromBitmap: (bitmap, size) => nativeImage.createFromBitmap(bitmap, { width: size, height: size }),
    showMessageBox: (options) => dialog.showMessageBox({ ...options, buttons: [...options.buttons] }),
    showSaveDialogSync: (options, contents) => {
      // Every contents main hands out comes from Electron (a will-download listener's argument).
      const parent = contents ? BrowserWindow.fromWebContents(contents as Electron.WebContents) : null;
      return parent ? dialog.showSaveDialogSync(parent, options) : dialog.showSaveDialogSync(options);
    },
    showErrorBox: (title, content) => dialog.showErrorBox(title, content),
    watchSessionEnd: (listener) => {
      // Windows sends WM_QUERYENDSESSION / WM_ENDSESSION to top-level windows; with --hidden there may be none of
      // ours, so one invisible BaseWindow (no web contents, no renderer process) exists only to hear them.
      const watcher = new BaseWindow({ show: false, width: 1, height: 1, skipTaskbar: true, focusable: false });
      watcher.on('query-session-end', (event) => listener('query', event.reasons));
      watcher.on('session-end', (event) => listener('end', event.reasons));
    },
    userBusy: () => {
      if (process.platform !== 'win32') return false;
      try {
        return windowsSystem().notificationState() !== QUNS.ACCEPTS_NOTIFICATIONS;
      } catch {
        return false;
      }
    },
    trayIconSize: () => (process.platform === 'win32' ? windowsSystem().smallIconSize() : 32),
    signedInUser: () => windowsSystem().sessionUser(),
    isElevated: () => process.platform !== 'win32' || windowsSystem().isElevated(),
    relaunchElevated: (exe, args) => windowsSystem().runAsAdministrator(exe, joinWindowsArgs(args)),
    endProcessNow: () => void endProcessNow(),
    workAreaAtCursor: () => screen.getDisplayNearestPoint(screen.getCursorScreenPoint()).workArea,
    log: (level, message, error) => {
      if (error === undefined) console[level](`Portcullis: ${message}`);
      else console[level](`Portcullis: ${message}:`, error);
    },
  };
}
