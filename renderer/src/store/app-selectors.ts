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

/** `keep`: remember the result (the app's current entry); an entry a batch replaced is read without keeping it. */
function derived(app: AppEntry, keep = true): Derived {
  const key = app.identity.key;
  const cached = derivedCache.get(key);
  if (cached?.app === app) return cached;
  const id = app.identity;
  const d: Derived = { app, name: id.displayName.toLowerCase(), path: (id.path ?? '').toLowerCase(), hay: undefined };
  if (keep) derivedCache.set(key, d);
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

function primaryKey(app: AppEntry, d: Derived, key: SortSpec['key']): string | number {
  switch (key) {
    case 'name':
      return d.name;
    case 'path':
      return d.path;
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

function decorate(app: AppEntry, sort: SortSpec, keep = true): Decorated {
  const d = derived(app, keep);
  return { p: primaryKey(app, d, sort.key), n: d.name, app };
}

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

/** Every app in order, with their keys in the same order (the rows when nothing is filtered). */
interface Order {
  readonly apps: readonly AppEntry[];
  readonly keys: readonly string[];
}

const orderOf = (apps: readonly AppEntry[]): Order => ({ apps, keys: apps.map((a) => a.identity.key) });

/** The first place in `order` whose app sorts after `row`. */
function placeOf(order: readonly AppEntry[], row: Decorated, sort: SortSpec, sign: number): number {
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareDecorated(decorate(order[mid]!, sort, false), row, sign) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The order after a batch, from the order before it, in the same total order a full sort gives: each changed app
 * is found where its previous entry stood and its new entry put in its place, both by binary search, and the rest
 * is copied as it was (no app read). So a batch costs its changed rows, not every app. Null if the order before
 * does not hold an app where it should (then the caller sorts everything).
 */
function resort(
  before: Order,
  beforeApps: ReadonlyMap<string, AppEntry>,
  apps: ReadonlyMap<string, AppEntry>,
  changed: ReadonlySet<string>,
  sort: SortSpec,
): Order | null {
  const sign = sort.dir === 'asc' ? 1 : -1;
  const gone: number[] = [];
  const present: AppEntry[] = [];
  for (const key of changed) {
    const old = beforeApps.get(key);
    if (old) {
      const at = placeOf(before.apps, decorate(old, sort, false), sort, sign);
      if (before.apps[at] !== old) return null;
      gone.push(at);
    }
    const app = apps.get(key);
    if (app) present.push(app);
  }
  gone.sort((a, b) => a - b);
  const moved = sortList(present, sort);
  const places = moved.map((app) => placeOf(before.apps, decorate(app, sort), sort, sign));
  const outApps: AppEntry[] = [];
  const outKeys: string[] = [];
  const n = before.apps.length;
  let g = 0;
  let m = 0;
  for (let i = 0; i <= n; i++) {
    for (; m < moved.length && places[m] === i; m++) {
      outApps.push(moved[m]!);
      outKeys.push(moved[m]!.identity.key);
    }
    if (i === n) break;
    if (gone[g] === i) {
      g++;
      continue;
    }
    outApps.push(before.apps[i]!);
    outKeys.push(before.keys[i]!);
  }
  return { apps: outApps, keys: outKeys };
}

export function visibleAppKeys(apps: ReadonlyMap<string, AppEntry>, filters: AppFilters, sort: SortSpec): string[] {
  return [...filterSorted(orderOf(sortApps(apps, sort)), filters)];
}

function filterSorted(order: Order, filters: AppFilters): readonly string[] {
  const needle = filters.query.trim().toLowerCase();
  const all = filters.state === 'all' && filters.blockedBy === 'all' && filters.direction === 'all';
  if (all && needle === '') return order.keys;
  const keys: string[] = [];
  for (const app of order.apps) if (matches(app, filters, needle)) keys.push(app.identity.key);
  return keys;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// One table shows these rows, so one remembered result per stage is enough. Sorting depends on the apps and the
// sort only, so typing in the search box filters the already sorted list and never sorts again.
let lastSorted: { apps: ReadonlyMap<string, AppEntry>; sort: SortSpec; order: Order } | null = null;
let lastVisible: { order: Order; filters: AppFilters; keys: readonly string[] } | null = null;

export function selectVisibleAppKeys(
  apps: ReadonlyMap<string, AppEntry>,
  filters: AppFilters,
  sort: SortSpec,
): readonly string[] {
  if (!lastSorted || lastSorted.sort !== sort) {
    lastSorted = { apps, sort, order: orderOf(sortApps(apps, sort)) };
  } else if (lastSorted.apps !== apps) {
    const changed = appKeysChangedBetween(lastSorted.apps, apps);
    // Past an eighth of the apps a full sort costs no more than moving each changed row.
    const order =
      (changed && changed.size <= apps.size / 8 && resort(lastSorted.order, lastSorted.apps, apps, changed, sort)) ||
      orderOf(sortApps(apps, sort));
    lastSorted = { apps, sort, order };
  }
  pruneDerived(apps);
  const order = lastSorted.order;
  if (lastVisible && lastVisible.order === order && lastVisible.filters === filters) return lastVisible.keys;
  const computed = filterSorted(order, filters);
  const keys = lastVisible && sameKeys(computed, lastVisible.keys) ? lastVisible.keys : computed;
  lastVisible = { order, filters, keys };
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
