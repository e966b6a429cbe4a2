// The background queue behind signature checks, reverse lookups and real-case paths: bounded, at most `concurrency`
// at once, starts in rounds when asked, and nothing new starts after stop.
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

  it('starts work in rounds: a round starts what the free slots allow together, the next one a round later', async () => {
    const starts: number[] = [];
    const q = new WorkQueue<number>(
      timers,
      systemClock,
      async (n) => {
        starts.push(Date.now());
        if (n === 0) throw new Error('unreadable');
      },
      { maxQueued: 10, concurrency: 2, roundMs: 30 },
    );
    for (let i = 0; i < 5; i++) q.push(i);
    while (starts.length < 5) await sleep(2);
    // Items 0 and 1 start together; so do 2 and 3, a round later; 4 a round after that. The failing item 0 does not
    // stop the queue.
    expect(starts[1]! - starts[0]!).toBeLessThan(10);
    expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(28);
    expect(starts[3]! - starts[2]!).toBeLessThan(10);
    expect(starts[4]! - starts[3]!).toBeGreaterThanOrEqual(28);
    q.push(5);
    q.stop();
    expect(q.push(6)).toBe(false);
    await sleep(80);
    expect(starts).toHaveLength(5);
  });
});
