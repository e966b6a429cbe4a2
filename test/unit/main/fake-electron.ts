// A stand-in for the slice of Electron main uses (ElectronDeps), recording what main does with it.
import { vi } from 'vitest';
import type {
  ElectronDeps,
  FrameLike,
  IpcInvokeEventLike,
  MenuItemSpec,
  PreventableEvent,
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
  readonly calls: string[] = [];
  visible = false;
  focused = false;
  destroyed = false;
  loadedUrl: string | undefined;
  alwaysOnTop = false;
  constructor(readonly options: WindowOptions) {
    super();
    this.alwaysOnTop = options.alwaysOnTop ?? false;
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
  image: { key: string } | undefined;
  tooltip = '';
  menu: readonly MenuItemSpec[] = [];
  setImage(image: unknown): void {
    this.image = image as { key: string };
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: unknown): void {
    this.menu = (menu as { template: readonly MenuItemSpec[] }).template;
  }
  destroy(): void {}
}

export interface FakeElectron extends ElectronDeps {
  readonly appEvents: Emitter;
  readonly handlers: Map<string, (event: IpcInvokeEventLike, args: unknown) => unknown>;
  readonly windows: FakeWindow[];
  readonly trays: FakeTray[];
  readonly notifications: { title: string; body: string; click: () => void }[];
  readonly session: {
    permission?: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
    permissionCheck?: () => boolean;
    headers?: Parameters<ElectronDeps['defaultSession']['webRequest']['onHeadersReceived']>[0];
    beforeRequest?: Parameters<ElectronDeps['defaultSession']['webRequest']['onBeforeRequest']>[0];
  };
  readonly quit: ReturnType<typeof vi.fn>;
  readonly exit: ReturnType<typeof vi.fn>;
  readonly messageBoxes: string[];
  /** Invokes a registered IPC channel as if a frame at `url` of `contents` sent it. */
  invoke(channel: string, args: unknown, from: { contents: { id: number }; url: string; subframe?: boolean }): unknown;
}

export function fakeElectron(options: { platform?: NodeJS.Platform; lock?: boolean; elevated?: boolean } = {}) {
  const appEvents = new Emitter();
  const handlers = new Map<string, (event: IpcInvokeEventLike, args: unknown) => unknown>();
  const windows: FakeWindow[] = [];
  const trays: FakeTray[] = [];
  const notifications: { title: string; body: string; click: () => void }[] = [];
  const session: FakeElectron['session'] = {};
  const messageBoxes: string[] = [];
  const quit = vi.fn(() => {
    const event = preventable();
    appEvents.emit('before-quit', event);
  });
  const exit = vi.fn();
  const deps: FakeElectron = {
    platform: options.platform ?? 'linux',
    appEvents,
    handlers,
    windows,
    trays,
    notifications,
    session,
    quit,
    exit,
    messageBoxes,
    app: {
      requestSingleInstanceLock: () => options.lock ?? true,
      releaseSingleInstanceLock: vi.fn(),
      whenReady: () => Promise.resolve(),
      on: (event: string, listener: Listener) => appEvents.on(event, listener),
      quit,
      exit,
      getFileIcon: async (path: string) => ({ toDataURL: () => `data:image/png;base64,${path}`, isEmpty: () => false }),
      setAppUserModelId: vi.fn(),
      isPackaged: false,
    },
    ipcMain: { handle: (channel, listener) => void handlers.set(channel, listener) },
    defaultSession: {
      setPermissionRequestHandler: (h) => void (session.permission = h),
      setPermissionCheckHandler: (h) => void (session.permissionCheck = h),
      webRequest: {
        onHeadersReceived: (l) => void (session.headers = l),
        onBeforeRequest: (l) => void (session.beforeRequest = l),
      },
    },
    registerPrivilegedScheme: vi.fn(),
    removeApplicationMenu: vi.fn(),
    serveScheme: vi.fn(),
    createWindow: (o) => {
      const win = new FakeWindow(o);
      windows.push(win);
      return win;
    },
    createTray: () => {
      const tray = new FakeTray();
      trays.push(tray);
      return tray;
    },
    buildMenu: (template) => ({ template }),
    imageFromBitmap: (bitmap) => ({
      key: String(hash(bitmap)),
      toDataURL: () => '',
      isEmpty: () => false,
    }),
    notificationsSupported: () => true,
    showNotification: (spec, click) => void notifications.push({ ...spec, click }),
    showMessageBox: async (o) => {
      messageBoxes.push(o.message);
      return { response: 1 };
    },
    run: async () => (options.elevated === false ? 1 : 0),
    log: () => undefined,
    invoke(channel, args, from) {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`no handler for ${channel}`);
      const top: FrameLike = { url: from.url, parent: null };
      const frame: FrameLike = from.subframe ? { url: from.url, parent: top } : top;
      return handler({ sender: from.contents, senderFrame: frame }, args);
    },
  };
  return deps;
}

function hash(buffer: Buffer): number {
  let h = 0;
  for (const byte of buffer) h = (h * 31 + byte) | 0;
  return h;
}
