// The main window: created on demand, hidden instead of closed when "close to tray" is on.
import type { ElectronDeps, WindowLike } from './deps';
import { PageLoad } from './page-load';
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
  private readonly page: PageLoad;

  constructor(
    private readonly deps: ElectronDeps,
    private readonly options: MainWindowOptions,
  ) {
    this.page = new PageLoad(deps);
  }

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
    void this.page.start(win, this.options.url);
    this.page.then(win, () => {
      win.show();
      win.focus();
    });
    return win;
  }

  /** Shows the window and, once its page has loaded, hands it to `action` (e.g. to send the page an event). */
  showThen(action: (win: WindowLike) => void): void {
    const win = this.show();
    this.page.then(win, () => action(win));
  }
}
