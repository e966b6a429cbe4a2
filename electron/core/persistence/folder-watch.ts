// Tells when some files in a folder may have changed: fs.watch on the folder (quick, debounced so that one save is
// one check) and a slow poll as well, because fs.watch misses changes on some filesystems (network shares, some
// virtual drives) or may stop with an error. A call means "look now"; deciding whether anything changed is the
// caller's (a stat per file, see JsonFile.readChange), so a spurious call costs little.
import { watch, type FSWatcher } from 'node:fs';
import type { TimerHandle, Timers } from '../util/runtime';

export interface FolderWatchOptions {
  /** Quiet time after the last fs.watch event before looking (a writer's burst of events is one look). */
  readonly debounceMs?: number;
  /** Look at least this often whatever fs.watch says; 0 turns the poll off. */
  readonly pollMs?: number;
  /** Use fs.watch; off, the poll alone notices changes. */
  readonly fsWatch?: boolean;
}

export const DEFAULT_FOLDER_WATCH: Required<FolderWatchOptions> = { debounceMs: 200, pollMs: 3_000, fsWatch: true };

export class FolderWatcher {
  private readonly options: Required<FolderWatchOptions>;
  private watcher: FSWatcher | undefined;
  private debounce: TimerHandle | undefined;
  private poll: TimerHandle | undefined;
  private running = false;

  constructor(
    private readonly dir: string,
    private readonly names: readonly string[],
    private readonly timers: Timers,
    private readonly look: () => void,
    options: FolderWatchOptions = {},
  ) {
    this.options = { ...DEFAULT_FOLDER_WATCH, ...options };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    if (this.options.fsWatch) this.startFsWatch();
    this.armPoll();
  }

  stop(): void {
    this.running = false;
    this.watcher?.close();
    this.watcher = undefined;
    if (this.debounce !== undefined) this.timers.clearTimeout(this.debounce);
    if (this.poll !== undefined) this.timers.clearTimeout(this.poll);
    this.debounce = undefined;
    this.poll = undefined;
  }

  private startFsWatch(): void {
    try {
      // Not persistent: watching never keeps a process (the CLI's `watch`, a test) alive by itself.
      this.watcher = watch(this.dir, { persistent: false }, (_event, name) => {
        // Some platforms do not say which file changed; then any change may be ours to look at.
        if (name === null || this.names.includes(String(name))) this.lookSoon();
      });
      this.watcher.on('error', () => {
        this.watcher?.close();
        this.watcher = undefined; // the poll carries on alone
      });
    } catch {
      this.watcher = undefined; // folder not watchable here: the poll carries on alone
    }
  }

  private lookSoon(): void {
    if (!this.running) return;
    if (this.debounce !== undefined) this.timers.clearTimeout(this.debounce);
    this.debounce = this.timers.setTimeout(() => {
      this.debounce = undefined;
      if (this.running) this.look();
    }, this.options.debounceMs);
  }

  private armPoll(): void {
    if (!this.running || this.options.pollMs <= 0) return;
    this.poll = this.timers.setTimeout(() => {
      this.poll = undefined;
      if (!this.running) return;
      this.look();
      this.armPoll();
    }, this.options.pollMs);
  }
}
