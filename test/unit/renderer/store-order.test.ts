// The Blocked table's order follows delta batches by moving only the rows a batch changed: after any run of
// batches (rows updated, added, removed; the table not asked after every batch; a snapshot in between) it is the
// order a full sort of every app gives, for every column and direction.
import { describe, expect, it } from 'vitest';
import type { AppEntry, AppState, BlockedBy } from '../../../electron/core/model';
import { appKeysChangedBetween } from '../../../renderer/src/store/app-changes';
import { selectVisibleAppKeys, visibleAppKeys } from '../../../renderer/src/store/app-selectors';
import { useData } from '../../../renderer/src/store/data-store';
import type { AppFilters, SortKey, SortSpec } from '../../../renderer/src/store/ui-store';
import { snapshotOf } from './support/rows';

const states: AppState[] = ['new', 'blocked', 'allowed', 'ignored'];
const blockers: BlockedBy[] = ['windows-firewall', 'portcullis'];

// A small deterministic generator, so a failure repeats.
function random(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s % n;
  };
}

function app(i: number, r: (n: number) => number): AppEntry {
  const name = `App ${r(40)}`; // many equal names: the ties must fall the same way
  const path = `C:\\Vendor ${r(7)}\\app${i}.exe`;
  return {
    identity: { key: `path:${path.toLowerCase()}`, kind: 'path', displayName: name, path },
    blockedCount: r(20),
    allowedCount: 0,
    firstSeen: 1_000,
    lastSeen: 1_000 + r(50),
    endpoints: [],
    ports: [],
    protocols: [],
    directions: [r(2) ? 'out' : 'in'],
    blockedBy: blockers[r(blockers.length)]!,
    state: states[r(states.length)]!,
    timeline: [],
  };
}

const filters: AppFilters = { query: '', direction: 'all', blockedBy: 'all', state: 'all' };
const sorts: SortSpec[] = (['name', 'path', 'blockedCount', 'lastSeen', 'blockedBy', 'state'] as SortKey[]).flatMap(
  (key) => [
    { key, dir: 'asc' as const },
    { key, dir: 'desc' as const },
  ],
);

describe('the Blocked table order across batches', () => {
  it.each(sorts)('is the full sort after every batch, by $key $dir', (sort) => {
    const r = random(sort.key.length * 31 + (sort.dir === 'asc' ? 1 : 2));
    let next = 0;
    useData.getState().applySnapshot(snapshotOf(Array.from({ length: 400 }, () => app(next++, r))));
    for (let batch = 0; batch < 60; batch++) {
      const keys = [...useData.getState().apps.keys()];
      const upserts: AppEntry[] = [];
      for (let k = 0; k < 1 + r(12); k++) {
        const key = keys[r(keys.length)]!;
        const before = useData.getState().apps.get(key)!;
        upserts.push({ ...app(0, r), identity: before.identity });
      }
      for (let k = 0; k < r(3); k++) upserts.push(app(next++, r));
      const removedApps = r(3) === 0 ? [keys[r(keys.length)]!] : [];
      useData.getState().applyDelta({ seq: batch, apps: upserts, removedApps });
      if (batch === 30) useData.getState().applySnapshot(snapshotOf([...useData.getState().apps.values()]));
      // The table is not asked after every batch (another view was open): the order catches up over several.
      if (r(3) === 0) continue;
      const apps = useData.getState().apps;
      expect(selectVisibleAppKeys(apps, filters, sort)).toEqual(visibleAppKeys(apps, filters, sort));
    }
  });

  it('knows which apps changed between two maps of one chain, and not across a snapshot', () => {
    const r = random(7);
    useData.getState().applySnapshot(snapshotOf([app(1, r), app(2, r)]));
    const first = useData.getState().apps;
    const a = app(3, r);
    useData.getState().applyDelta({ seq: 1, apps: [a] });
    useData.getState().applyDelta({ seq: 2, removedApps: [a.identity.key] });
    const b = app(4, r);
    useData.getState().addApps([b]);
    const last = useData.getState().apps;
    expect([...(appKeysChangedBetween(first, last) ?? [])].sort()).toEqual([a.identity.key, b.identity.key].sort());
    useData.getState().applySnapshot(snapshotOf([app(5, r)]));
    expect(appKeysChangedBetween(last, useData.getState().apps)).toBeNull();
  });
});
