// Collects what changed and publishes it as one DeltaBatch at most every `intervalMs`, never once per event.
// A timer runs only while something is waiting to be sent.
import type { DeltaBatch } from '../model';
import type { Timers, TimerHandle } from '../util/runtime';

export type DeltaListener = (batch: DeltaBatch) => void;

export class DeltaBatcher {
  private readonly listeners = new Set<DeltaListener>();
  private handle: TimerHandle | undefined;
  private seq = 0;

  constructor(
    private readonly timers: Timers,
    private intervalMs: number,
    /**
     * Builds the batch content from everything marked since the last call; empty object: nothing changed.
     * `forced`: an explicit flush (before a snapshot, at stop), which sends everything instead of pacing it.
     */
    private readonly collect: (forced: boolean) => Omit<DeltaBatch, 'seq'>,
  ) {}

  subscribe(listener: DeltaListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setInterval(ms: number): void {
    this.intervalMs = ms;
  }

  /** Something changed: make sure a batch goes out within the interval. O(1). */
  schedule(): void {
    if (this.handle !== undefined) return;
    this.handle = this.timers.setTimeout(() => {
      this.handle = undefined;
      this.flush(false);
    }, this.intervalMs);
  }

  /** Sends what is waiting now (used before a snapshot is answered and at stop). */
  flush(forced = true): DeltaBatch | undefined {
    if (this.handle !== undefined) {
      this.timers.clearTimeout(this.handle);
      this.handle = undefined;
    }
    const content = this.collect(forced);
    if (Object.keys(content).length === 0) return undefined;
    const batch: DeltaBatch = { seq: ++this.seq, ...content };
    for (const listener of this.listeners) {
      try {
        listener(batch);
      } catch {
        // One failing subscriber must not starve the others.
      }
    }
    return batch;
  }

  get lastSeq(): number {
    return this.seq;
  }

  cancel(): void {
    if (this.handle !== undefined) this.timers.clearTimeout(this.handle);
    this.handle = undefined;
  }
}
