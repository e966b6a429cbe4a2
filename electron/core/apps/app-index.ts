// Every application seen, keyed by identity. Bounded: past `maxApps` the app quiet for the longest is forgotten
// (its rules stay; it reappears on its next event). Remembers which apps changed since the last delta.
//
// The event path reaches an app's record in one lookup: by the event's own app string (DOS path, else NT path,
// else package SID), remembered on the record the first time its identity is worked out. The record then carries
// everything the rest of the path needs (identity, counters, endpoints, its open decision), and the strings it
// keeps are the ones every later lookup uses, so they are hashed once and compared by reference.
import type { NetEvent } from '../../../native/api';
import type { AppIdentity } from '../model';
import { RecencyList } from '../util/recency-list';
import { AppRecord, type Observation } from './app-record';

export interface AppIndexLimits {
  readonly maxApps: number;
  readonly maxEndpointsPerApp: number;
}

export const DEFAULT_APP_INDEX_LIMITS: AppIndexLimits = { maxApps: 50_000, maxEndpointsPerApp: 32 };

export class AppIndex {
  private readonly apps = new Map<string, AppRecord>();
  /** The event's app string (appId ?? appPath ?? packageSid) -> the record whose identity it resolves to. */
  private readonly byEventApp = new Map<string, AppRecord>();
  /** Recency: a list through the records themselves, so a touch moves pointers and looks nothing up. */
  private readonly recency = new RecencyList<AppRecord>();
  /** Changed by events: may wait for their turn (see takeChanges). */
  private readonly dirty = new Set<string>();
  /** Changed by the user or policy (state, rule): go out with the next delta. */
  private readonly urgent = new Set<string>();
  private readonly evicted = new Set<string>();
  private blockedApps = 0;

  constructor(private readonly limits: AppIndexLimits = DEFAULT_APP_INDEX_LIMITS) {}

  get size(): number {
    return this.apps.size;
  }

  get(key: string): AppRecord | undefined {
    return this.apps.get(key);
  }

  /**
   * The record this event's app string was seen with before, when the event names the app exactly as then (same
   * DOS path, NT path and package SID, so the identity would resolve the same); otherwise undefined and the caller
   * works the identity out. One map lookup.
   */
  recordFor(event: NetEvent): AppRecord | undefined {
    const primary = eventApp(event);
    if (primary === undefined) return undefined;
    const record = this.byEventApp.get(primary);
    // The map compared the NT path already when the event has one; the record must have been found by one too.
    if (record === undefined || (record.seenAppId === undefined) !== (event.appId === undefined)) return undefined;
    if (record.seenPackageSid !== event.packageSid) return undefined;
    const path = event.appPath;
    const seen = record.seenPath;
    if (path === undefined || seen === undefined) return path === seen ? record : undefined;
    if (path.length !== seen.length) return undefined;
    // Same NT path, so the DOS path differs only if the drive letters were remapped meanwhile. The decoder builds
    // it by joining two strings, and comparing that makes V8 copy it into a flat one: done on every 64th attempt of
    // the app only, so a remapped drive is noticed within 64 attempts (its identity is then worked out again).
    if ((record.blockedCount + record.allowedCount) % 64 !== 0) return record;
    return path === seen ? record : undefined;
  }

  /**
   * O(1). `known` is the record recordFor found (no lookup then); `event` lets a new record be found by its app
   * string next time. Identities that depend on more than the app string (svchost's) are never found that way.
   */
  observe(identity: AppIdentity, o: Observation, known?: AppRecord, event?: NetEvent): AppRecord {
    let record = known ?? this.apps.get(identity.key);
    const created = record === undefined;
    if (!record) {
      record = new AppRecord(identity, o.time, this.limits.maxEndpointsPerApp);
      this.apps.set(identity.key, record);
      this.evicted.delete(identity.key);
      this.recency.append(record);
      this.trim();
    } else {
      this.recency.touch(record);
      if (identity.path !== undefined && identity.path !== record.identity.path) {
        // Same app, path seen in another case or from another mapping: keep the newest spelling for display.
        record.identity = {
          ...record.identity,
          path: identity.path,
          ...(identity.ntPath ? { ntPath: identity.ntPath } : {}),
        };
      }
    }
    if (known === undefined && event !== undefined) this.remember(record, identity, event);
    const wasBlocked = record.blockedCount > 0;
    record.observe(o);
    if (!wasBlocked && record.blockedCount > 0) this.blockedApps++;
    // A new app's first row goes with the next delta, not behind busy apps' rows (the publisher's row budget).
    if (created) this.urgent.add(record.identity.key);
    // Already marked since the last delta (a busy app, the usual case): nothing to look up.
    else if (!record.changeMarked) {
      record.changeMarked = true;
      this.dirty.add(record.identity.key);
    }
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
    for (const key of changed) {
      this.dirty.delete(key);
      const record = this.apps.get(key);
      if (record) record.changeMarked = false;
    }
    this.urgent.clear();
    let paced = 0;
    // Oldest change first, so that apps held back by `maxPaced` go first next time.
    for (const key of this.dirty) {
      if (paced >= maxPaced) break;
      const record = this.apps.get(key);
      if (record === undefined) {
        this.dirty.delete(key);
      } else if (!due || due(record)) {
        paced++;
        changed.push(key);
        this.dirty.delete(key);
        record.changeMarked = false;
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

  /** Least recently seen first. */
  *records(): IterableIterator<AppRecord> {
    for (let r = this.recency.oldest; r; r = r.newer) yield r;
  }

  /** Most recently seen first: the order of their last events (each event moves its app to the front). */
  *newestFirst(): IterableIterator<AppRecord> {
    for (let r = this.recency.newest; r; r = r.older) yield r;
  }

  /** Apps with at least one blocked attempt; kept up to date per event, not counted on demand. */
  get blockedCount(): number {
    return this.blockedApps;
  }

  clear(): void {
    for (const key of this.apps.keys()) this.evicted.add(key);
    this.apps.clear();
    this.byEventApp.clear();
    this.recency.clear();
    this.dirty.clear();
    this.urgent.clear();
    this.blockedApps = 0;
  }

  private remember(record: AppRecord, identity: AppIdentity, event: NetEvent): void {
    // svchost's identity may come from more than the path (the service behind the process): always worked out.
    if (record.eventIdentity !== undefined) return;
    if (identity.kind === 'svchost-unknown' || identity.kind === 'service') return;
    const primary = eventApp(event);
    if (primary === undefined) return;
    // The record's own path when it reads the same (the event's is two strings joined: more to keep).
    record.seenPath = event.appPath !== undefined && event.appPath === identity.path ? identity.path : event.appPath;
    record.seenAppId = event.appId;
    record.seenPackageSid = event.packageSid;
    record.eventIdentity = identity;
    this.byEventApp.set(primary, record);
  }

  private trim(): void {
    while (this.apps.size > this.limits.maxApps && this.recency.oldest) {
      const record = this.recency.oldest;
      const key = record.identity.key;
      this.recency.unlink(record);
      this.apps.delete(key);
      const primary = record.seenAppId ?? record.seenPath ?? record.seenPackageSid;
      if (primary !== undefined && this.byEventApp.get(primary) === record) this.byEventApp.delete(primary);
      if (record.blockedCount > 0) this.blockedApps--;
      this.dirty.delete(key);
      this.urgent.delete(key);
      this.evicted.add(key);
    }
  }
}

/**
 * The NT path first: the decoder reads it as one flat string, where the DOS path is built by joining two (hashing
 * or comparing that one makes V8 flatten it into a new string first).
 */
function eventApp(event: NetEvent): string | undefined {
  return event.appId ?? event.appPath ?? event.packageSid;
}
