// Under a flood the page must get small, steady batches: the log part capped with a count of what was left out,
// each app's row at most once a second, a snapshot no bigger than what the page keeps; and everything core keeps
// per event stays bounded.
import { describe, expect, it } from 'vitest';
import type { NetEvent } from '../../../native/api';
import { EndpointSet } from '../../../electron/core/apps/endpoint-set';
import { IdentityResolver } from '../../../electron/core/apps/identity';
import { serviceSid } from '../../../electron/core/apps/service-sids';
import { EventQueue } from '../../../electron/core/backend/event-queue';
import { LruMap } from '../../../electron/core/util/bounded';
import { drop } from './support/memory-backend';
import { startCore } from './support/core-harness';

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

describe('a flood of events', () => {
  it('100,000 events for one app: every batch carries at most 500 log entries, counts the rest and stays small', async () => {
    const h = await startCore();
    h.time.advance(200);
    h.deltas.length = 0;
    const key = 'path:c:\\apps\\flood.exe';
    // 100,000 events over 10 s: 1,000 per 10 ms, batches every 100 ms as the timer sends them.
    for (let tick = 0; tick < 100; tick++) {
      for (let i = 0; i < 1_000; i++) {
        h.backend.emit(
          drop('C:\\Apps\\flood.exe', { remotePort: 1_000 + (i % 50), remoteAddress: `10.0.${tick}.${i % 200}` }),
        );
      }
      h.time.advance(100);
    }
    h.time.advance(1_000);

    const carried = h.deltas.reduce((n, d) => n + (d.activity?.length ?? 0), 0);
    const skipped = h.deltas.reduce((n, d) => n + (d.activitySkipped ?? 0), 0);
    expect(carried + skipped).toBe(100_000);
    // About 1,000 entries per second reach the page, never more than 500 in one batch.
    expect(Math.max(...h.deltas.map((d) => d.activity?.length ?? 0))).toBeLessThanOrEqual(500);
    expect(carried).toBeLessThanOrEqual(11 * 1_000 + 500);
    // What is sent is the newest of each batch.
    const last = h.deltas.filter((d) => d.activity?.length).at(-1)!;
    expect(last.activity!.at(-1)!.seq).toBe(h.core.status().counters.eventsIn);

    // The app's row goes out about once a second, not in every batch, and ends with the full count.
    const rows = h.deltas.flatMap((d) => d.apps ?? []).filter((a) => a.identity.key === key);
    expect(rows.length).toBeGreaterThanOrEqual(10);
    expect(rows.length).toBeLessThanOrEqual(13);
    expect(rows.at(-1)!.blockedCount).toBe(100_000);

    const sizes = h.deltas.map(bytes);
    expect(Math.max(...sizes)).toBeLessThan(200_000);
    // Bytes per second do not follow the event rate: about 1,000 log entries a second (~200 bytes each) and one
    // row a second, under 3 MB for the 11 s, where sending every entry would be 20 MB.
    const total = sizes.reduce((a, b) => a + b, 0);
    expect(total).toBeLessThan(3_000_000);
    expect(total).toBeLessThan(bytes(h.core.snapshot().activity.slice(0, 1)) * 100_000 * 0.15);
    await h.core.stop();
  });

  it('a state change goes out with the next batch even while the app row is paced', async () => {
    const h = await startCore();
    h.backend.emit(drop('C:\\Apps\\a.exe'));
    h.time.advance(100);
    h.backend.emit(drop('C:\\Apps\\a.exe'));
    await h.core.handlers['apps.decide']({ appKeys: ['path:c:\\apps\\a.exe'], decision: 'ignore' });
    h.deltas.length = 0;
    h.time.advance(100);
    const row = h.deltas.flatMap((d) => d.apps ?? []).find((a) => a.identity.key === 'path:c:\\apps\\a.exe');
    expect(row?.state).toBe('ignored');
    expect(row?.blockedCount).toBe(2);
    await h.core.stop();
  });

  it('snapshot.get and its pages carry at most the log entries the page keeps', async () => {
    const h = await startCore();
    await h.core.handlers['settings.update']({ patch: { activityLogSize: 50_000 } });
    for (let i = 0; i < 30_000; i++) h.backend.emit(drop('C:\\Apps\\a.exe', { remotePort: i % 60_000 }));
    const snapshot = await h.core.handlers['snapshot.get']({});
    const activity = [...snapshot.activity];
    expect(activity.at(-1)!.seq).toBe(30_000);
    for (let before = snapshot.activityNext; before !== undefined;) {
      const page = await h.core.handlers['snapshot.activity']({ before, limit: 2_000 });
      activity.unshift(...page.activity);
      before = page.next;
    }
    expect(activity).toHaveLength(20_000);
    expect(activity[0]!.seq).toBe(10_001);
    await h.core.handlers['settings.update']({ patch: { activityLogSize: 1_000 } });
    const small = await h.core.handlers['snapshot.get']({});
    expect(small.activity).toHaveLength(1_000);
    expect(small.activityNext).toBeUndefined();
    await h.core.stop();
  });
});

describe('bounded state on the event path', () => {
  const event = (appPath: string, extra: Partial<NetEvent> = {}) => drop(appPath, extra) as NetEvent;

  it('remembers identities per app path up to its size, and gives one app the same identity every time', () => {
    const resolver = new IdentityResolver(100);
    const first = resolver.fromEvent(event('C:\\Apps\\one.exe'));
    expect(resolver.fromEvent(event('C:\\Apps\\one.exe'))).toBe(first);
    for (let i = 0; i < 10_000; i++) resolver.fromEvent(event(`C:\\Apps\\app${i}.exe`));
    expect(resolver.cachedCount).toBeLessThanOrEqual(100);
    // Forgotten, then worked out again: the same key and name.
    const again = resolver.fromEvent(event('C:\\Apps\\one.exe'));
    expect(again).toEqual(first);
  });

  it('gives svchost one cached identity whatever user SID the header carries', () => {
    const resolver = new IdentityResolver();
    const svchost = 'C:\\Windows\\System32\\svchost.exe';
    const dns = resolver.fromEvent(event(svchost, { userSid: serviceSid('Dnscache') }));
    expect(dns.key).toBe('path:c:\\windows\\system32\\svchost.exe');
    expect(resolver.fromEvent(event(svchost, { userSid: 'S-1-5-20' }))).toBe(dns);
    expect(resolver.fromEvent(event(svchost, { userSid: serviceSid('BITS') }))).toBe(dns);
  });

  it('forgets the least recently touched entry, whatever order touches came in', () => {
    const lru = new LruMap<string, number>(3);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.set('c', 3);
    lru.get('a');
    lru.get('b');
    lru.set('d', 4); // c is the least recently touched
    expect([...lru.keys()]).toEqual(['a', 'b', 'd']);
    lru.set('e', 5); // then a
    expect([...lru.keys()]).toEqual(['b', 'd', 'e']);
    expect(lru.newest(2)).toEqual([5, 4]);
  });

  it('keeps the most recent distinct endpoints, newest first', () => {
    const set = new EndpointSet(3);
    set.record('1.1.1.1', 443, 6, 1);
    set.record('1.1.1.1', 53, 17, 2);
    set.record('2.2.2.2', 443, 6, 3);
    set.record('1.1.1.1', 443, 6, 4); // touched again
    set.record('3.3.3.3', 80, 6, 5); // evicts 1.1.1.1:53/udp
    expect(set.newestFirst()).toEqual([
      { address: '3.3.3.3', port: 80, protocol: 6, count: 1, lastSeen: 5 },
      { address: '1.1.1.1', port: 443, protocol: 6, count: 2, lastSeen: 4 },
      { address: '2.2.2.2', port: 443, protocol: 6, count: 1, lastSeen: 3 },
    ]);
    set.record('1.1.1.1', 53, 17, 6); // back as a new endpoint
    expect(set.size).toBe(3);
    expect(set.newestFirst().map((e) => `${e.address}:${e.port}`)).toEqual(['1.1.1.1:53', '3.3.3.3:80', '1.1.1.1:443']);
  });
});

describe('event queue between the WFP callback and the pipeline', () => {
  const ev = (n: number) => ({ time: n }) as NetEvent;

  it('delivers in order after the callback returned, counts overflow as lost, and nothing after close', async () => {
    const got: number[] = [];
    let lost = 0;
    const queue = new EventQueue(
      (e) => got.push(e.time),
      (n) => (lost += n),
      5,
    );
    for (let i = 0; i < 8; i++) queue.push(ev(i));
    expect(got).toEqual([]); // the callback only enqueues
    await new Promise((r) => setImmediate(r));
    expect(got).toEqual([0, 1, 2, 3, 4]);
    expect(lost).toBe(3);

    queue.push(ev(10));
    queue.push(ev(11));
    queue.close(); // what was received still reaches the pipeline, synchronously
    expect(got).toEqual([0, 1, 2, 3, 4, 10, 11]);
    queue.push(ev(12));
    await new Promise((r) => setImmediate(r));
    expect(got).toEqual([0, 1, 2, 3, 4, 10, 11]);
  });

  it('hands events taken from the ring to the pipeline at once, behind any still waiting, and none after close', async () => {
    const got: number[] = [];
    const queue = new EventQueue(
      (e) => got.push(e.time),
      () => undefined,
    );
    queue.pass(ev(0));
    expect(got).toEqual([0]); // no WFP thread waits for it: handled in the reader's own turn

    queue.push(ev(1)); // from a per-event callback: waits for its turn
    queue.pass(ev(2));
    expect(got).toEqual([0]); // behind the one waiting, in order
    await new Promise((r) => setImmediate(r));
    expect(got).toEqual([0, 1, 2]);

    queue.close();
    queue.pass(ev(3));
    expect(got).toEqual([0, 1, 2]);
  });
});
