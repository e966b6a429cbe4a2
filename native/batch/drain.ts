// Takes events out of an event ring in batches on the JS thread: while a backlog lasts, one batch per turn of the
// event loop (timers and I/O run in between), small at first and doubling (so a burst does not hold the thread at
// once, and a flood is taken in large batches); after a quiet spell, a look every `idleMs`, so that the first event
// (the one that may open a prompt) is taken at once. Under a steady flow the owner takes the events itself when it
// needs them (takeNow: core before it builds each delta batch) and the reader's own looks wait `flowMs`: the same
// events handled in one burst per batch instead of ten small ones cost core about half the CPU each (bench/bursts.ts:
// a processor that slept since the last burst runs its first microseconds slowly), and reach the window with the same
// batch as before. Nothing here waits for WFP and WFP never waits for this (its thread only copies), so there is no
// thread hop per event. Events the ring had to drop are reported as lost with the next batch: counted, never silent.
import type { NetEvent } from '../api.js';
import type { EventRing } from './event-ring.js';

export interface RingDrainHandlers {
  onEvent(event: NetEvent): void;
  onMalformed(reason: string): void;
  /** `count` more events did not fit in the ring and were dropped. */
  onDropped(count: number): void;
}

export interface RingDrainOptions {
  /** Pause between looks at an empty ring. Bounds the added latency. Default 10 ms. */
  readonly idleMs?: number;
  /**
   * Pause between the reader's own looks while the owner takes the events (takeNow found some): a fallback for when
   * the owner stops taking. Default 250 ms.
   */
  readonly flowMs?: number;
  /**
   * Events decoded per turn of the event loop at most, once a backlog lasts. Default 2,048: core handles each in the
   * same turn (a few µs), so that a turn stays near 10 ms and commands and timers get their turn in between.
   */
  readonly perTurn?: number;
}

const TAKE = 1_024;
const FIRST_TURN = 64;
/** Events found waiting by the owner's take that make a steady flow (640 a second at a batch every 100 ms). */
const FLOW = 64;

export class RingDrain {
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private stopped = false;
  private droppedSeen = 0;
  private readonly idleMs: number;
  private readonly flowMs: number;
  private readonly perTurn: number;
  private turnSize = FIRST_TURN;
  /** The owner's last takeNow found a flow of events (FLOW or more): it takes them itself. */
  private ownerTakes = false;

  constructor(
    private readonly ring: EventRing,
    private readonly handlers: RingDrainHandlers,
    options: RingDrainOptions = {},
  ) {
    this.idleMs = options.idleMs ?? 10;
    this.flowMs = options.flowMs ?? 250;
    this.perTurn = options.perTurn ?? 2_048;
  }

  start(): void {
    if (this.stopped || this.timer || this.immediate) return;
    this.schedule(false);
  }

  /** Takes up to `max` events now; returns how many. */
  drainNow(max = Infinity): number {
    let taken = 0;
    for (;;) {
      const n = this.ring.take(this.handlers.onEvent, this.handlers.onMalformed, Math.min(TAKE, max - taken));
      taken += n;
      if (n < TAKE || taken >= max) break;
    }
    this.reportDrops();
    return taken;
  }

  /**
   * The owner takes up to `max` events now (core, before it builds a delta batch); returns how many. While it finds a
   * flow (64 or more), the reader's own looks wait `flowMs`; once it finds less, or a look of the reader's finds
   * none, they are back to every `idleMs`.
   */
  takeNow(max = this.perTurn): number {
    if (this.stopped) return 0;
    const taken = this.drainNow(max);
    // A flow, not the odd event of a quiet PC (broadcast noise, a retry): those keep the reader's prompt looks.
    this.ownerTakes = taken >= FLOW;
    // A look of its own due in a few ms would only split the next batch's events into two bursts; a backlog left
    // behind is taken from the next turn on, as the reader's own backlogs are.
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.schedule(taken >= max);
    }
    return taken;
  }

  /** No more scheduled takes; what is still in the ring stays there (drainNow takes it). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    this.reportDrops();
  }

  private reportDrops(): void {
    const dropped = this.ring.stats().dropped;
    if (dropped > this.droppedSeen) {
      const count = dropped - this.droppedSeen;
      this.droppedSeen = dropped;
      this.handlers.onDropped(count);
    }
  }

  private turn(): void {
    this.timer = undefined;
    this.immediate = undefined;
    if (this.stopped) return;
    let busy = false;
    try {
      const taken = this.drainNow(this.turnSize);
      busy = taken >= this.turnSize;
      this.turnSize = busy ? Math.min(this.perTurn, this.turnSize * 2) : Math.min(this.perTurn, FIRST_TURN);
      if (taken === 0) this.ownerTakes = false;
    } finally {
      if (!this.stopped) this.schedule(busy);
    }
  }

  private schedule(busy: boolean): void {
    if (busy) {
      this.immediate = setImmediate(() => this.turn());
    } else {
      this.timer = setTimeout(() => this.turn(), this.ownerTakes ? this.flowMs : this.idleMs);
      // An idle drain must not keep a process (the CLI's watch ends on its own terms) alive.
      this.timer.unref();
    }
  }
}
