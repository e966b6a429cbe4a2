// Floods for the simulator: blocked attempts queued in bulk while the JS thread is busy, so that afterwards the
// delivery thread hands them over back to back, as fast as the consumer takes them.
import type { SimConnection, SimControl } from '../../native/index';

/** Inbound TCP from `apps` different executables; the baseline blocks unsolicited inbound for every app. */
export function floodConnections(apps: number): SimConnection[] {
  return Array.from({ length: apps }, (_, i) => ({
    appPath: `C:\\Program Files\\Vendor ${i % 7}\\Service ${i}\\svc${i}.exe`,
    localAddress: '192.168.1.10',
    remoteAddress: `198.51.100.${1 + (i % 250)}`,
    localPort: 1024 + i,
    remotePort: 40_000 + (i % 1000),
    protocol: 6,
    direction: 'in' as const,
  }));
}

/** Queues `events` blocked attempts spread over `connections`, synchronously (the JS thread cannot take any meanwhile). */
export function queueFlood(sim: SimControl, connections: readonly SimConnection[], events: number): void {
  sim.setQueueCapacity(Math.max(65_536, events + 1_000));
  const per = Math.ceil(events / connections.length);
  let left = events;
  for (const c of connections) {
    if (left <= 0) break;
    const n = Math.min(per, left);
    const verdict = sim.connectRepeat(c, n);
    if (verdict.action !== 'block') throw new Error(`flood attempt by ${c.appPath} was not blocked`);
    left -= n;
  }
}

/**
 * The same from a worker thread, one connection after another, so that the JS thread stays free to take events
 * meanwhile (the event ring's reader must keep reading, as it does in the app).
 */
export async function queueFloodAsync(
  sim: SimControl,
  connections: readonly SimConnection[],
  events: number,
): Promise<void> {
  sim.setQueueCapacity(Math.max(65_536, events + 1_000));
  const per = Math.ceil(events / connections.length);
  let left = events;
  for (const c of connections) {
    if (left <= 0) break;
    const n = Math.min(per, left);
    const verdict = await sim.connectRepeatAsync(c, n);
    if (verdict.action !== 'block') throw new Error(`flood attempt by ${c.appPath} was not blocked`);
    left -= n;
  }
}

/** Resolves with the time when `count()` reaches `target`; rejects after `timeoutMs`. */
export function whenCount(count: () => number, target: number, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const check = () => {
      if (count() >= target) return resolve(performance.now());
      if (performance.now() - started > timeoutMs)
        return reject(new Error(`only ${count()} of ${target} events arrived in ${timeoutMs} ms`));
      setTimeout(check, 1);
    };
    check();
  });
}
