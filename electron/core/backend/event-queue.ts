// Hands decoded events from the WFP callback to the pipeline without making WFP's delivery thread wait for it.
// The callback only decodes (the event's memory is WFP's only during the call) and enqueues; the pipeline drains
// the queue from setImmediate in slices, so its work overlaps the next thread hop instead of adding to it.
// Bounded: past `capacity` waiting events, new ones are dropped and reported as lost. Events taken from the event
// ring keep no WFP thread waiting (the ring's reader takes them in turns of its own): they go to the pipeline at
// once, one after the other as decoded, unless earlier ones still wait (order is kept).
import type { NetEvent } from '../../../native/api';

export const EVENT_QUEUE_CAPACITY = 50_000;
/** Events handled per turn of the event loop before timers and I/O get a chance. */
const SLICE = 2_000;

export class EventQueue {
  private items: (NetEvent | undefined)[] = [];
  private head = 0;
  private scheduled = false;
  private closed = false;
  private dropped = 0;

  constructor(
    private readonly deliver: (event: NetEvent) => void,
    private readonly lost: (count: number) => void,
    private readonly capacity = EVENT_QUEUE_CAPACITY,
  ) {}

  get waiting(): number {
    return this.items.length - this.head;
  }

  push(event: NetEvent): void {
    if (this.closed) return;
    if (this.waiting >= this.capacity) {
      this.dropped++;
    } else {
      this.items.push(event);
    }
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drainSlice());
    }
  }

  /** An event no WFP thread waits for: handled now when none waits before it, else queued behind them. */
  pass(event: NetEvent): void {
    if (this.closed) return;
    if (this.waiting > 0) this.push(event);
    else this.handOn(event);
  }

  /** Delivers everything still waiting, then accepts nothing more: after this no event reaches the pipeline. */
  close(): void {
    if (this.closed) return;
    this.drain(Infinity);
    this.closed = true;
    this.items = [];
    this.head = 0;
  }

  private drainSlice(): void {
    this.scheduled = false;
    if (this.closed) return;
    this.drain(SLICE);
    if (this.waiting > 0 && !this.closed) {
      this.scheduled = true;
      setImmediate(() => this.drainSlice());
    }
  }

  private drain(limit: number): void {
    if (this.dropped > 0) {
      const count = this.dropped;
      this.dropped = 0;
      this.lost(count);
    }
    const end = Math.min(this.items.length, this.head + limit);
    while (this.head < end) {
      const event = this.items[this.head] as NetEvent;
      this.items[this.head++] = undefined;
      this.handOn(event);
    }
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    } else if (this.head > 4_096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  private handOn(event: NetEvent): void {
    try {
      this.deliver(event);
    } catch {
      // The sink counts what it cannot process; one bad event must not stop the others.
    }
  }
}
