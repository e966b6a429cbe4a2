// A flood from more apps than the window can follow: rows changed only by events reach the page at a steady rate
// (PACED_ROWS_PER_SECOND), every busy app still gets its turn, and a new app or a state change is not held behind
// them.
import { describe, expect, it } from 'vitest';
import { PACED_ROWS_PER_SECOND } from '../../../electron/core/facade/publisher';
import { drop } from './support/memory-backend';
import { startCore } from './support/core-harness';

const APPS = 900;
const appPath = (i: number) => `C:\\Apps\\busy ${i}\\busy${i}.exe`;
const keyOf = (i: number) => `path:c:\\apps\\busy ${i}\\busy${i}.exe`;

describe('app rows under a flood from many apps', () => {
  it('sends at most the row budget a second, oldest change first, so every busy app gets fresh rows', async () => {
    const h = await startCore();
    // Every app blocked once a tick of 100 ms for 8 s: 72,000 events from 900 apps.
    const rowsPerSecond: number[] = [];
    const lastRow = new Map<string, number>();
    for (let second = 0; second < 8; second++) {
      h.deltas.length = 0;
      for (let tick = 0; tick < 10; tick++) {
        for (let i = 0; i < APPS; i++) h.backend.emit(drop(appPath(i), { remotePort: 1_000 + tick }));
        h.time.advance(100);
      }
      const rows = h.deltas.flatMap((d) => d.apps ?? []);
      rowsPerSecond.push(rows.length);
      for (const row of rows) lastRow.set(row.identity.key, row.blockedCount);
    }
    // The first second carries the 900 new apps at once; after that the budget holds.
    expect(rowsPerSecond[0]).toBeGreaterThanOrEqual(APPS);
    for (const n of rowsPerSecond.slice(2)) expect(n).toBeLessThanOrEqual(PACED_ROWS_PER_SECOND + 10);
    for (const n of rowsPerSecond.slice(2)) expect(n).toBeGreaterThanOrEqual(PACED_ROWS_PER_SECOND - 10);
    // Oldest change first: within 900 / 300 = 3 s every app had a row again, none is starved.
    expect(lastRow.size).toBe(APPS);
    for (let i = 0; i < APPS; i++) expect(lastRow.get(keyOf(i))!).toBeGreaterThanOrEqual(8 * 10 - 40);

    // A new app mid-flood (allowed, so no decision marks it), and a decision on a busy one, each go out with the
    // very next batch.
    h.deltas.length = 0;
    for (let i = 0; i < APPS; i++) h.backend.emit(drop(appPath(i), { remotePort: 2_000 }));
    h.backend.emit({ ...drop('C:\\Apps\\newcomer.exe'), type: 'allow' });
    await h.core.handlers['apps.decide']({ appKeys: [keyOf(7)], decision: 'ignore' });
    h.time.advance(100);
    expect(h.deltas).toHaveLength(1);
    const keys = (h.deltas[0]!.apps ?? []).map((a) => a.identity.key);
    expect(keys).toContain('path:c:\\apps\\newcomer.exe');
    expect(h.deltas[0]!.apps!.find((a) => a.identity.key === keyOf(7))?.state).toBe('ignored');

    // When the flood ends, the rows held back go out within a few seconds, with their final counts.
    for (let t = 0; t < 40; t++) h.time.advance(100);
    const final = new Map(h.deltas.flatMap((d) => d.apps ?? []).map((a) => [a.identity.key, a.blockedCount]));
    for (let i = 0; i < APPS; i++) expect(final.get(keyOf(i))).toBe(8 * 10 + 1);
    await h.core.stop();
  });

  it('a forced flush (before a snapshot, at stop) still sends every waiting row', async () => {
    const h = await startCore();
    for (let i = 0; i < APPS; i++) h.backend.emit(drop(appPath(i)));
    h.time.advance(100);
    for (let tick = 0; tick < 20; tick++) {
      for (let i = 0; i < APPS; i++) h.backend.emit(drop(appPath(i), { remotePort: 3_000 + tick }));
      h.time.advance(100);
    }
    h.deltas.length = 0;
    h.core.flush();
    const rows = h.deltas.flatMap((d) => d.apps ?? []);
    expect(rows.length).toBeGreaterThan(PACED_ROWS_PER_SECOND);
    const all = new Map(rows.map((a) => [a.identity.key, a.blockedCount]));
    expect(h.core.status().blockedApps).toBe(APPS);
    for (const [, count] of all) expect(count).toBe(21);
    await h.core.stop();
  });
});
