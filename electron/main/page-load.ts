// A window's page load, shared by the main, prompt and notification windows: a message sent to a page before it has
// loaded is lost, so actions wait for the load; a failed load is logged once and runs no action.
import type { ElectronDeps, WindowLike } from './deps';

export class PageLoad {
  private loaded: Promise<boolean> = Promise.resolve(false);

  constructor(private readonly deps: ElectronDeps) {}

  /** Loads `url` into `win`; resolves true once loaded, false (after logging) when it failed. */
  start(win: WindowLike, url: string): Promise<boolean> {
    this.loaded = win.loadURL(url).then(
      () => true,
      (error: unknown) => {
        this.deps.log('error', `Could not load ${url}`, error);
        return false;
      },
    );
    return this.loaded;
  }

  /** Runs `action` once the page of `win` has loaded, unless it failed or the window is gone by then. */
  then(win: WindowLike, action: () => void): void {
    void this.loaded.then((ok) => {
      if (ok && !win.isDestroyed()) action();
    });
  }
}
