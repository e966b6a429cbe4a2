// The activity log keeps its entries as typed columns: what comes back out (Activity view, export, snapshot) must
// be exactly what went in, the newest `size` of them, and strings of overwritten entries must not stay behind.
import { describe, expect, it } from 'vitest';
import type { ActivityEntry } from '../../../electron/core/model';
import { ActivityLog } from '../../../electron/core/pipeline/activity-log';

function entry(log: ActivityLog, i: number): ActivityEntry {
  // Every key present, undefined where absent, as the pipeline builds them.
  return {
    seq: log.nextSeq(),
    time: 1_750_000_000_000 + i * 1_000.5,
    appKey: `path:c:\\apps\\app ${i % 7}\\app.exe`,
    appName: `App ${i % 7}`,
    verdict: (['blocked', 'allowed', 'other'] as const)[i % 3]!,
    direction: ([undefined, 'out', 'in', 'forward'] as const)[i % 4],
    protocol: i % 5 === 0 ? undefined : [6, 17, 1, 58][i % 4],
    remoteAddress: i % 6 === 0 ? undefined : `2001:db8::${i.toString(16)}`,
    remotePort: i % 8 === 0 ? undefined : (i * 31) % 65_536,
    localPort: i % 9 === 0 ? undefined : 0,
    blockedBy: ([undefined, 'portcullis', 'windows-firewall', 'other', 'unknown'] as const)[i % 5],
    filterName: i % 2 === 0 ? undefined : `Rule ${i % 3}`,
  };
}

describe('activity log', () => {
  it('gives back exactly the newest entries that were appended, oldest first', () => {
    const log = new ActivityLog(1_000);
    const all = Array.from({ length: 2_500 }, (_, i) => entry(log, i));
    for (const e of all) log.append(e);
    expect(log.size).toBe(1_000);
    expect(log.entries()).toEqual(all.slice(-1_000));
    expect(log.newest(10)).toEqual(all.slice(-10));
    // The same keys in the same order, so JSON and the renderer see the same shape as a fresh entry.
    expect(Object.keys(log.newest(1)[0]!)).toEqual(Object.keys(all.at(-1)!));
  });

  it('the next delta carries at most the newest 500 fresh entries and says how many it left out', () => {
    const log = new ActivityLog(100_000);
    const all = Array.from({ length: 1_200 }, (_, i) => entry(log, i));
    for (const e of all) log.append(e);
    const { entries, skipped } = log.takeFreshCapped(300);
    expect(entries).toEqual(all.slice(-300));
    expect(skipped).toBe(900);
    expect(log.takeFreshCapped(300)).toEqual({ entries: [], skipped: 0 });
  });

  it('keeps the newest entries that fit when resized, smaller or larger', () => {
    const log = new ActivityLog(5_000);
    const all = Array.from({ length: 6_000 }, (_, i) => entry(log, i));
    for (const e of all) log.append(e);
    log.resize(700);
    expect(log.entries()).toEqual(all.slice(-700));
    log.resize(10_000);
    const more = Array.from({ length: 20 }, (_, i) => entry(log, 6_000 + i));
    for (const e of more) log.append(e);
    expect(log.entries()).toEqual([...all.slice(-700), ...more]);
  });

  it('forgets the strings of entries it overwrote: a flood of distinct addresses does not pile up', () => {
    const log = new ActivityLog(1_000);
    for (let i = 0; i < 50_000; i++) log.append(entry(log, i));
    // 7 apps, 2 filter names and at most one address per entry still held.
    expect(log.distinctStrings).toBeLessThanOrEqual(1_000 + 7 + 2);
    expect(log.entries()).toHaveLength(1_000);
  });

  it('lets go of numbers given to holders that came and went: endpoints forgotten and seen again do not pile up', () => {
    const log = new ActivityLog(1_000);
    const all: ActivityEntry[] = [];
    // A new holder for every address (an endpoint the app's list had let go of), the same app record throughout.
    const app = { logId: 0 };
    for (let i = 0; i < 50_000; i++) {
      const e = {
        ...entry(log, i),
        appKey: 'path:app',
        appName: 'App',
        remoteAddress: `10.0.${(i >> 8) & 3}.${i & 255}`,
      };
      log.append(e, app, { logId: 0 });
      all.push(e);
    }
    expect(log.entries()).toEqual(all.slice(-1_000));
    // One number per entry's address, the app's key, three filter names: none of the 49,000 let go.
    expect(log.distinctStrings).toBe(1_000 + 1 + 3);
  });

  it('an app back after its strings were let go reads as itself, though its record still holds an old number', () => {
    const log = new ActivityLog(500);
    // Each app's record keeps the number its key had in the log (a hint); a flood of distinct addresses makes the
    // table let go of the quiet app's key and give its number to another string meanwhile.
    const slots = [{ logId: 0 }, { logId: 0 }, { logId: 0 }];
    const all: ActivityEntry[] = [];
    for (let i = 0; i < 20_000; i++) {
      const app = i % 6_600 === 0 ? 2 : i % 2;
      const e = {
        ...entry(log, i),
        appKey: `path:app ${app}`,
        appName: `App ${app}`,
        remoteAddress: `10.0.${i >> 8}.${i & 255}`,
      };
      log.append(e, slots[app]);
      all.push(e);
    }
    expect(log.entries()).toEqual(all.slice(-500));
    // 500 addresses, 3 app keys, 3 filter names.
    expect(log.distinctStrings).toBe(500 + 3 + 3);
  });

  it("shows an app's new name from its next entry on, and on the entries it still holds", () => {
    const log = new ActivityLog(10);
    const app = { logId: 0 };
    log.append({ ...entry(log, 1), appKey: 'path:c:\\a.exe', appName: 'a.exe' }, app);
    log.append({ ...entry(log, 2), appKey: 'path:c:\\a.exe', appName: 'a.exe' }, app);
    // The file's description became known: the app's name changes, its key does not.
    log.append({ ...entry(log, 3), appKey: 'path:c:\\a.exe', appName: 'Alpha Editor' }, app);
    expect(log.entries().map((e) => e.appName)).toEqual(['Alpha Editor', 'Alpha Editor', 'Alpha Editor']);
  });
});
