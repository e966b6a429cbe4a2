// Paths in the case they are written on disk, for display: WFP's application ids are lower case. Each program's
// path is looked up once (FindFirstFileW per component, on koffi's worker threads), off the event path; the key that
// identifies an app stays lower case, only what people read changes.
import { LruMap } from '../util/bounded';
import type { Timers } from '../util/runtime';

export class RealCasePaths {
  private readonly known: LruMap<string, string | null>;
  private readonly queue: string[] = [];
  private readonly waiting = new Map<string, Set<string>>();
  private running = false;
  private stopped = false;

  constructor(
    private readonly lookUp: (path: string) => Promise<string | undefined>,
    private readonly timers: Timers,
    private readonly onResolved: (appKeys: ReadonlySet<string>) => void,
    size = 8_192,
    private readonly maxQueued = 1_024,
  ) {
    this.known = new LruMap(size);
  }

  /** The path as written on disk, when known. O(1). */
  of(path: string): string | undefined {
    return this.known.peek(path.toLowerCase()) ?? undefined;
  }

  /** A real-case path learnt elsewhere (the DNS client's process image names). */
  learn(path: string): void {
    this.known.set(path.toLowerCase(), path);
  }

  /** Asks for `path`'s real case on behalf of `appKey`. O(1); once per path. */
  request(path: string, appKey: string): void {
    if (this.stopped || !/^[a-z]:\\/i.test(path)) return;
    const key = path.toLowerCase();
    if (this.known.has(key)) return;
    const waiting = this.waiting.get(key);
    if (waiting) {
      if (waiting.size < 16) waiting.add(appKey);
      return;
    }
    if (this.queue.length >= this.maxQueued) return;
    this.waiting.set(key, new Set([appKey]));
    this.queue.push(path);
    if (!this.running) {
      this.running = true;
      this.timers.setTimeout(() => void this.drain(), 0);
    }
  }

  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
  }

  private async drain(): Promise<void> {
    while (!this.stopped && this.queue.length > 0) {
      const path = this.queue.shift() as string;
      const key = path.toLowerCase();
      let real: string | undefined;
      try {
        real = await this.lookUp(path);
      } catch {
        real = undefined;
      }
      if (this.stopped) break;
      this.known.set(key, real ?? null);
      const apps = this.waiting.get(key) ?? new Set<string>();
      this.waiting.delete(key);
      if (real && real !== path) this.onResolved(apps);
    }
    this.running = false;
  }
}
