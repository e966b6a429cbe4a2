// The new-block notification: a small window of our own in the notification corner of the display the user is on.
// Windows toasts are not used: they deliver clicks through COM activation, which does not reach an elevated process
// from the medium-integrity shell (WindowsNotifications/desktop-toasts#5, microsoft/PowerToys#5313), and a standard
// user who elevated with an administrator's credentials gets no toast at all. This window never takes focus
// (focusable: false, shown inactive), arms its buttons only after a delay (the page's click guard), stacks the
// newest few and leaves by itself; everything else waits in the inbox (tray, prompt window).
import type { NotificationRequest } from '../core/model';
import type { ElectronDeps, WindowLike } from './deps';
import { PageLoad } from './page-load';
import { sendEvent } from './ipc';
import { cornerOf } from './placement';
import { secureWebPreferences } from './security';

export const NOTIFICATION_WIDTH = 360;
export const NOTIFICATION_HEIGHT = 260;
/** How long the window stays after the last new notification when nobody acts on it. */
export const NOTIFICATION_LINGER_MS = 12_000;

export interface NotificationWindowOptions {
  readonly preload: string;
  readonly devTools: boolean;
  readonly url: string;
  readonly onOpened: (win: WindowLike) => void;
  /** Whether Windows says the user should not be disturbed now (full screen, presentation, away). */
  readonly userBusy: () => boolean;
  readonly setTimer?: (fn: () => void, ms: number) => unknown;
  readonly clearTimer?: (handle: unknown) => void;
}

export type ShowOutcome = 'shown' | 'quiet';

export class NotificationWindow {
  private win: WindowLike | undefined;
  private readonly page: PageLoad;
  private timer: unknown;
  private readonly shownIds = new Set<string>();

  constructor(
    private readonly deps: ElectronDeps,
    private readonly options: NotificationWindowOptions,
  ) {
    this.page = new PageLoad(deps);
  }

  get current(): WindowLike | undefined {
    return this.win && !this.win.isDestroyed() ? this.win : undefined;
  }

  /** Shows a notification unless the user is busy; the decision stays in the inbox either way. */
  show(request: NotificationRequest): ShowOutcome {
    if (this.options.userBusy()) return 'quiet';
    this.shownIds.add(request.decisionId);
    const win = this.ensure();
    void this.whenLoaded(() => {
      sendEvent([win], 'notify', { decisionId: request.decisionId, title: request.title, body: request.body });
      if (!win.isVisible()) {
        win.setBounds?.(this.bounds());
        win.showInactive();
      }
    });
    this.lingerFromNow();
    return 'shown';
  }

  /** Hides the window once no decision it shows is still pending. */
  sync(pendingIds: readonly string[]): void {
    const pending = new Set(pendingIds);
    for (const id of this.shownIds) if (!pending.has(id)) this.shownIds.delete(id);
    if (this.shownIds.size === 0) this.hide();
  }

  hide(): void {
    this.shownIds.clear();
    this.current?.hide();
  }

  private lingerFromNow(): void {
    const clear = this.options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
    const set = this.options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    if (this.timer !== undefined) clear(this.timer);
    this.timer = set(() => {
      this.timer = undefined;
      this.hide();
    }, NOTIFICATION_LINGER_MS);
  }

  private bounds() {
    return cornerOf(this.deps.workAreaAtCursor(), NOTIFICATION_WIDTH, NOTIFICATION_HEIGHT);
  }

  private whenLoaded(action: () => void): void {
    const win = this.current;
    if (win) this.page.then(win, action);
  }

  private ensure(): WindowLike {
    const existing = this.current;
    if (existing) return existing;
    const win = this.deps.createWindow({
      ...this.bounds(),
      title: 'Portcullis: blocked',
      show: false,
      frame: false,
      focusable: false,
      alwaysOnTop: true,
      skipTaskbar: true,
      resizable: false,
      minimizable: false,
      maximizable: false,
      webPreferences: secureWebPreferences(this.options.preload, this.options.devTools),
    });
    win.setAlwaysOnTop(true, 'pop-up-menu');
    this.win = win;
    this.options.onOpened(win);
    win.on('closed', () => {
      if (this.win === win) this.win = undefined;
    });
    void this.page.start(win, this.options.url);
    return win;
  }
}
