// State published by core, as the renderer holds it: keyed maps so a delta batch touches only what changed and
// unchanged entries keep their identity (rows subscribed to them do not re-render).
import { create } from 'zustand';
import type {
  ActivityEntry,
  AppEntry,
  DeltaBatch,
  LearningCandidate,
  PendingDecision,
  Rule,
  Settings,
  Snapshot,
  Status,
} from '../../../electron/core/model';
import { recordAppsChange } from './app-changes';
import { fillEndpoints, withEndpoints } from './app-endpoints';
import { LayeredMap } from './layered-map';

/** The activity log is bounded by the user's setting, and never beyond this in the page. */
export const ACTIVITY_HARD_CAP = 20_000;
const DEFAULT_ACTIVITY_CAP = 5_000;

export type Connection =
  | { readonly phase: 'connecting' }
  | { readonly phase: 'ready' }
  | {
      readonly phase: 'error';
      readonly message: string;
    };

export interface DataState {
  readonly connection: Connection;
  /** Keyed by app key; a batch's new map shares the unchanged entries with the one before (layered-map.ts). */
  readonly apps: LayeredMap<AppEntry>;
  readonly rules: ReadonlyMap<string, Rule>;
  readonly decisions: ReadonlyMap<string, PendingDecision>;
  readonly candidates: ReadonlyMap<string, LearningCandidate>;
  readonly activity: readonly ActivityEntry[];
  /** Log entries core left out of the batches since the snapshot (a flood); the export has them. */
  readonly activityNotShown: number;
  readonly status: Status | null;
  readonly settings: Settings | null;
  readonly lastDeltaSeq: number;
  applySnapshot(snapshot: Snapshot): void;
  applyDelta(batch: DeltaBatch): void;
  /** Rows of a paged snapshot's later pages: added where no delta brought a newer row meanwhile. */
  addApps(apps: readonly AppEntry[]): void;
  /** Rules of a paged snapshot's later pages: added where no delta brought a newer version meanwhile. */
  addRules(rules: readonly Rule[]): void;
  /**
   * Older log entries from a paged snapshot, put before those held; returns how many more the page may still take
   * (0: stop asking).
   */
  addOlderActivity(entries: readonly ActivityEntry[]): number;
  setConnection(connection: Connection): void;
}

function keyed<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) map.set(key(item), item);
  return map;
}

/** Upserts and removals in one copy; returns the same map when nothing changed so selectors stay quiet. */
function merge<T>(
  current: ReadonlyMap<string, T>,
  upserts: readonly T[] | undefined,
  removals: readonly string[] | undefined,
  key: (item: T) => string,
): ReadonlyMap<string, T> {
  if (!upserts?.length && !removals?.length) return current;
  const next = new Map(current);
  for (const item of upserts ?? []) next.set(key(item), item);
  for (const id of removals ?? []) next.delete(id);
  return next;
}

function activityCap(settings: Settings | null): number {
  const wanted = settings?.activityLogSize ?? DEFAULT_ACTIVITY_CAP;
  return Math.max(100, Math.min(ACTIVITY_HARD_CAP, wanted));
}

function appendActivity(
  current: readonly ActivityEntry[],
  added: readonly ActivityEntry[] | undefined,
  cap: number,
): readonly ActivityEntry[] {
  if (!added?.length) return current.length > cap ? current.slice(current.length - cap) : current;
  // A batch that raced the snapshot may repeat entries the snapshot already holds.
  const lastSeq = current.length ? current[current.length - 1]!.seq : -Infinity;
  const fresh = added[0]!.seq > lastSeq ? added : added.filter((e) => e.seq > lastSeq);
  if (!fresh.length) return current;
  const total = current.length + fresh.length;
  if (total <= cap) return current.concat(fresh);
  const drop = total - cap;
  return drop >= current.length ? fresh.slice(fresh.length - cap) : current.slice(drop).concat(fresh);
}

const appKey = (a: AppEntry) => a.identity.key;

/**
 * merge() for the app map, noting which keys the new map changed (app-changes.ts). A row's endpoints may be only
 * their order, applied to the list held (app-endpoints.ts).
 */
function mergeApps(
  current: LayeredMap<AppEntry>,
  upserts: readonly AppEntry[] | undefined,
  removals: readonly string[] | undefined,
): LayeredMap<AppEntry> {
  const next = current.update(
    (upserts ?? []).map((app) => [appKey(app), withEndpoints(app, current.get(appKey(app)))] as const),
    removals ?? [],
  );
  if (next !== current) recordAppsChange(current, next, [...(upserts ?? []).map(appKey), ...(removals ?? [])]);
  return next;
}
const ruleKey = (r: Rule) => r.id;
const decisionKey = (d: PendingDecision) => d.id;
const candidateKey = (c: LearningCandidate) => c.app.key;

export const useData = create<DataState>()((set) => ({
  connection: { phase: 'connecting' },
  apps: LayeredMap.of<AppEntry>([]),
  rules: new Map(),
  decisions: new Map(),
  candidates: new Map(),
  activity: [],
  activityNotShown: 0,
  status: null,
  settings: null,
  lastDeltaSeq: -1,

  applySnapshot(snapshot) {
    set({
      connection: { phase: 'ready' },
      apps: LayeredMap.of(snapshot.apps.map((app) => [appKey(app), app] as const)),
      rules: keyed(snapshot.rules, ruleKey),
      decisions: keyed(snapshot.decisions, decisionKey),
      candidates: keyed(snapshot.candidates, candidateKey),
      activity: appendActivity([], snapshot.activity, activityCap(snapshot.settings)),
      activityNotShown: 0,
      status: snapshot.status,
      settings: snapshot.settings,
    });
  },

  applyDelta(batch) {
    set((s) => {
      const settings = batch.settings ?? s.settings;
      return {
        lastDeltaSeq: batch.seq,
        status: batch.status ?? s.status,
        settings,
        apps: mergeApps(s.apps, batch.apps, batch.removedApps),
        rules: merge(s.rules, batch.rules, batch.removedRules, ruleKey),
        decisions: merge(s.decisions, batch.decisions, batch.closedDecisions, decisionKey),
        candidates: merge(s.candidates, batch.candidates, batch.removedCandidates, candidateKey),
        activity: appendActivity(s.activity, batch.activity, activityCap(settings)),
        activityNotShown: s.activityNotShown + (batch.activitySkipped ?? 0),
      };
    });
  },

  addOlderActivity(entries) {
    let room = 0;
    set((s) => {
      const cap = activityCap(s.settings);
      const firstSeq = s.activity.length ? s.activity[0]!.seq : Infinity;
      const older = entries.filter((e) => e.seq < firstSeq);
      const fit = Math.max(0, cap - s.activity.length);
      const kept = older.length > fit ? older.slice(older.length - fit) : older;
      room = fit - kept.length;
      return kept.length ? { activity: kept.concat(s.activity) } : {};
    });
    return room;
  },

  addApps(apps) {
    set((s) => {
      const seen = new Set<string>();
      const fresh: AppEntry[] = [];
      for (const app of apps) {
        const key = app.identity.key;
        if (seen.has(key)) continue;
        seen.add(key);
        const held = s.apps.get(key);
        // A delta row that came first stays, with the page's endpoints if it had only their order.
        const row = held ? fillEndpoints(held, app) : app;
        if (row !== held) fresh.push(row);
      }
      return fresh.length ? { apps: mergeApps(s.apps, fresh, undefined) } : {};
    });
  },

  addRules(rules) {
    set((s) => {
      const fresh = rules.filter((rule) => !s.rules.has(rule.id));
      return fresh.length ? { rules: merge(s.rules, fresh, undefined, ruleKey) } : {};
    });
  },

  setConnection(connection) {
    set({ connection });
  },
}));
