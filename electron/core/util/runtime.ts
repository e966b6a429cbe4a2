// Time, timers and ids come from here so that tests can replace them; nothing in core reads Date.now directly.
import { randomUUID } from 'node:crypto';

export interface Clock {
  now(): number;
}

export type TimerHandle = unknown;

export interface Timers {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export type IdSource = () => string;

export const systemClock: Clock = { now: () => Date.now() };

export const systemTimers: Timers = {
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    // Core's own housekeeping must never keep a CLI process alive on its own.
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export const randomIds: IdSource = () => randomUUID();

/** A timer that fires once, re-armable; arming again before it fired keeps the earlier deadline. */
export class OneShot {
  private handle: TimerHandle | undefined;
  private due = Infinity;

  constructor(
    private readonly timers: Timers,
    private readonly clock: Clock,
    private readonly fire: () => void,
  ) {}

  armAt(time: number): void {
    if (this.handle !== undefined && this.due <= time) return;
    this.cancel();
    this.due = time;
    const delay = Math.max(0, Math.min(time - this.clock.now(), 2_147_000_000));
    this.handle = this.timers.setTimeout(() => {
      this.handle = undefined;
      this.due = Infinity;
      this.fire();
    }, delay);
  }

  cancel(): void {
    if (this.handle !== undefined) this.timers.clearTimeout(this.handle);
    this.handle = undefined;
    this.due = Infinity;
  }

  get armed(): boolean {
    return this.handle !== undefined;
  }
}
