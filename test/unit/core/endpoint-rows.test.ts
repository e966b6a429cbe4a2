// A busy app's rows no longer repeat its endpoint list: a delta row carries the list only when an endpoint came or
// went or a name changed, otherwise only the order. What the window holds (the rows merged by its own code) must
// still be exactly the app's endpoints now, in their order and with their names, and the detail panel's counts
// come from apps.endpoints.
import { describe, expect, it } from 'vitest';
import type { AppEntry, DeltaBatch, Endpoint } from '../../../electron/core/model';
import { drop, withDnsClient } from './support/memory-backend';
import { settle, startCore, type Harness } from './support/core-harness';
import { pathKey, windowRow } from './support/window-rows';

const APP = 'C:\\Apps\\busy\\busy.exe';
const KEY = pathKey(APP);
const address = (i: number) => `198.51.100.${i + 1}`;
const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

/** What the window shows of an endpoint: no counts (those come from apps.endpoints). */
const shown = (e: Endpoint) => [e.address, e.port, e.hostname, e.hostnameSource];

/** The app's endpoints as core has them now, newest first. */
async function current(h: Harness): Promise<readonly Endpoint[]> {
  return (await h.core.handlers['apps.endpoints']({ appKey: KEY }))!;
}

function rowsOf(deltas: readonly DeltaBatch[]): AppEntry[] {
  return deltas.flatMap((d) => d.apps ?? []).filter((a) => a.identity.key === KEY);
}

/** 32 endpoints, then `seconds` of attempts spread over them (as under a flood), a batch every 100 ms. */
async function busyApp(h: Harness, seconds: number, step = 7): Promise<void> {
  for (let i = 0; i < 32; i++) h.backend.emit(drop(APP, { remoteAddress: address(i) }));
  h.time.advance(100);
  await settle();
  await flood(h, seconds, step);
}

async function flood(h: Harness, seconds: number, step = 7): Promise<void> {
  let n = 0;
  for (let tick = 0; tick < seconds * 10; tick++) {
    for (let k = 0; k < 20; k++) h.backend.emit(drop(APP, { remoteAddress: address((n += step) % 32) }));
    h.time.advance(100);
  }
  await settle();
}

describe("an app's endpoints in its delta rows", () => {
  it('a busy app whose endpoints stay the same gets rows with their order only, and the window still holds them all in order', async () => {
    const h = await startCore();
    await busyApp(h, 6);
    h.time.advance(1_100);
    const rows = rowsOf(h.deltas);
    expect(rows.length).toBeGreaterThanOrEqual(6);
    // The first row lists all 32; the rows after it (about one a second) carry only their order.
    expect(rows[0]!.endpoints).toHaveLength(32);
    const later = rows.slice(-4);
    for (const row of later) {
      expect(row.endpoints).toEqual([]);
      expect(row.endpointOrder).toHaveLength(32);
      expect(bytes(row)).toBeLessThan(bytes(rows[0]) / 3);
    }
    // The window's list is core's: every endpoint, newest first (the order changed with every batch).
    const held = windowRow(h.deltas, KEY)!;
    expect(held.endpoints.map(shown)).toEqual((await current(h)).map(shown));
    expect(new Set(later.map((r) => r.endpointOrder!.join())).size).toBeGreaterThan(1);
    await h.core.stop();
  });

  it('a new endpoint reaches the window with the next row, newest first, and the evicted one leaves; the row carries that one only', async () => {
    const h = await startCore();
    await busyApp(h, 2);
    h.time.advance(1_100);
    const before = h.deltas.length;
    h.backend.emit(drop(APP, { remoteAddress: '203.0.113.99', remotePort: 8443 }));
    h.time.advance(1_100);
    // The row carries the new endpoint only, and where the 31 it kept are in the list the window has.
    const last = rowsOf(h.deltas.slice(before)).at(-1)!;
    expect(last.endpoints.map((e) => e.address)).toEqual(['203.0.113.99']);
    expect(last.endpointOrder).toHaveLength(32);
    expect(last.endpointOrder![0]).toBe(-1);
    expect(last.endpointsVersion).toBeGreaterThan(last.endpointsBase!);
    const held = windowRow(h.deltas, KEY)!;
    expect(held.endpoints[0]).toMatchObject({ address: '203.0.113.99', port: 8443 });
    expect(held.endpoints.map(shown)).toEqual((await current(h)).map(shown));
    await h.core.stop();
  });

  it('a row where most endpoints changed carries the whole list, and readers that keep no list get it whole', async () => {
    const h = await startCore();
    for (let i = 0; i < 4; i++) h.backend.emit(drop(APP, { remoteAddress: address(i) }));
    h.time.advance(1_100);
    const before = h.deltas.length;
    for (let i = 10; i < 15; i++) h.backend.emit(drop(APP, { remoteAddress: address(i) }));
    h.time.advance(1_100);
    const row = rowsOf(h.deltas.slice(before)).at(-1)!;
    expect(row.endpoints).toHaveLength(9);
    expect(row.endpointsBase).toBeUndefined();
    expect(row.endpointOrder).toBeUndefined();
    // The CLI and the tray read core.snapshot(): whole lists, no versions to follow.
    const alone = h.core.snapshot().apps.find((a) => a.identity.key === KEY)!;
    expect(alone.endpoints.map(shown)).toEqual((await current(h)).map(shown));
    expect(alone).not.toHaveProperty('endpointsVersion');
    expect(alone).not.toHaveProperty('endpointOrder');
    await h.core.stop();
  });

  it("a reverse-DNS name that arrives late shows in the window's list within a second", async () => {
    // A resolver that answers when told to: the name comes after the endpoint was first listed.
    const waiting = new Map<string, (names: string[]) => void>();
    const h = await startCore({
      resolver: { reverse: (a) => new Promise<string[]>((resolve) => waiting.set(a, resolve)) },
    });
    await busyApp(h, 1);
    expect(windowRow(h.deltas, KEY)!.endpoints.find((e) => e.address === address(0))!.hostname).toBeUndefined();
    // Four lookups at a time: the first endpoint's is one of them.
    waiting.get(address(0))!(['late-1.example.net']);
    await settle();
    await flood(h, 1);
    // The row held back by its interval goes out (rows of a busy app lag up to a second, as they always did).
    h.time.advance(1_100);
    const held = windowRow(h.deltas, KEY)!;
    expect(held.endpoints.find((e) => e.address === address(0))).toMatchObject({
      hostname: 'late-1.example.net',
      hostnameSource: 'reverse',
    });
    expect(held.endpoints.map(shown)).toEqual((await current(h)).map(shown));
    // The name went out with the next batch (the answer marks the app), not a second later.
    const named = h.deltas.findIndex((d) =>
      d.apps?.some((r) => r.endpoints.some((e) => e.hostname === 'late-1.example.net')),
    );
    expect(named).toBeGreaterThanOrEqual(0);
    await h.core.stop();
  });

  it('a domain the app looked up names an old endpoint in its next row, though nothing told the app', async () => {
    const { backend, query: onQuery } = withDnsClient();
    const h = await startCore({ backend });
    await busyApp(h, 2);
    onQuery({
      time: h.time.now(),
      processId: 7,
      imagePath: APP,
      name: 'api.busy.example.',
      status: 0,
      results: `::ffff:${address(30)};`,
    });
    // Attempts to other endpoints only: the row that follows must still carry the new name.
    h.backend.emit(drop(APP, { remoteAddress: address(1) }));
    h.time.advance(1_100);
    const held = windowRow(h.deltas, KEY)!;
    expect(held.endpoints.find((e) => e.address === address(30))).toMatchObject({
      hostname: 'api.busy.example',
      hostnameSource: 'dns',
    });
    expect(held.endpoints.map(shown)).toEqual((await current(h)).map(shown));
    await h.core.stop();
  });

  it('apps.endpoints gives the current attempts and last-seen times; null for an app core does not know', async () => {
    const h = await startCore();
    await busyApp(h, 1, 1);
    const now = h.time.now();
    for (let i = 0; i < 5; i++) h.backend.emit(drop(APP, { remoteAddress: address(3) }));
    await settle();
    const list = await current(h);
    expect(list[0]).toMatchObject({ address: address(3), lastSeen: now });
    // One when first seen, a few from the busy second (20 a tick over 32 endpoints, step 1), and these 5.
    const before = windowRow(h.deltas, KEY)!.endpoints.find((e) => e.address === address(3))!.count;
    expect(list[0]!.count).toBeGreaterThanOrEqual(before + 5);
    expect(await h.core.handlers['apps.endpoints']({ appKey: 'path:c:\\nowhere.exe' })).toBeNull();
    await h.core.stop();
  });
});

describe('snapshot pages and delta rows together', () => {
  it("a snapshot row gives the version the deltas refer to, or stands alone while a change waits for the app's row", async () => {
    const h = await startCore();
    await busyApp(h, 2);
    h.time.advance(1_100);
    const steady = (await h.core.handlers['snapshot.get']({})).apps.find((a) => a.identity.key === KEY)!;
    expect(steady.endpoints.map(shown)).toEqual((await current(h)).map(shown));
    expect(steady.endpointsVersion).toBe(windowRow(h.deltas, KEY)!.endpointsVersion);
    expect(steady.endpointOrder).toHaveLength(32);

    // A new endpoint while the app's row waits for its interval: the snapshot has it, and no order to refer to.
    h.backend.emit(drop(APP, { remoteAddress: address(1) }));
    h.time.advance(100);
    h.backend.emit(drop(APP, { remoteAddress: '203.0.113.7' }));
    const before = h.deltas.length;
    const opened = (await h.core.handlers['snapshot.get']({})).apps.find((a) => a.identity.key === KEY)!;
    expect(opened.endpoints[0]!.address).toBe('203.0.113.7');
    expect(opened.endpointOrder).toBeUndefined();
    await flood(h, 1);
    h.time.advance(1_100);
    const rows = rowsOf(h.deltas.slice(before));
    expect(rows[0]!.endpoints).toHaveLength(32);
    expect(windowRow(h.deltas.slice(before), KEY, opened)!.endpoints.map(shown)).toEqual((await current(h)).map(shown));
    await h.core.stop();
  });

  it('a window that opens mid-flood and then follows the deltas holds every app with its endpoints now', async () => {
    const h = await startCore();
    const apps = Array.from({ length: 400 }, (_, i) => `C:\\Apps\\app ${i}\\app${i}.exe`);
    const tick = (t: number) => {
      for (let i = 0; i < apps.length; i++)
        h.backend.emit(drop(apps[i]!, { remoteAddress: `10.${i % 200}.${t % 3}.${(i + t) % 4}` }));
      h.time.advance(100);
    };
    for (let t = 0; t < 20; t++) tick(t);
    await settle();
    // The window opens: the first screen, deltas while the pages come, then deltas only.
    const before = h.deltas.length;
    const first = await h.core.handlers['snapshot.get']({});
    const held = new Map<string, AppEntry>(first.apps.map((a) => [a.identity.key, a]));
    let cursor = first.appsNext;
    let t = 20;
    while (cursor !== undefined) {
      tick(t++);
      const page = await h.core.handlers['snapshot.apps']({ cursor });
      for (const app of page.apps) if (!held.has(app.identity.key)) held.set(app.identity.key, app);
      cursor = page.next;
    }
    for (let k = 0; k < 30; k++) tick(t++);
    // A new endpoint for some, a late name for others.
    for (let i = 0; i < 40; i++) h.backend.emit(drop(apps[i]!, { remoteAddress: `172.16.0.${i}` }));
    h.time.advance(1_100);
    h.time.advance(1_100);
    await settle();
    const after = h.deltas.slice(before);
    expect(first.appsNext).toBeDefined();
    for (const path of apps) {
      const key = pathKey(path);
      const row = windowRow(after, key, held.get(key))!;
      const now = (await h.core.handlers['apps.endpoints']({ appKey: key }))!;
      expect(row.endpoints.map(shown), path).toEqual(now.map(shown));
    }
    // Most of those rows carried the order only.
    const rows = after.flatMap((d) => d.apps ?? []);
    expect(rows.filter((r) => r.endpoints.length === 0).length).toBeGreaterThan(rows.length / 2);
    await h.core.stop();
  });
});
