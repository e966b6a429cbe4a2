// Background work off the event path (signature checks, reverse lookups, real-case paths): a bounded queue that
// starts at most `concurrency` items at once, optionally in rounds, from a timer rather than from the caller, so that
// asking stays O(1) on the event path. When full, new items are refused, never queued without bound; stop() drops
// what has not started.
import type { Clock, Timers } from './runtime';

export interface WorkQueueOptions {
  readonly maxQueued: number;
  readonly concurrency: number;
  /**
   * Starts work in rounds at least this far apart, each starting as many items as `concurrency` allows, together.
   * Items started together are asked of the file-lookup thread in one message and answered in one, so the event
   * path's thread wakes once for the lot instead of once for each (docs/benchmarks.md, History, "File lookups on a
   * thread of their own"). Without it an item starts as soon as a slot frees.
   */
  readonly roundMs?: number;
}

export class WorkQueue<T> {
  private readonly items: T[] = [];
  private running = 0;
  private armed = false;
  private stopped = false;
  private lastRound = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly timers: Timers,
    private readonly clock: Clock,
    private readonly work: (item: T) => Promise<void>,
    private readonly options: WorkQueueOptions,
  ) {}

  get full(): boolean {
    return this.items.length >= this.options.maxQueued;
  }

  /** Waiting and running. */
  get pending(): number {
    return this.items.length + this.running;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Queues `item`; false (and nothing queued) when stopped or full. */
  push(item: T): boolean {
    if (this.stopped || this.full) return false;
    this.items.push(item);
    this.arm();
    return true;
  }

  stop(): void {
    this.stopped = true;
    this.items.length = 0;
  }

  private arm(): void {
    if (this.armed) return;
    this.armed = true;
    const wait = Math.max(0, this.lastRound + (this.options.roundMs ?? 0) - this.clock.now());
    this.timers.setTimeout(() => {
      this.armed = false;
      this.pump();
    }, wait);
  }

  private pump(): void {
    if (this.stopped || this.items.length === 0) return;
    const roundMs = this.options.roundMs ?? 0;
    if (roundMs > 0 && this.clock.now() - this.lastRound < roundMs) {
      this.arm();
      return;
    }
    // No free slot: a finishing item arms the queue again.
    if (this.running >= this.options.concurrency) return;
    this.lastRound = this.clock.now();
    while (this.running < this.options.concurrency && this.items.length > 0) {
      const item = this.items.shift() as T;
      this.running++;
      void this.work(item)
        .catch(() => undefined) // each worker reports its own failures; the queue must go on
        .finally(() => {
          this.running--;
          if (this.items.length > 0) this.arm();
        });
    }
  }
}
