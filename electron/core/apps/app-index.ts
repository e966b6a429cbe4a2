// Every application seen, keyed by identity. Bounded: past `maxApps` the app quiet for the longest is forgotten
// (its rules stay; it reappears on its next event). Remembers which apps changed since the last delta.
import type { AppIdentity } from '../model';
import { LruMap } from '../util/bounded';
import { AppRecord, type Observation } from './app-record';

export interface AppIndexLimits {
  readonly maxApps: number;
  readonly maxEndpointsPerApp: number;
}

export const DEFAULT_APP_INDEX_LIMITS: AppIndexLimits = { maxApps: 50_000, maxEndpointsPerApp: 32 };

export class AppIndex {
  private readonly apps: LruMap<string, AppRecord>;
  /** Changed by events: may wait for their turn (see takeChanges). */
  private readonly dirty = new Set<string>();
  /** Changed by the user or policy (state, rule): go out with the next delta. */
  private readonly urgent = new Set<string>();
  private readonly evicted = new Set<string>();
  private blockedApps = 0;

  constructor(private readonly limits: AppIndexLimits = DEFAULT_APP_INDEX_LIMITS) {
    this.apps = new LruMap(limits.maxApps, (key, record) => {
      if (record.blockedCount > 0) this.blockedApps--;
      this.dirty.delete(key);
      this.urgent.delete(key);
      this.evicted.add(key);
    });
  }

  get size(): number {
    return this.apps.size;
  }

  get(key: string): AppRecord | undefined {
    return this.apps.peek(key);
  }

  /** O(1): one map lookup, one reorder, constant work in the record. */
  observe(identity: AppIdentity, o: Observation): AppRecord {
    let record = this.apps.get(identity.key);
    if (!record) {
      record = new AppRecord(identity, o.time, this.limits.maxEndpointsPerApp);
      this.apps.set(identity.key, record);
      this.evicted.delete(identity.key);
    } else if (identity.path !== undefined && identity.path !== record.identity.path) {
      // Same app, path seen in another case or from another mapping: keep the newest spelling for display.
      record.identity = {
        ...record.identity,
        path: identity.path,
        ...(identity.ntPath ? { ntPath: identity.ntPath } : {}),
      };
    }
    const wasBlocked = record.blockedCount > 0;
    record.observe(o);
    if (!wasBlocked && record.blockedCount > 0) this.blockedApps++;
    this.dirty.add(identity.key);
    return record;
  }

  markDirty(key: string): void {
    if (this.apps.has(key)) this.urgent.add(key);
  }

  /**
   * Keys changed and keys forgotten since the last call. Apps changed only by events go out when `due` says so
   * (at most one full row per app per interval), at most `maxPaced` of them; the others stay marked for later.
   */
  takeChanges(due?: (record: AppRecord) => boolean, maxPaced = Infinity): { changed: string[]; removed: string[] } {
    const changed = [...this.urgent];
    for (const key of changed) this.dirty.delete(key);
    this.urgent.clear();
    let paced = 0;
    // Oldest change first, so that apps held back by `maxPaced` go first next time.
    for (const key of this.dirty) {
      if (paced >= maxPaced) break;
      const record = this.apps.peek(key);
      if (record === undefined) {
        this.dirty.delete(key);
      } else if (!due || due(record)) {
        paced++;
        changed.push(key);
        this.dirty.delete(key);
      }
    }
    const removed = [...this.evicted];
    this.evicted.clear();
    return { changed, removed };
  }

  /** Apps changed by events and held back by the last takeChanges. */
  get waiting(): number {
    return this.dirty.size;
  }

  records(): IterableIterator<AppRecord> {
    return this.apps.values();
  }

  /** Apps with at least one blocked attempt; kept up to date per event, not counted on demand. */
  get blockedCount(): number {
    return this.blockedApps;
  }

  clear(): void {
    for (const key of this.apps.keys()) this.evicted.add(key);
    this.apps.clear();
    this.dirty.clear();
    this.urgent.clear();
    this.blockedApps = 0;
  }
}
