// The main window: created on demand, hidden instead of closed when "close to tray" is on.
import type { ElectronDeps, WindowLike } from './deps';
import { secureWebPreferences } from './security';

export interface MainWindowOptions {
  readonly preload: string;
  /** False in the installed app. */
  readonly devTools: boolean;
  readonly url: string;
  readonly closeToTray: () => boolean;
  readonly isQuitting: () => boolean;
  readonly onOpened: (win: WindowLike) => void;
  /** The user closed it for good (not hidden to the tray). */
  readonly onClosed: (win: WindowLike) => void;
}

export class MainWindow {
  private win: WindowLike | undefined;
  /** True once the current window's page has loaded (a message sent before that would be lost); false if it failed. */
  private loaded: Promise<boolean> = Promise.resolve(true);

  constructor(
    private readonly deps: ElectronDeps,
    private readonly options: MainWindowOptions,
  ) {}

  get current(): WindowLike | undefined {
    return this.win && !this.win.isDestroyed() ? this.win : undefined;
  }

  /** Brings the window to the front, creating it if needed. */
  show(): WindowLike {
    const existing = this.current;
    if (existing) {
      if (existing.isMinimized()) existing.restore();
      existing.show();
      existing.focus();
      return existing;
    }
    const win = this.deps.createWindow({
      width: 1200,
      height: 780,
      minWidth: 720,
      minHeight: 480,
      title: 'Portcullis',
      show: false,
      autoHideMenuBar: true,
      webPreferences: secureWebPreferences(this.options.preload, this.options.devTools),
    });
    this.win = win;
    this.options.onOpened(win);
    win.on('close', (event) => {
      if (this.options.closeToTray() && !this.options.isQuitting()) {
        event.preventDefault();
        win.hide();
      }
    });
    win.on('closed', () => {
      if (this.win === win) this.win = undefined;
      this.options.onClosed(win);
    });
    this.loaded = win.loadURL(this.options.url).then(
      () => {
        if (!win.isDestroyed()) {
          win.show();
          win.focus();
        }
        return true;
      },
      (error: unknown) => {
        this.deps.log('error', `Could not load ${this.options.url}`, error);
        return false;
      },
    );
    return win;
  }

  /** Shows the window and, once its page has loaded, hands it to `action` (e.g. to send the page an event). */
  showThen(action: (win: WindowLike) => void): void {
    const win = this.show();
    void this.loaded.then((ok) => {
      if (ok && !win.isDestroyed()) action(win);
    });
  }
}
