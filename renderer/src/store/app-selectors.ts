// The Blocked table's rows: the app index filtered and sorted, memoized on (apps, filters, sort) and returned as
// the same array when a batch changed nothing visible, so the table re-renders only when its rows did.
import type { AppEntry } from '../../../electron/core/model';
import { useData } from './data-store';
import { useUi, type AppFilters, type SortSpec } from './ui-store';

// Derived per entry once and kept while the entry object lives (an updated app is a new object): the lower-case
// text searched and the keys sorted on, so a keystroke or a header click costs string compares, not collation.
interface Derived {
  readonly hay: string;
  readonly name: string;
  readonly path: string;
}
const derivedCache = new WeakMap<AppEntry, Derived>();

function derived(app: AppEntry): Derived {
  let d = derivedCache.get(app);
  if (!d) {
    const id = app.identity;
    const name = id.displayName.toLowerCase();
    const path = (id.path ?? '').toLowerCase();
    let hosts = '';
    for (const e of app.endpoints) hosts += ` ${e.hostname ?? ''} ${e.address}`;
    const hay = `${name} ${path} ${id.serviceName ?? ''} ${app.blockedByFilter ?? ''}${hosts}`.toLowerCase();
    d = { hay, name, path };
    derivedCache.set(app, d);
  }
  return d;
}

function matches(app: AppEntry, f: AppFilters, needle: string): boolean {
  if (f.state !== 'all' && app.state !== f.state) return false;
  if (f.blockedBy !== 'all' && app.blockedBy !== f.blockedBy) return false;
  if (f.direction !== 'all' && !app.directions.includes(f.direction)) return false;
  return needle === '' || derived(app).hay.includes(needle);
}

const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);

function primaryKey(app: AppEntry, key: SortSpec['key']): string | number {
  switch (key) {
    case 'name':
      return derived(app).name;
    case 'path':
      return derived(app).path;
    case 'blockedCount':
      return app.blockedCount;
    case 'lastSeen':
      return app.lastSeen;
    case 'blockedBy':
      return app.blockedBy;
    case 'state':
      return app.state;
  }
}

interface Decorated {
  readonly p: string | number;
  readonly n: string;
  readonly app: AppEntry;
}

/** Every app in the order asked for. Keys are read once per app (decorate, sort, undecorate), not per compare. */
export function sortApps(apps: ReadonlyMap<string, AppEntry>, sort: SortSpec): AppEntry[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  const rows: Decorated[] = [];
  for (const app of apps.values()) rows.push({ p: primaryKey(app, sort.key), n: derived(app).name, app });
  rows.sort((a, b) => sign * cmp(a.p, b.p) || cmp(a.n, b.n) || cmp(a.app.identity.key, b.app.identity.key));
  return rows.map((r) => r.app);
}

export function visibleAppKeys(apps: ReadonlyMap<string, AppEntry>, filters: AppFilters, sort: SortSpec): string[] {
  return filterSorted(sortApps(apps, sort), filters);
}

function filterSorted(sorted: readonly AppEntry[], filters: AppFilters): string[] {
  const needle = filters.query.trim().toLowerCase();
  const keys: string[] = [];
  for (const app of sorted) if (matches(app, filters, needle)) keys.push(app.identity.key);
  return keys;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// One table shows these rows, so one remembered result per stage is enough. Sorting depends on the apps and the
// sort only, so typing in the search box filters the already sorted list and never sorts again.
let lastSorted: { apps: ReadonlyMap<string, AppEntry>; sort: SortSpec; sorted: AppEntry[] } | null = null;
let lastVisible: { sorted: AppEntry[]; filters: AppFilters; keys: readonly string[] } | null = null;

export function selectVisibleAppKeys(
  apps: ReadonlyMap<string, AppEntry>,
  filters: AppFilters,
  sort: SortSpec,
): readonly string[] {
  if (!lastSorted || lastSorted.apps !== apps || lastSorted.sort !== sort) {
    lastSorted = { apps, sort, sorted: sortApps(apps, sort) };
  }
  const sorted = lastSorted.sorted;
  if (lastVisible && lastVisible.sorted === sorted && lastVisible.filters === filters) return lastVisible.keys;
  const computed = filterSorted(sorted, filters);
  const keys = lastVisible && sameKeys(computed, lastVisible.keys) ? lastVisible.keys : computed;
  lastVisible = { sorted, filters, keys };
  return keys;
}

export function useVisibleAppKeys(): readonly string[] {
  const apps = useData((s) => s.apps);
  const filters = useUi((s) => s.filters);
  const sort = useUi((s) => s.sort);
  return selectVisibleAppKeys(apps, filters, sort);
}

export const useApp = (key: string) => useData((s) => s.apps.get(key));

/** Builds an entry's search text and sort keys ahead of need (idle time after a flood). */
export function prepareSearch(app: AppEntry): void {
  if (!derivedCache.has(app)) derived(app);
}
