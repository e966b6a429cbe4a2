// The Blocked table's rows: the app index filtered and sorted, memoized on (apps, filters, sort) and returned as
// the same array when a batch changed nothing visible, so the table re-renders only when its rows did.
import type { AppEntry } from '../../../electron/core/model';
import { appKeysChangedBetween } from './app-changes';
import { useData } from './data-store';
import { useUi, type AppFilters, type SortSpec } from './ui-store';

// Derived per entry once and kept while the entry is its app's current one (an updated app is a new object). The
// sort keys (lower-case name and path) are read on every batch for the rows it changed; the searched text (every
// host name of the app) only when the user searches, or ahead of that in idle time (search-warmup.ts).
// Held in a Map by app key, not a WeakMap by entry: with 10,000 apps a WeakMap made every full garbage collection
// walk its entries one by one (ephemerons), up to 90 ms on a loaded machine.
interface Derived {
  readonly app: AppEntry;
  readonly name: string;
  readonly path: string;
  hay: string | undefined;
}
const derivedCache = new Map<string, Derived>();

function derived(app: AppEntry): Derived {
  const key = app.identity.key;
  let d = derivedCache.get(key);
  if (d?.app !== app) {
    d = {
      app,
      name: app.identity.displayName.toLowerCase(),
      path: (app.identity.path ?? '').toLowerCase(),
      hay: undefined,
    };
    derivedCache.set(key, d);
  }
  return d;
}

/** Drops what is kept for apps that are gone, once they are as many as the apps there are. */
function pruneDerived(apps: ReadonlyMap<string, AppEntry>): void {
  if (derivedCache.size <= 2 * apps.size + 1_000) return;
  for (const key of derivedCache.keys()) if (!apps.has(key)) derivedCache.delete(key);
}

function searchText(app: AppEntry): string {
  const d = derived(app);
  if (d.hay === undefined) {
    const id = app.identity;
    let hosts = '';
    for (const e of app.endpoints) hosts += ` ${e.hostname ?? ''} ${e.address}`;
    d.hay = `${d.name} ${d.path} ${id.serviceName ?? ''} ${app.blockedByFilter ?? ''}${hosts}`.toLowerCase();
  }
  return d.hay;
}

function matches(app: AppEntry, f: AppFilters, needle: string): boolean {
  if (f.state !== 'all' && app.state !== f.state) return false;
  if (f.blockedBy !== 'all' && app.blockedBy !== f.blockedBy) return false;
  if (f.direction !== 'all' && !app.directions.includes(f.direction)) return false;
  return needle === '' || searchText(app).includes(needle);
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

const decorate = (app: AppEntry, sort: SortSpec): Decorated => ({
  p: primaryKey(app, sort.key),
  n: derived(app).name,
  app,
});

/** The one order of the table (a total order: the app key breaks every tie). */
function compareDecorated(a: Decorated, b: Decorated, sign: number): number {
  return sign * cmp(a.p, b.p) || cmp(a.n, b.n) || cmp(a.app.identity.key, b.app.identity.key);
}

function sortList(apps: Iterable<AppEntry>, sort: SortSpec): AppEntry[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  const rows: Decorated[] = [];
  for (const app of apps) rows.push(decorate(app, sort));
  rows.sort((a, b) => compareDecorated(a, b, sign));
  return rows.map((r) => r.app);
}

/** Every app in the order asked for. Keys are read once per app (decorate, sort, undecorate), not per compare. */
export function sortApps(apps: ReadonlyMap<string, AppEntry>, sort: SortSpec): AppEntry[] {
  return sortList(apps.values(), sort);
}

/**
 * The order after a batch, from the order before it: the rows the batch left alone keep their order; the changed
 * ones are sorted among themselves and each put in its place by binary search. The same order sortApps gives
 * (one total order), at the cost of the changed rows rather than of every app.
 */
function resort(
  before: readonly AppEntry[],
  apps: ReadonlyMap<string, AppEntry>,
  changed: ReadonlySet<string>,
  sort: SortSpec,
): AppEntry[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  const kept: AppEntry[] = [];
  for (const app of before) if (!changed.has(app.identity.key)) kept.push(app);
  const present: AppEntry[] = [];
  for (const key of changed) {
    const app = apps.get(key);
    if (app) present.push(app);
  }
  const moved = sortList(present, sort);
  const out: AppEntry[] = [];
  let from = 0;
  for (const app of moved) {
    const row = decorate(app, sort);
    let lo = from;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareDecorated(decorate(kept[mid]!, sort), row, sign) < 0) lo = mid + 1;
      else hi = mid;
    }
    for (; from < lo; from++) out.push(kept[from]!);
    out.push(app);
  }
  for (; from < kept.length; from++) out.push(kept[from]!);
  return out;
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
  if (!lastSorted || lastSorted.sort !== sort) {
    lastSorted = { apps, sort, sorted: sortApps(apps, sort) };
  } else if (lastSorted.apps !== apps) {
    const changed = appKeysChangedBetween(lastSorted.apps, apps);
    // Past an eighth of the apps a full sort costs no more than moving each changed row.
    const sorted =
      changed && changed.size <= apps.size / 8 ? resort(lastSorted.sorted, apps, changed, sort) : sortApps(apps, sort);
    lastSorted = { apps, sort, sorted };
  }
  pruneDerived(apps);
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
  searchText(app);
}
