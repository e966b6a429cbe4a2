// One small always-on-top window for every pending decision (an inbox, not a stack of popups). It opens, with focus,
// only when the user asks for a decision (the notification's "More…" or the tray menu).
import { sendEvent } from './ipc';
import { centredIn } from './placement';
import type { ElectronDeps, WindowLike } from './deps';
import { PageLoad } from './page-load';
import { secureWebPreferences } from './security';

export interface PromptWindowOptions {
  readonly preload: string;
  /** False in the installed app. */
  readonly devTools: boolean;
  readonly url: string;
  readonly isQuitting: () => boolean;
  readonly onOpened: (win: WindowLike) => void;
}

export const PROMPT_WIDTH = 440;
export const PROMPT_HEIGHT = 520;

export class PromptWindow {
  private win: WindowLike | undefined;
  private readonly page: PageLoad;
  /** Decisions the user has already seen the window for; closing the window dismisses these, not later ones. */
  private readonly seen = new Set<string>();

  constructor(
    private readonly deps: ElectronDeps,
    private readonly options: PromptWindowOptions,
  ) {
    this.page = new PageLoad(deps);
  }

  get current(): WindowLike | undefined {
    return this.win && !this.win.isDestroyed() ? this.win : undefined;
  }

  /**
   * Hides the inbox when no decision is left. It does not open by itself: a new decision is announced by the
   * notification window, and the inbox opens when the user asks (the notification's "More…", the tray).
   */
  sync(pendingIds: readonly string[]): void {
    const pending = new Set(pendingIds);
    for (const id of this.seen) if (!pending.has(id)) this.seen.delete(id);
    if (pending.size === 0) this.current?.hide();
  }

  /** The user asked to see this decision: show, focus, and tell the page which one. */
  open(decisionId: string): void {
    this.seen.add(decisionId);
    const win = this.ensure();
    void this.whenLoaded(() => {
      if (!win.isVisible()) this.placeAtCursor(win);
      win.show();
      win.focus();
      sendEvent([win], 'openDecision', { decisionId });
    });
  }

  private whenLoaded(action: () => void): void {
    const win = this.current;
    if (win) this.page.then(win, action);
  }

  /** On the display the user is at, each time the window comes back. */
  private placeAtCursor(win: WindowLike): void {
    win.setBounds?.(centredIn(this.deps.workAreaAtCursor(), PROMPT_WIDTH, PROMPT_HEIGHT));
  }

  private ensure(): WindowLike {
    const existing = this.current;
    if (existing) return existing;
    const win = this.deps.createWindow({
      ...centredIn(this.deps.workAreaAtCursor(), PROMPT_WIDTH, PROMPT_HEIGHT),
      title: 'Portcullis: connection blocked',
      show: false,
      alwaysOnTop: true,
      skipTaskbar: false,
      resizable: true,
      minimizable: false,
      maximizable: false,
      autoHideMenuBar: true,
      webPreferences: secureWebPreferences(this.options.preload, this.options.devTools),
    });
    win.setAlwaysOnTop(true, 'floating');
    this.win = win;
    this.options.onOpened(win);
    win.on('close', (event) => {
      if (this.options.isQuitting()) return;
      event.preventDefault();
      win.hide();
    });
    win.on('closed', () => {
      if (this.win === win) this.win = undefined;
    });
    void this.page.start(win, this.options.url);
    return win;
  }
}
