import { describe, expect, it } from 'vitest';
import { AppIndex } from '../../../electron/core/apps/app-index';
import { identityFromPath } from '../../../electron/core/apps/identity';
import { ActivityLog } from '../../../electron/core/pipeline/activity-log';
import { LruMap, Ring } from '../../../electron/core/util/bounded';

const T0 = Date.UTC(2025, 0, 1, 10, 0, 0);

function blockedAt(time: number, remoteAddress = '1.1.1.1', remotePort = 443) {
  return {
    time,
    blocked: true,
    allowed: false,
    direction: 'out' as const,
    protocol: 6,
    remoteAddress,
    remotePort,
    blockedBy: 'windows-firewall' as const,
  };
}

describe('app index', () => {
  it('aggregates counts, endpoints, ports and who blocked', () => {
    const index = new AppIndex({ maxApps: 10, maxEndpointsPerApp: 4 });
    const app = identityFromPath('C:\\Apps\\tool.exe');
    index.observe(app, blockedAt(T0, '10.0.0.1', 80));
    index.observe(app, blockedAt(T0 + 1, '10.0.0.1', 80));
    index.observe(app, {
      time: T0 + 2,
      blocked: false,
      allowed: true,
      remoteAddress: '10.0.0.2',
      remotePort: 53,
      protocol: 17,
    });
    const entry = index.get(app.key)!.toEntry('new', undefined, T0 + 3);
    expect(entry).toMatchObject({
      blockedCount: 2,
      allowedCount: 1,
      firstSeen: T0,
      lastSeen: T0 + 2,
      blockedBy: 'windows-firewall',
    });
    expect(entry.endpoints.map((e) => [e.address, e.port, e.count])).toEqual([
      ['10.0.0.2', 53, 1],
      ['10.0.0.1', 80, 2],
    ]);
    expect(entry.ports).toEqual([53, 80]);
    expect(entry.protocols).toEqual([6, 17]);
    expect(index.blockedCount).toBe(1);
  });

  it('keeps only the most recent distinct endpoints per app', () => {
    const index = new AppIndex({ maxApps: 10, maxEndpointsPerApp: 3 });
    const app = identityFromPath('C:\\a.exe');
    for (let i = 0; i < 100; i++) index.observe(app, blockedAt(T0 + i, `10.0.0.${i}`));
    const entry = index.get(app.key)!.toEntry('new', undefined, T0 + 100);
    expect(entry.endpoints.map((e) => e.address)).toEqual(['10.0.0.99', '10.0.0.98', '10.0.0.97']);
    expect(entry.blockedCount).toBe(100);
  });

  it('forgets the quietest apps beyond its size and reports them as removed', () => {
    const index = new AppIndex({ maxApps: 3, maxEndpointsPerApp: 2 });
    const apps = ['a', 'b', 'c', 'd'].map((n) => identityFromPath(`C:\\${n}.exe`));
    index.observe(apps[0]!, blockedAt(T0));
    index.observe(apps[1]!, blockedAt(T0));
    index.observe(apps[2]!, blockedAt(T0));
    index.observe(apps[0]!, blockedAt(T0 + 1)); // a is active again; b is now the quietest
    index.takeChanges();
    index.observe(apps[3]!, blockedAt(T0 + 2));
    expect(index.size).toBe(3);
    expect(index.get(apps[1]!.key)).toBeUndefined();
    expect(index.get(apps[0]!.key)).toBeDefined();
    expect(index.takeChanges()).toEqual({ changed: [apps[3]!.key], removed: [apps[1]!.key] });
    expect(index.blockedCount).toBe(3);
  });

  it('keeps an hour of attempts per minute for the timeline', () => {
    const index = new AppIndex({ maxApps: 3, maxEndpointsPerApp: 2 });
    const app = identityFromPath('C:\\t.exe');
    index.observe(app, blockedAt(T0));
    index.observe(app, blockedAt(T0 + 30_000));
    index.observe(app, blockedAt(T0 + 5 * 60_000));
    // A late event of an earlier minute (delivered after newer ones) counts in its own minute.
    index.observe(app, blockedAt(T0 + 60_000));
    index.observe(app, blockedAt(T0 + 5 * 60_000 + 10_000));
    const entry = index.get(app.key)!.toEntry('new', undefined, T0 + 5 * 60_000 + 20_000);
    expect(entry.timeline).toHaveLength(60);
    expect(entry.timeline[59]).toBe(2);
    expect(entry.timeline[55]).toBe(1);
    expect(entry.timeline[54]).toBe(2);
    // The current minute's count moves into the hour when the next minute begins.
    index.observe(app, blockedAt(T0 + 6 * 60_000));
    const next = index.get(app.key)!.toEntry('new', undefined, T0 + 6 * 60_000);
    expect(next.timeline.slice(-3)).toEqual([0, 2, 1]);
    const later = index.get(app.key)!.toEntry('new', undefined, T0 + 2 * 3_600_000);
    expect(later.timeline.every((n) => n === 0)).toBe(true);
  });

  it('bounded containers never grow past their capacity', () => {
    const lru = new LruMap<number, number>(5);
    for (let i = 0; i < 1000; i++) lru.set(i, i);
    expect(lru.size).toBe(5);
    expect([...lru.keys()]).toEqual([995, 996, 997, 998, 999]);
    const ring = new Ring<number>(4);
    for (let i = 0; i < 10; i++) ring.push(i);
    expect(ring.toArray()).toEqual([6, 7, 8, 9]);
    ring.resize(2);
    expect(ring.toArray()).toEqual([8, 9]);
    const log = new ActivityLog(100);
    for (let i = 0; i < 10_000; i++)
      log.append({ seq: log.nextSeq(), time: i, appKey: 'k', appName: 'n', verdict: 'blocked' });
    expect(log.entries()).toHaveLength(100);
    expect(log.takeFresh().length).toBeLessThanOrEqual(100);
  });
});
