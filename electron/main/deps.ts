// The slice of Electron that main uses, as plain interfaces. electron-adapter.ts is the only file that imports
// `electron` at run time; unit tests hand runPortcullis a stand-in that records what happens.

export interface PreventableEvent {
  preventDefault(): void;
}

export interface FrameLike {
  readonly url: string;
  readonly parent: FrameLike | null;
}

export interface WebContentsLike {
  readonly id: number;
  send(channel: string, payload: unknown): void;
  isDestroyed(): boolean;
  on(
    event: 'will-navigate' | 'will-redirect' | 'will-attach-webview',
    listener: (event: PreventableEvent) => void,
  ): void;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface WindowOptions {
  readonly width: number;
  readonly height: number;
  readonly x?: number;
  readonly y?: number;
  /** False for windows that must never take the keyboard (the notification). */
  readonly focusable?: boolean;
  readonly frame?: boolean;
  readonly minWidth?: number;
  readonly minHeight?: number;
  readonly title: string;
  readonly show: boolean;
  readonly alwaysOnTop?: boolean;
  readonly skipTaskbar?: boolean;
  readonly resizable?: boolean;
  readonly minimizable?: boolean;
  readonly maximizable?: boolean;
  readonly backgroundColor?: string;
  readonly autoHideMenuBar?: boolean;
  readonly webPreferences: {
    readonly preload: string;
    readonly contextIsolation: true;
    readonly sandbox: true;
    readonly nodeIntegration: false;
    readonly nodeIntegrationInSubFrames: false;
    readonly webSecurity: true;
    readonly allowRunningInsecureContent: false;
    readonly webviewTag: false;
    readonly spellcheck: false;
    /** Off in the installed app: DevTools would let anyone at the keyboard run code in the elevated app's pages. */
    readonly devTools: boolean;
  };
}

export interface WindowLike {
  readonly webContents: WebContentsLike;
  loadURL(url: string): Promise<void>;
  show(): void;
  /** Shows without taking keyboard focus from whatever the user is typing into. */
  showInactive(): void;
  hide(): void;
  focus(): void;
  restore(): void;
  isVisible(): boolean;
  isMinimized(): boolean;
  isDestroyed(): boolean;
  setAlwaysOnTop(flag: boolean, level?: 'screen-saver' | 'floating' | 'pop-up-menu'): void;
  on(event: 'close', listener: (event: PreventableEvent) => void): void;
  on(event: 'closed', listener: () => void): void;
  destroy(): void;
  setBounds?(bounds: Rect): void;
}

export interface ImageLike {
  toDataURL(): string;
  isEmpty(): boolean;
}

export interface MenuItemSpec {
  readonly label?: string;
  readonly type?: 'normal' | 'separator' | 'submenu' | 'checkbox' | 'radio';
  readonly checked?: boolean;
  readonly enabled?: boolean;
  readonly submenu?: readonly MenuItemSpec[];
  readonly click?: () => void;
}

export type MenuLike = object;

export interface TrayLike {
  setImage(image: ImageLike): void;
  setToolTip(text: string): void;
  setContextMenu(menu: MenuLike): void;
  on(event: 'click' | 'double-click', listener: () => void): void;
  destroy(): void;
}

export interface HeadersDetails {
  readonly url: string;
  readonly responseHeaders?: Record<string, string[] | string>;
}

/** A download Chromium is about to start (Electron's DownloadItem). */
export interface DownloadItemLike {
  getURL(): string;
  /** The name the page suggested, made safe by Chromium (net::GenerateFileName): no folder in it. */
  getFilename(): string;
  /**
   * Where Chromium writes the file. "The API is only available in session's will-download callback function"
   * (docs/api/download-item.md): set later, Electron has already gone on with its own save dialog.
   */
  setSavePath(path: string): void;
}

export interface SaveDialogOptions {
  readonly title: string;
  /** A file name, or a full path whose folder the dialog opens in. */
  readonly defaultPath: string;
}

export interface SessionLike {
  /**
   * Before Chromium downloads anything (docs/api/session.md, 'will-download'): preventDefault() cancels it;
   * `contents` is the page it came from, when there is one.
   */
  on(
    event: 'will-download',
    listener: (event: PreventableEvent, item: DownloadItemLike, contents: WebContentsLike | null) => void,
  ): void;
  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: () => boolean): void;
  readonly webRequest: {
    onHeadersReceived(
      listener: (
        details: HeadersDetails,
        callback: (response: { responseHeaders: Record<string, string[] | string> }) => void,
      ) => void,
    ): void;
    onBeforeRequest(
      listener: (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void,
    ): void;
  };
}

export interface AppLike {
  requestSingleInstanceLock(): boolean;
  releaseSingleInstanceLock(): void;
  whenReady(): Promise<unknown>;
  on(event: 'second-instance' | 'window-all-closed' | 'activate', listener: () => void): void;
  on(event: 'before-quit', listener: (event: PreventableEvent) => void): void;
  quit(): void;
  exit(code: number): void;
  getFileIcon(path: string, options: { size: 'small' | 'normal' | 'large' }): Promise<ImageLike>;
  /** Windows shows a notification only for the AppUserModelId of an installed shortcut. */
  setAppUserModelId(id: string): void;
  /** Windows only: the CLSID of the notification activator Electron registers (app-identity.ts). */
  setToastActivatorCLSID?(id: string): void;
  /** Only before 'ready': moves Chromium's profile (and the single-instance lock) to `path`. */
  setPath(name: 'userData', path: string): void;
  /** The user's Downloads folder as Windows reports it for this user: a setting any program of the user can change. */
  getPath(name: 'downloads'): string;
  /** Chromium's command line: a switch appended before 'ready' reaches the processes Chromium starts later. */
  readonly commandLine: { appendSwitch(name: string, value?: string): void };
  readonly isPackaged: boolean;
}

export interface MessageBoxOptions {
  readonly type: 'none' | 'info' | 'error' | 'question' | 'warning';
  readonly title: string;
  readonly message: string;
  readonly detail?: string;
  readonly buttons: readonly string[];
  readonly defaultId?: number;
  readonly cancelId?: number;
  readonly noLink?: boolean;
}

/** Everything main needs from Electron and the operating system. */
export interface ElectronDeps {
  readonly platform: NodeJS.Platform;
  readonly app: AppLike;
  readonly ipcMain: {
    handle(channel: string, listener: (event: IpcInvokeEventLike, args: unknown) => unknown): void;
  };
  readonly defaultSession: SessionLike;
  /** Must run before the app is ready: gives our scheme the standing of https (secure, fetch, storage). */
  registerPrivilegedScheme(scheme: string): void;
  /** No application menu: its View menu would offer developer tools and reload in the installed app. */
  removeApplicationMenu(): void;
  /** Serves `scheme://host/...` from the handler; must be set up after the app is ready. */
  serveScheme(scheme: string, handler: (request: { url: string }) => Promise<Response>): void;
  createWindow(options: WindowOptions): WindowLike;
  createTray(image: ImageLike): TrayLike;
  buildMenu(template: readonly MenuItemSpec[]): MenuLike;
  /**
   * The pixel size of notification-area icons. On Windows, Electron turns a tray image into an icon of
   * GetSystemMetrics(SM_CXSMICON) pixels from its 1x bitmap (Tray::SetImage, NativeImage::GetHICON), so a bitmap of
   * any other size is resampled by the shell and its bars blur; drawn at this size it is shown pixel for pixel.
   */
  trayIconSize(): number;
  /** A raw bitmap (BGRA, as Electron expects) of size x size pixels. */
  imageFromBitmap(bitmap: Buffer, size: number): ImageLike;
  showMessageBox(options: MessageBoxOptions): Promise<{ response: number }>;
  /**
   * Asks where to save, modal to the window showing `contents` when there is one; '' when the user cancels.
   * Synchronous (dialog.showSaveDialogSync): a download's path can only be set before its 'will-download' listener
   * returns (downloads.ts says why that is worth blocking the main thread).
   */
  showSaveDialogSync(options: SaveDialogOptions, contents: WebContentsLike | null): string;
  /** A modal error that works before 'ready' too (dialog.showErrorBox). */
  showErrorBox(title: string, content: string): void;
  /**
   * Tells `listener` when Windows ends the session (logoff, shutdown, restart). 'end' is the last moment: Windows
   * kills the process as soon as the listener returns, so only synchronous work counts. Only after 'ready'.
   */
  watchSessionEnd(listener: (phase: 'query' | 'end', reasons: readonly string[]) => void): void;
  /** The account signed in to this Windows session (not necessarily the elevated token's); Windows only. */
  signedInUser(): { readonly name: string; readonly sid: string };
  /** Whether this process' token is elevated (always true off Windows). */
  isElevated(): boolean;
  /**
   * Whether Windows says not to disturb the user now (SHQueryUserNotificationState: a full-screen or Direct3D
   * full-screen app, presentation mode, a Store app in full screen, the screen locked or switched away, or the
   * first-run quiet time). Focus Assist is not part of what that function reports; false off Windows.
   */
  userBusy(): boolean;
  /** The work area of the display under the mouse pointer: where the user is looking. Only after 'ready'. */
  workAreaAtCursor(): Rect;
  /** Starts `exe args` through a UAC prompt (ShellExecute "runas"); false when it was declined or failed. */
  relaunchElevated(exe: string, args: readonly string[]): boolean;
  /** Ends this process at once, whatever its threads are doing: no quit events, no teardown of its environment. */
  endProcessNow(): void;
  log(level: 'info' | 'warn' | 'error', message: string, error?: unknown): void;
}

export interface IpcInvokeEventLike {
  readonly sender: { readonly id: number };
  readonly senderFrame: FrameLike | null;
}
