// When the event ring's reader looks: the first event after a quiet spell within 10 ms (it may open a prompt);
// under a steady flow core takes the events itself before each delta batch, and the reader's own looks wait, so
// that the flow is handled in one burst per batch; a backlog is taken turn after turn; when the flow stops, looks
// are every 10 ms again. A ring stand-in counts what is taken and when.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NetEvent } from '../../native/api';
import { RingDrain } from '../../native/batch/drain';
import type { EventRing } from '../../native/batch/event-ring';

class StandInRing {
  waiting = 0;
  readonly takes: { at: number; count: number }[] = [];
  ring(): EventRing {
    return {
      callback: null,
      context: null,
      version: 5,
      take: (deliver, _malformed, max = Infinity) => {
        const count = Math.min(this.waiting, max);
        this.waiting -= count;
        for (let i = 0; i < count; i++) deliver({ time: Date.now() } as NetEvent);
        this.takes.push({ at: Date.now(), count });
        return count;
      },
      stats: () => ({ accepted: 0, dropped: 0, bytesInUse: 0, capacity: 0 }),
      close: () => undefined,
      destroy: () => undefined,
    };
  }
}

describe('the event ring reader', () => {
  let ring: StandInRing;
  let delivered: number;
  let drain: RingDrain;

  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
    ring = new StandInRing();
    delivered = 0;
    drain = new RingDrain(ring.ring(), {
      onEvent: () => delivered++,
      onMalformed: () => undefined,
      onDropped: () => undefined,
    });
    drain.start();
  });

  afterEach(() => {
    drain.stop();
    vi.useRealTimers();
  });

  it('takes the first event after a quiet spell within 10 ms', () => {
    vi.advanceTimersByTime(1_000);
    ring.waiting = 1;
    vi.advanceTimersByTime(10);
    expect(delivered).toBe(1);
  });

  it('leaves a steady flow to core, which takes it before each batch, until the flow stops', () => {
    // 10,000 events a second, 100 every 10 ms; core's batch every 100 ms takes what waits.
    for (let batch = 0; batch < 10; batch++) {
      for (let step = 0; step < 10; step++) {
        vi.advanceTimersByTime(5);
        ring.waiting += 100;
        if (step === 9) drain.takeNow();
        vi.advanceTimersByTime(5);
      }
    }
    expect(delivered).toBe(10_000);
    // After core's first take, every event went in core's bursts of 1,000: the reader's own looks found nothing.
    const ownTakesAfterFirstBatch = ring.takes.filter((t) => t.at > 100 && t.count > 0 && t.count < 1_000);
    expect(ownTakesAfterFirstBatch).toEqual([]);

    // The flow stops: core's next take finds nothing, and a single event is again taken within 10 ms.
    drain.takeNow();
    vi.advanceTimersByTime(500);
    ring.waiting = 1;
    vi.advanceTimersByTime(10);
    expect(delivered).toBe(10_001);
  });

  it('keeps looking every 10 ms on a quiet PC, where a batch finds only the odd event', () => {
    for (let batch = 0; batch < 10; batch++) {
      vi.advanceTimersByTime(95);
      ring.waiting += 3; // broadcast noise, a retry: 30 events a second
      drain.takeNow();
    }
    expect(delivered).toBe(30);
    ring.waiting = 1; // a new app's first attempt, which may open a prompt
    vi.advanceTimersByTime(10);
    expect(delivered).toBe(31);
  });

  it('looks by itself when core stops taking during a flow, within 250 ms', () => {
    ring.waiting = 100;
    drain.takeNow();
    ring.waiting = 100;
    vi.advanceTimersByTime(249);
    expect(delivered).toBe(100);
    vi.advanceTimersByTime(1);
    vi.runOnlyPendingTimers(); // the rest of what it found, in the next turn
    expect(delivered).toBe(200);
  });

  it('takes a backlog larger than one take turn after turn, without waiting', () => {
    ring.waiting = 10_000;
    drain.takeNow(2_048);
    expect(delivered).toBe(2_048);
    for (let turn = 0; turn < 12 && ring.waiting > 0; turn++) vi.runOnlyPendingTimers();
    expect(delivered).toBe(10_000);
    // Turn after turn (the fake clock moves a millisecond per turn), never waiting for a look 10 ms later.
    expect(Math.max(...ring.takes.map((t) => t.at))).toBeLessThan(10);
  });
});
