// The simulator's flood maker (bench/lib/sim-bench.ts, native/sim/src/bench_flood.c), which makes benchmark 4's
// attempts on a thread of its own: the CPU figure it leaves out must be the attempts it made, at the rate asked,
// each classified and delivered like any other attempt.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadSimBench } from '../../bench/lib/sim-bench.js';
import { WfpEngine } from '../../native/engine.js';
import type { SimConnection } from '../../native/sim-control.js';
import { collect, simulator, sleep } from './helpers.js';

const { sim, lib } = simulator();
const bench = loadSimBench();

const inbound = (i: number): SimConnection => ({
  appPath: `C:\\Program Files\\Flood\\app${i}.exe`,
  localAddress: '192.168.1.10',
  remoteAddress: `198.51.100.${i}`,
  localPort: 3389,
  remotePort: 50_000 + i,
  protocol: 6,
  direction: 'in',
});

describe('flood maker', () => {
  let engine: WfpEngine | undefined;
  beforeAll(() => sim.reset());
  afterEach(async () => {
    try {
      bench.stopFlood();
    } catch {
      // none running: the test stopped it itself
    }
    await engine?.close();
    engine = undefined;
    sim.reset();
  });

  it('makes each attempt its number of times, in order, and each arrives as a blocked event', async () => {
    engine = await WfpEngine.open(lib, { dynamic: true });
    const events = await collect(engine);
    bench.startFlood(
      [
        { connection: inbound(1), repeat: 2 },
        { connection: inbound(2), repeat: 1 },
        { connection: inbound(3), repeat: 3 },
      ],
      2_000,
      5,
    );
    await events.next(6);
    const flood = bench.stopFlood();
    expect(flood.made).toBe(6);
    expect(flood.notBlocked).toBe(0);
    expect(flood.cpuMs).toBeGreaterThanOrEqual(0);
    expect(events.events.map((e) => e.remotePort)).toEqual([50_001, 50_001, 50_002, 50_003, 50_003, 50_003]);
    expect(
      events.events.every((e) => e.type === 'drop' && e.appPath?.endsWith(`app${e.remotePort! - 50_000}.exe`)),
    ).toBe(true);
    await events.subscription.stop();
  });

  it('keeps to its rate: stopped early, it has made only what the time allowed', async () => {
    const attempts = Array.from({ length: 10_000 }, (_, i) => ({ connection: inbound(1 + (i % 200)), repeat: 1 }));
    bench.startFlood(attempts, 1_000, 10);
    await sleep(300);
    const flood = bench.stopFlood();
    // 300 ms at 1,000 a second is about 300; a starved thread makes fewer, never all 10,000 at once.
    expect(flood.made).toBeGreaterThan(0);
    expect(flood.made).toBeLessThan(3_000);
  });

  it('counts an attempt that was not blocked, so that a flood the baseline lets through cannot pass for one', async () => {
    bench.startFlood(
      [{ connection: { ...inbound(9), direction: 'out', localPort: 50_009, remotePort: 443 }, repeat: 4 }],
      1_000,
      5,
    );
    await sleep(100);
    const flood = bench.stopFlood();
    expect(flood).toMatchObject({ made: 4, notBlocked: 4 });
  });

  it('runs one flood at a time and says when there is none to stop', () => {
    bench.startFlood([{ connection: inbound(1), repeat: 1 }], 1_000, 10);
    expect(() => bench.startFlood([{ connection: inbound(2), repeat: 1 }], 1_000, 10)).toThrow(
      'sim_bench_flood_start failed with 170',
    );
    bench.stopFlood();
    expect(() => bench.stopFlood()).toThrow('sim_bench_flood_stop failed with 5023');
  });
});
