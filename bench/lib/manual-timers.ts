// Core's clock and timers driven by the benchmark: time advances as the benchmark says and due timers (the delta
// batcher's, housekeeping) run when it says, inside the section it times, so batch building is measured with the
// events that caused it.
import type { Clock, Timers } from '../../electron/core/util/runtime';

export class ManualTime implements Clock, Timers {
  private t: number;
  private readonly pending = new Map<number, { due: number; fn: () => void }>();
  private nextId = 1;

  constructor(start = Date.now()) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): number {
    const id = this.nextId++;
    this.pending.set(id, { due: this.t + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Moves time forward by `ms` and runs every timer due by then, in order of their deadlines. */
  advance(ms: number): void {
    this.t += ms;
    for (;;) {
      let first: [number, { due: number; fn: () => void }] | undefined;
      for (const entry of this.pending)
        if (entry[1].due <= this.t && (!first || entry[1].due < first[1].due)) first = entry;
      if (!first) return;
      this.pending.delete(first[0]);
      first[1].fn();
    }
  }
}
