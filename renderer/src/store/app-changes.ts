// Which apps each new app map changed from the one before it, for the last few maps. A delta batch touches a few
// hundred of 10,000 apps: the Blocked table's order and the search warm-up follow it by looking at those rows only,
// instead of sorting or walking every app again on every batch.
//
// Maps are numbered as they are derived one from another; the log keeps the keys of the latest changes (numbers
// only, so no older map is kept alive by it). A map derived from one the log does not know (a snapshot) starts a
// new chain: asking across it answers null, and the caller falls back to looking at every app.
import type { AppEntry } from '../../../electron/core/model';

type AppMap = ReadonlyMap<string, AppEntry>;

const LOG_LENGTH = 32;
const versionOf = new WeakMap<AppMap, number>();
let lastVersion = 0;
/** Entry n: the map numbered `version` is the map numbered version - 1 with `keys` added, replaced or removed. */
const log: { readonly version: number; readonly keys: readonly string[] }[] = [];

/** Called by the store each time it derives `after` from `before` by changing exactly `keys`. */
export function recordAppsChange(before: AppMap, after: AppMap, keys: readonly string[]): void {
  let from = versionOf.get(before);
  if (from === undefined || from !== lastVersion) {
    // Not the latest map of the chain (a snapshot replaced it): what came before it no longer matters.
    from = ++lastVersion;
    versionOf.set(before, from);
    log.length = 0;
  }
  versionOf.set(after, ++lastVersion);
  log.push({ version: lastVersion, keys });
  if (log.length > LOG_LENGTH) log.shift();
}

/**
 * The keys whose entries differ between two maps of one chain (`to` derived from `from`, directly or over a few
 * batches), or null when that is not known (another chain, or further back than the log reaches).
 */
export function appKeysChangedBetween(from: AppMap, to: AppMap): ReadonlySet<string> | null {
  const a = versionOf.get(from);
  const b = versionOf.get(to);
  if (a === undefined || b === undefined || a > b) return null;
  const keys = new Set<string>();
  if (a === b) return keys;
  const first = log[0]?.version;
  if (first === undefined || first > a + 1) return null;
  for (const entry of log) {
    if (entry.version <= a) continue;
    if (entry.version > b) break;
    for (const key of entry.keys) keys.add(key);
  }
  return keys;
}
