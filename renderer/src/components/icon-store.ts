// Executable icons come from main (apps.icon), which asks the Windows shell: real work in the elevated process for
// each path. Under a flood the rows of a list sorted by last seen show other apps with every batch, ten times a
// second, so a row's icon is asked for only once its app has stayed on screen a moment (DWELL_MS, in any row): an
// app that passes through in a batch or two costs main nothing, and the letter it shows meanwhile is what the eye
// had time to see anyway. An icon that stands alone (the prompt, the detail panel) is asked for at once. Each path is asked once; answers are kept for the most recently shown LIMIT paths, as main's
// own cache is, so 50,000 apps scrolled through do not keep 50,000 images.

export const DWELL_MS = 250;
export const LIMIT = 512;

type Url = string | null;

interface Showing {
  holders: Set<(url: Url) => void>;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export interface IconStoreOptions {
  /** Asks main for the icon of `path`; null when it has none (or the ask failed). */
  readonly fetch: (path: string) => Promise<Url>;
  readonly dwellMs?: number;
  readonly limit?: number;
}

export class IconStore {
  private readonly resolved = new Map<string, Url>();
  private readonly inFlight = new Set<string>();
  private readonly showing = new Map<string, Showing>();
  private readonly dwellMs: number;
  private readonly limit: number;

  constructor(private readonly options: IconStoreOptions) {
    this.dwellMs = options.dwellMs ?? DWELL_MS;
    this.limit = options.limit ?? LIMIT;
  }

  /** The icon known for `path`: a data URL, null when it has none, undefined when not (yet) asked. */
  get(path: string): Url | undefined {
    const url = this.resolved.get(path);
    if (url === undefined) return undefined;
    this.resolved.delete(path);
    this.resolved.set(path, url);
    return url;
  }

  /**
   * An icon element shows `path` from now on; `loaded` hears main's answer, asked at once or, for a row (`inRow`),
   * once the path has been shown for the dwell. Returns the call that says it no longer shows it.
   */
  show(path: string, loaded: (url: Url) => void, inRow = false): () => void {
    let entry = this.showing.get(path);
    if (!entry) {
      entry = { holders: new Set(), timer: undefined };
      this.showing.set(path, entry);
      if (inRow && !this.resolved.has(path) && !this.inFlight.has(path)) {
        entry.timer = setTimeout(() => this.ask(path), this.dwellMs);
      }
    }
    if (!inRow && !this.resolved.has(path) && !this.inFlight.has(path)) {
      if (entry.timer !== undefined) clearTimeout(entry.timer);
      this.ask(path);
    }
    entry.holders.add(loaded);
    const held = entry;
    return () => {
      held.holders.delete(loaded);
      if (held.holders.size > 0 || this.showing.get(path) !== held) return;
      if (held.timer !== undefined) clearTimeout(held.timer);
      this.showing.delete(path);
    };
  }

  private ask(path: string): void {
    const entry = this.showing.get(path);
    if (entry) entry.timer = undefined;
    this.inFlight.add(path);
    void this.options
      .fetch(path)
      .catch(() => null)
      .then((url) => {
        this.inFlight.delete(path);
        this.resolved.set(path, url);
        if (this.resolved.size > this.limit) this.resolved.delete(this.resolved.keys().next().value as string);
        for (const loaded of this.showing.get(path)?.holders ?? []) loaded(url);
      });
  }
}
