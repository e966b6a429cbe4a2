// A stand-in for the slice of Electron main uses (ElectronDeps), recording what main does with it, and failing
// where Electron 45 and Windows fail. Each rule below names its source; a rule stricter than Electron says why.
//
// - 'ready' comes only when the test says so (ready()), and start-up tests say so right after the entry's
//   synchronous part: Electron fires it "only after the main process has finished running the first tick of the
//   event loop" (docs/api/app.md), so anything awaited before a before-ready call may already be too late.
// - Before ready: windows ("Cannot create BrowserWindow before app is ready", electron_api_browser_window.cc), the
//   tray ("Cannot create Tray before app is ready", electron_api_tray.cc), the session ("Session can only be
//   received when app is ready", electron_api_session.cc), protocol.handle (a session's protocol) and the screen
//   module ("The 'screen' module can't be used before the app 'ready' event", electron_api_screen.cc) throw.
// - After ready: registerSchemesAsPrivileged throws ("should be called before app is ready",
//   electron_api_protocol.cc). setAppUserModelId and setPath('userData') do not throw in Electron but are too late
//   (Windows: "before the application presents any UI"; Chromium has created the profile), so the fake throws.
//   So does app.commandLine.appendSwitch: a renderer process started before it never sees the switch.
// - Downloads: the session's 'will-download' listener decides. preventDefault() cancels the item ("Calling
//   event.preventDefault() will cancel the download", docs/api/session.md); setSavePath "is only available in
//   session's will-download callback function" (docs/api/download-item.md), so the fake throws when it comes later,
//   where Electron would ignore it; and an item left without a save path goes to "the original routine ... this
//   usually prompts a save dialog", recorded as 'electron-dialog': a path main never checked.
// - There are no Electron notifications: main never shows a toast (test/unit/main/no-toasts.test.ts says why).
// - Logoff and shutdown (endSession): the windows hear 'query-session-end' and 'session-end', never 'before-quit'
//   (docs/api/app.md: "will not be emitted if the app is closed due to a shutdown/restart of the system or a user
//   logout"), and the process is killed as soon as the 'session-end' listeners return
//   (native_window_views_win.cc, WM_ENDSESSION); nothing scheduled after that runs.
import { vi } from 'vitest';
import type {
  DownloadItemLike,
  ElectronDeps,
  FrameLike,
  IpcInvokeEventLike,
  MenuItemSpec,
  PreventableEvent,
  Rect,
  WindowLike,
  WindowOptions,
} from '../../../electron/main/deps';

type Listener = (...args: never[]) => unknown;

class Emitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }
  emit(event: string, ...args: unknown[]): void {
    for (const l of this.listeners.get(event) ?? []) (l as (...a: unknown[]) => unknown)(...args);
  }
}

export function preventable(): PreventableEvent & { prevented: boolean } {
  const event = {
    prevented: false,
    preventDefault() {
      event.prevented = true;
    },
  };
  return event;
}

let nextContentsId = 100;

export class FakeContents extends Emitter {
  readonly id = nextContentsId++;
  readonly sent: { channel: string; payload: unknown }[] = [];
  openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  isDestroyed(): boolean {
    return false;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.openHandler = handler;
  }
}

export class FakeWindow extends Emitter implements WindowLike {
  readonly webContents = new FakeContents();
  bounds: { x: number; y: number; width: number; height: number } | undefined;
  readonly calls: string[] = [];
  visible = false;
  focused = false;
  destroyed = false;
  loadedUrl: string | undefined;
  alwaysOnTop = false;
  constructor(readonly options: WindowOptions) {
    super();
    this.alwaysOnTop = options.alwaysOnTop ?? false;
    if (options.x !== undefined && options.y !== undefined) {
      this.bounds = { x: options.x, y: options.y, width: options.width, height: options.height };
    }
  }
  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
  }
  show(): void {
    this.calls.push('show');
    this.visible = true;
  }
  showInactive(): void {
    this.calls.push('showInactive');
    this.visible = true;
  }
  hide(): void {
    this.calls.push('hide');
    this.visible = false;
  }
  focus(): void {
    this.calls.push('focus');
    this.focused = true;
  }
  restore(): void {
    this.calls.push('restore');
  }
  isVisible(): boolean {
    return this.visible;
  }
  isMinimized(): boolean {
    return false;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setAlwaysOnTop(flag: boolean): void {
    this.alwaysOnTop = flag;
  }
  setBounds(bounds: { x: number; y: number; width: number; height: number }): void {
    this.bounds = bounds;
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('closed');
  }
  /** What the user closing the window does: 'close' (preventable), then 'closed' unless prevented. */
  userClose(): boolean {
    const event = preventable();
    this.emit('close', event);
    if (!event.prevented) this.destroy();
    return !event.prevented;
  }
}

export class FakeTray extends Emitter {
  image: { key: string; size?: number } | undefined;
  tooltip = '';
  menu: readonly MenuItemSpec[] = [];
  destroyed = false;
  setImage(image: unknown): void {
    this.image = image as { key: string };
  }
  /** How often main set them (each a call into the shell). */
  tooltipSets = 0;
  menuSets = 0;
  setToolTip(text: string): void {
    this.tooltip = text;
    this.tooltipSets++;
  }
  setContextMenu(menu: unknown): void {
    this.menu = (menu as { template: readonly MenuItemSpec[] }).template;
    this.menuSets++;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

export class FakeDownloadItem implements DownloadItemLike {
  savePath: string | undefined;
  /** True while the session's will-download listeners run: the only time Electron takes a save path. */
  deciding = true;
  constructor(
    readonly url: string,
    readonly filename: string,
  ) {}
  getURL(): string {
    return this.url;
  }
  getFilename(): string {
    return this.filename;
  }
  setSavePath(path: string): void {
    if (!this.deciding) {
      throw new Error("setSavePath: only available in session's will-download callback (docs/api/download-item.md)");
    }
    this.savePath = path;
  }
}

/** How a download ended up once the will-download listeners returned. */
export type DownloadOutcome =
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'saved'; readonly path: string }
  /** Electron's own save dialog, and a write wherever it answers: nothing of main checked that path. */
  | { readonly kind: 'electron-dialog' };

export interface FakeElectron extends ElectronDeps {
  readonly appEvents: Emitter;
  readonly handlers: Map<string, (event: IpcInvokeEventLike, args: unknown) => unknown>;
  readonly windows: FakeWindow[];
  readonly trays: FakeTray[];
  readonly session: {
    permission?: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
    permissionCheck?: () => boolean;
    headers?: Parameters<ElectronDeps['defaultSession']['webRequest']['onHeadersReceived']>[0];
    beforeRequest?: Parameters<ElectronDeps['defaultSession']['webRequest']['onBeforeRequest']>[0];
    willDownload: Parameters<ElectronDeps['defaultSession']['on']>[1][];
  };
  /** Save dialogs main opened, with the contents they were modal to. */
  readonly saveDialogs: { readonly title: string; readonly defaultPath: string; readonly parent: unknown }[];
  /** Message boxes main showed, in full. */
  readonly messageBoxOptions: Parameters<ElectronDeps['showMessageBox']>[0][];
  readonly quit: ReturnType<typeof vi.fn>;
  readonly exit: ReturnType<typeof vi.fn>;
  readonly endProcessNow: ReturnType<typeof vi.fn<() => void>>;
  /** What main logged, as "level: message". */
  readonly logs: string[];
  readonly messageBoxes: string[];
  readonly errorBoxes: string[];
  /** Calls in the order main made them, for start-order checks. */
  readonly calls: string[];
  readonly state: {
    ready: boolean;
    killed: boolean;
    userData?: string;
    cursorWorkArea: Rect;
    smallIconSize: number;
    userBusy: boolean;
    /** What app.getPath('downloads') answers; undefined makes it throw, as Electron does without the folder. */
    downloads: string | undefined;
    /** What the user picks in the next save dialog; '' cancels it. */
    saveAnswer: string;
  };
  /** A page (`from`) starts a download of `url`, suggesting `filename`; the session's listeners decide. */
  download(
    url: string,
    filename: string,
    from?: FakeContents | null,
  ): { item: FakeDownloadItem; outcome: DownloadOutcome; thrown: unknown };
  /** Electron becomes ready: whenReady() resolves, and before-ready calls start to fail. */
  ready(): void;
  /** Windows ends the session (logoff, shutdown): query, then end; the process is killed right after. */
  endSession(reasons?: readonly string[], options?: { cancelled?: boolean }): void;
  /** Invokes a registered IPC channel as if a frame at `url` of `contents` sent it. */
  invoke(channel: string, args: unknown, from: { contents: { id: number }; url: string; subframe?: boolean }): unknown;
}

export interface FakeElectronOptions {
  platform?: NodeJS.Platform;
  lock?: boolean;
  elevated?: boolean;
  packaged?: boolean;
  /** Becomes ready on its own at the next macrotask (for tests that are not about start order). */
  autoReady?: boolean;
}

export function fakeElectron(options: FakeElectronOptions = {}): FakeElectron {
  const appEvents = new Emitter();
  const handlers = new Map<string, (event: IpcInvokeEventLike, args: unknown) => unknown>();
  const windows: FakeWindow[] = [];
  const trays: FakeTray[] = [];
  const session: FakeElectron['session'] = { willDownload: [] };
  const saveDialogs: FakeElectron['saveDialogs'] = [];
  const messageBoxOptions: FakeElectron['messageBoxOptions'] = [];
  const messageBoxes: string[] = [];
  const errorBoxes: string[] = [];
  const calls: string[] = [];
  const sessionWatchers: ((phase: 'query' | 'end', reasons: readonly string[]) => void)[] = [];
  const state: FakeElectron['state'] = {
    ready: false,
    killed: false,
    cursorWorkArea: { x: 0, y: 0, width: 1920, height: 1040 },
    smallIconSize: 24,
    userBusy: false,
    downloads: '/home/user/Downloads',
    saveAnswer: '',
  };
  let resolveReady: () => void = () => undefined;
  const readyPromise = new Promise<void>((resolve) => (resolveReady = resolve));

  const needReady = (what: string): void => {
    if (state.killed) throw new Error(`${what} after the process was killed`);
    if (!state.ready) throw new Error(`${what}: cannot be used before app is ready`);
  };
  const beforeReady = (what: string): void => {
    if (state.ready) throw new Error(`${what} should be called before app is ready`);
  };
  const record = (call: string): void => void calls.push(call);

  const quit = vi.fn(() => {
    if (state.killed) return;
    const event = preventable();
    appEvents.emit('before-quit', event);
  });
  const exit = vi.fn();
  const endProcessNow = vi.fn((): void => {
    state.killed = true;
    record('ended at once');
  });
  const logs: string[] = [];
  const session0: ElectronDeps['defaultSession'] = {
    on: (_event, listener) => void session.willDownload.push(listener),
    setPermissionRequestHandler: (h) => void (session.permission = h),
    setPermissionCheckHandler: (h) => void (session.permissionCheck = h),
    webRequest: {
      onHeadersReceived: (l) => void (session.headers = l),
      onBeforeRequest: (l) => void (session.beforeRequest = l),
    },
  };
  const deps: FakeElectron = {
    platform: options.platform ?? 'linux',
    appEvents,
    handlers,
    windows,
    trays,
    session,
    saveDialogs,
    messageBoxOptions,
    quit,
    exit,
    endProcessNow,
    logs,
    messageBoxes,
    errorBoxes,
    calls,
    state,
    ready() {
      if (state.ready) return;
      state.ready = true;
      record('ready');
      resolveReady();
    },
    download(url, filename, from = null) {
      needReady('will-download');
      const item = new FakeDownloadItem(url, filename);
      const event = preventable();
      // A listener that throws does not stop the download: the exception is reported as uncaught in the main
      // process, and Electron goes on with whatever the event and the item say (electron_api_session.cc,
      // Session::OnDownloadCreated, reads only preventDefault from Emit).
      let thrown: unknown;
      try {
        for (const listener of [...session.willDownload]) listener(event, item, from);
      } catch (error) {
        thrown = error;
      }
      item.deciding = false;
      const outcome: DownloadOutcome = event.prevented
        ? { kind: 'cancelled' }
        : item.savePath !== undefined
          ? { kind: 'saved', path: item.savePath }
          : { kind: 'electron-dialog' };
      return { item, outcome, thrown };
    },
    endSession(reasons = ['logoff'], { cancelled = false } = {}) {
      for (const watch of [...sessionWatchers]) watch('query', reasons);
      // WM_ENDSESSION with wParam FALSE: Electron returns without emitting anything.
      if (cancelled) return;
      for (const watch of [...sessionWatchers]) watch('end', reasons);
      state.killed = true;
      record('killed');
    },
    app: {
      requestSingleInstanceLock: () => (record('requestSingleInstanceLock'), options.lock ?? true),
      releaseSingleInstanceLock: vi.fn(),
      whenReady: () => readyPromise,
      on: (event: string, listener: Listener) => appEvents.on(event, listener),
      quit,
      exit,
      getFileIcon: async (path: string) => ({ toDataURL: () => `data:image/png;base64,${path}`, isEmpty: () => false }),
      setToastActivatorCLSID: vi.fn((id: string) => {
        beforeReady(`app.setToastActivatorCLSID(${id})`);
        record('setToastActivatorCLSID');
      }),
      setAppUserModelId: vi.fn((id: string) => {
        beforeReady(`app.setAppUserModelId(${id})`);
        record('setAppUserModelId');
      }),
      setPath: vi.fn((name: string, path: string) => {
        beforeReady(`app.setPath(${name})`);
        record(`setPath:${name}`);
        state.userData = path;
      }),
      getPath: (name: string) => {
        // Electron: "Failed to get 'downloads' path" when Chromium has no such folder.
        if (state.downloads === undefined) throw new Error(`Failed to get '${name}' path`);
        return state.downloads;
      },
      commandLine: {
        appendSwitch: vi.fn((name: string, value?: string) => {
          beforeReady(`app.commandLine.appendSwitch(${name})`);
          record(value === undefined ? `appendSwitch:${name}` : `appendSwitch:${name}=${value}`);
        }),
      },
      isPackaged: options.packaged ?? false,
    },
    ipcMain: { handle: (channel, listener) => void handlers.set(channel, listener) },
    get defaultSession() {
      if (!state.ready) throw new TypeError('Session can only be received when app is ready');
      return session0;
    },
    registerPrivilegedScheme: vi.fn((scheme: string) => {
      beforeReady('protocol.registerSchemesAsPrivileged');
      record(`registerPrivilegedScheme:${scheme}`);
    }),
    removeApplicationMenu: vi.fn(),
    serveScheme: vi.fn((scheme: string) => {
      needReady(`protocol.handle(${scheme})`);
      record(`serveScheme:${scheme}`);
    }),
    createWindow: (o) => {
      needReady('new BrowserWindow');
      const win = new FakeWindow(o);
      windows.push(win);
      return win;
    },
    createTray: (image) => {
      needReady('new Tray');
      const tray = new FakeTray();
      tray.setImage(image);
      trays.push(tray);
      return tray;
    },
    buildMenu: (template) => ({ template }),
    trayIconSize: () => state.smallIconSize,
    userBusy: () => state.userBusy,
    imageFromBitmap: (bitmap, size) => ({
      key: String(hash(bitmap)),
      size,
      toDataURL: () => '',
      isEmpty: () => false,
    }),
    showMessageBox: async (o) => {
      needReady('dialog.showMessageBox');
      messageBoxes.push(o.message);
      messageBoxOptions.push(o);
      return { response: 1 };
    },
    showSaveDialogSync: (o, contents) => {
      needReady('dialog.showSaveDialogSync');
      saveDialogs.push({ ...o, parent: contents });
      return state.saveAnswer;
    },
    showErrorBox: (_title, content) => void errorBoxes.push(content),
    watchSessionEnd: (listener) => {
      needReady('new BaseWindow');
      sessionWatchers.push(listener);
    },
    isElevated: () => options.elevated ?? true,
    signedInUser: () => ({ name: 'DESKTOP-7\\José', sid: 'S-1-5-21-1004336348-1177238915-682003330-1001' }),
    relaunchElevated: vi.fn(() => true),
    workAreaAtCursor: () => {
      needReady('screen.getCursorScreenPoint');
      return state.cursorWorkArea;
    },
    log: (level, message) => void logs.push(`${level}: ${message}`),
    invoke(channel, args, from) {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`no handler for ${channel}`);
      const top: FrameLike = { url: from.url, parent: null };
      const frame: FrameLike = from.subframe ? { url: from.url, parent: top } : top;
      return handler({ sender: from.contents, senderFrame: frame }, args);
    },
  };
  if (options.autoReady) setTimeout(() => deps.ready(), 0);
  return deps;
}

function hash(buffer: Buffer): number {
  let h = 0;
  for (const byte of buffer) h = (h * 31 + byte) | 0;
  return h;
}
