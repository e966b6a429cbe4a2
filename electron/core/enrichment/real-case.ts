// Paths in the case they are written on disk, for display: WFP's application ids are lower case. Each program's
// path is looked up once (FindFirstFileW per component, on the backend's file-lookup thread), off the event path;
// the key that identifies an app stays lower case, only what people read changes.
import { LruMap } from '../util/bounded';
import type { Clock, Timers } from '../util/runtime';
import { WorkQueue } from '../util/work-queue';

export class RealCasePaths {
  private readonly known: LruMap<string, string | null>;
  private readonly waiting = new Map<string, Set<string>>();
  private readonly work: WorkQueue<string>;

  constructor(
    private readonly lookUp: (path: string) => Promise<string | undefined>,
    clock: Clock,
    timers: Timers,
    private readonly onResolved: (appKeys: ReadonlySet<string>) => void,
    size = 8_192,
    maxQueued = 1_024,
  ) {
    this.known = new LruMap(size);
    // Each lookup is a run of FindFirstFileW calls, one per path component not known yet (metadata only, no file is
    // read). Several start together, five rounds a second at most, so that their answers wake the thread together.
    this.work = new WorkQueue(timers, clock, (path) => this.resolve(path), {
      maxQueued,
      concurrency: 16,
      roundMs: 200,
    });
  }

  /** The path as written on disk, when known. O(1). */
  of(path: string): string | undefined {
    return this.known.peek(path.toLowerCase()) ?? undefined;
  }

  /** A real-case path learnt elsewhere (the DNS client's process image names). */
  learn(path: string): void {
    this.known.set(path.toLowerCase(), path);
  }

  /**
   * Asks for `path`'s real case on behalf of `appKey`. O(1); once per path. Returns how long (ms) asking again would
   * change nothing: for ever once known (or not a drive path); 0 while the lookup waits or was refused.
   */
  request(path: string, appKey: string): number {
    if (this.work.isStopped || !/^[a-z]:\\/i.test(path)) return Infinity;
    const key = path.toLowerCase();
    if (this.known.has(key)) return Infinity;
    const waiting = this.waiting.get(key);
    if (waiting) {
      if (waiting.size < 16) waiting.add(appKey);
      return 0;
    }
    if (this.work.full) return 0;
    this.waiting.set(key, new Set([appKey]));
    this.work.push(path);
    return 0;
  }

  stop(): void {
    this.work.stop();
  }

  private async resolve(path: string): Promise<void> {
    const key = path.toLowerCase();
    let real: string | undefined;
    try {
      real = await this.lookUp(path);
    } catch {
      // Not an answer (its call did not return, lookups paused): asked again on the app's next request.
      this.waiting.delete(key);
      return;
    }
    if (this.work.isStopped) return;
    this.known.set(key, real ?? null);
    const apps = this.waiting.get(key) ?? new Set<string>();
    this.waiting.delete(key);
    if (real && real !== path) this.onResolved(apps);
  }
}
