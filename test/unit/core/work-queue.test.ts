// The background queue behind signature checks, reverse lookups and real-case paths: bounded, at most `concurrency`
// at once, starts spaced out when asked, and nothing new starts after stop.
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../electron/core/util/runtime';
import { WorkQueue } from '../../../electron/core/util/work-queue';

const timers = {
  setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
  clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout),
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('WorkQueue', () => {
  it('refuses work beyond its bound and runs at most `concurrency` items at once', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    const q = new WorkQueue<number>(
      timers,
      systemClock,
      async (n) => {
        most = Math.max(most, ++running);
        await sleep(5);
        running--;
        done.push(n);
      },
      { maxQueued: 5, concurrency: 2 },
    );
    const accepted = Array.from({ length: 8 }, (_, i) => q.push(i));
    expect(accepted).toEqual([true, true, true, true, true, false, false, false]);
    while (q.pending > 0) await sleep(2);
    expect(done.sort()).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });

  it('spaces starts out, goes on after a failing item, and starts nothing after stop', async () => {
    const starts: number[] = [];
    const q = new WorkQueue<number>(
      timers,
      systemClock,
      async (n) => {
        starts.push(Date.now());
        if (n === 0) throw new Error('unreadable');
      },
      { maxQueued: 10, concurrency: 4, spacingMs: 20 },
    );
    q.push(0);
    q.push(1);
    q.push(2);
    while (starts.length < 3) await sleep(2);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(18);
    expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(18);
    q.push(3);
    q.stop();
    expect(q.push(4)).toBe(false);
    await sleep(60);
    expect(starts).toHaveLength(3);
  });
});
