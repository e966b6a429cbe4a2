// What the UI sees of core: status, snapshots, and the delta batches (only what changed since the last one),
// plus the notices the user should read.
import type {
  DeltaBatch,
  AppEntry,
  AppPublisher,
  Endpoint,
  Notice,
  PendingDecision,
  Rule,
  Settings,
  Snapshot,
  Status,
} from '../model';
import type { AppIndex } from '../apps/app-index';
import { nameEndpoint, type EndpointName } from '../apps/endpoint-set';
import type { PendingDecisions } from '../decisions/pending';
import { DeltaBatcher } from '../delta/batcher';
import type { ReverseDns } from '../enrichment/reverse-dns';
import type { LearningCandidates } from '../learning/candidates';
import type { ActivityLog } from '../pipeline/activity-log';
import type { EventCounters } from '../pipeline/counters';
import type { RuleStore } from '../rules/rule-store';
import { isAppWide } from '../rules/schema';
import type { Clock, IdSource, Timers } from '../util/runtime';
import { deltaEndpoints, pageEndpoints } from './endpoint-rows';
import { SnapshotPages, SNAPSHOT_ACTIVITY_MAX } from './snapshot-pages';

/**
 * Who a row is for: a delta batch (its endpoints may be only their order, endpoint-rows.ts), a snapshot page (the
 * whole list, with the order where the deltas' list still holds), or a reader that keeps no list (CLI, tray).
 */
export type RowFor = 'delta' | 'page' | 'alone';

const MAX_NOTICES = 50;
/** A row changed only by events goes out at most this often per app or decision (state changes go at once). */
export const ROW_INTERVAL_MS = 1_000;
/** Rows held back by their interval that one batch carries at most (many apps fall due together). */
export const PACED_ROWS_PER_BATCH = 100;
/**
 * App rows changed only by events sent per second at most: as many as the first screen shows, so up to 300 busy
 * apps still each get a fresh row every second. Beyond that (a flood from more apps) each waits its turn, oldest
 * change first, instead of 1,000 rows of about 1 KB a second being built, serialized and parsed by every window.
 * New apps and state changes do not wait for this.
 */
export const PACED_ROWS_PER_SECOND = 300;
/**
 * Changed rules one batch carries at most: an import of 20,000 rules reaches the window over several batches, each
 * built and serialized in a few milliseconds, instead of one 8 MB batch that holds the main thread.
 */
export const RULES_PER_BATCH = 1_000;
/** Log entries sent to the page per second at most (a person reads far fewer); the rest are counted. */
export const ACTIVITY_PER_SECOND = 1_000;
/** ...and per batch at most, however long since the last one. */
export const ACTIVITY_PER_BATCH = 500;

export interface PublisherSources {
  readonly clock: Clock;
  readonly timers: Timers;
  readonly ids: IdSource;
  readonly settings: () => Settings;
  readonly backendKind: () => Status['backend'];
  /** How events reach core (the subscription's, else what the backend expects), when known. */
  readonly delivery?: () => Status['delivery'];
  /** Where rules and settings live, shown in Settings. */
  readonly dataFolder: string;
  readonly counters: EventCounters;
  readonly decisions: PendingDecisions;
  readonly rules: RuleStore;
  readonly index: AppIndex;
  readonly candidates: LearningCandidates;
  readonly activity: ActivityLog;
  readonly reverseDns: () => ReverseDns;
  /** Why a rule has no filter in WFP, when it has none. */
  readonly notEnforced?: (ruleId: string) => string | undefined;
  /** The code signature of an executable, once checked (enrichment/code-signature.ts). */
  readonly publisherOf?: (path: string) => AppPublisher | undefined;
  /**
   * The domains the program at `path` looked up, by address (enrichment/host-names.ts); undefined when it looked
   * nothing up, so that its endpoints are not looked up one by one.
   */
  readonly hostNamesOf?: (path: string | undefined) => ((address: string) => string | undefined) | undefined;
  /** The path as written on disk (enrichment/real-case.ts). */
  readonly realCaseOf?: (path: string) => string | undefined;
}

export class Publisher {
  readonly batcher: DeltaBatcher;
  private notices: Notice[] = [];
  /** The snapshot a window asks for, in pages. */
  readonly pages: SnapshotPages;
  private readonly dirtyRules = new Set<string>();
  /** Decisions changed by attempts (paced) and by opening or closing (sent at once). */
  private readonly dirtyDecisions = new Set<string>();
  private readonly urgentDecisions = new Set<string>();
  private readonly decisionSentAt = new Map<string, number>();
  /** Log entries the next batches may still carry (refills at ACTIVITY_PER_SECOND). */
  private activityBudget = ACTIVITY_PER_BATCH;
  private activityBudgetAt: number;
  /** Paced app rows the next batches may still carry (refills at PACED_ROWS_PER_SECOND). */
  private rowBudget = PACED_ROWS_PER_BATCH;
  private rowBudgetAt: number;
  private statusDirty = false;
  private settingsDirty = false;
  /** The last version given to an app's endpoint list (endpoint-rows.ts); versions only grow. */
  private endpointsVersion = 0;
  private readonly newEndpointsVersion = (): number => ++this.endpointsVersion;

  constructor(private readonly s: PublisherSources) {
    this.activityBudgetAt = s.clock.now();
    this.rowBudgetAt = this.activityBudgetAt;
    this.pages = new SnapshotPages(s, this);
    this.batcher = new DeltaBatcher(s.timers, s.settings().batchIntervalMs, (forced) => this.collectDelta(forced));
  }

  /** Adds a notice; the same notice again moves to the end with its count, instead of a second copy. */
  notice(level: Notice['level'], message: string): void {
    const time = this.s.clock.now();
    const index = this.notices.findIndex((n) => n.level === level && n.message === message);
    if (index >= 0) {
      const same = this.notices[index]!;
      this.notices.splice(index, 1);
      this.notices.push({ ...same, time, count: (same.count ?? 1) + 1 });
    } else {
      this.notices.push({ id: this.s.ids(), time, level, message });
    }
    if (this.notices.length > MAX_NOTICES) this.notices = this.notices.slice(-MAX_NOTICES);
    this.markStatus();
  }

  dismissNotice(id: string): boolean {
    const before = this.notices.length;
    this.notices = this.notices.filter((n) => n.id !== id);
    if (this.notices.length === before) return false;
    this.markStatus();
    return true;
  }

  markStatus(): void {
    this.statusDirty = true;
    this.batcher.schedule();
  }

  status(): Status {
    return {
      mode: this.s.settings().mode,
      backend: this.s.backendKind(),
      dataFolder: this.s.dataFolder,
      counters: this.s.counters.snapshot(this.s.clock.now()),
      pendingDecisions: this.s.decisions.size,
      moreAppsBlocked: this.s.decisions.overflowCount,
      routineBlocks: this.s.decisions.routineBlocks,
      rules: this.s.rules.size,
      blockedApps: this.s.index.blockedCount,
      notices: [...this.notices],
      ...withDelivery(this.s.delivery?.()),
    };
  }

  appEntry(key: string, rowFor: RowFor = 'alone'): AppEntry | undefined {
    const record = this.s.index.get(key);
    if (!record) return undefined;
    const rule = this.s.rules.appRule(key);
    const state = this.s.decisions.forApp(key)
      ? 'pending'
      : this.s.rules.isIgnored(key)
        ? 'ignored'
        : rule && isAppWide(rule)
          ? rule.action === 'allow'
            ? 'allowed'
            : 'blocked'
          : 'new';
    const path = record.identity.path;
    // Each endpoint named as it is built: the domain the app looked up, else the reverse-DNS name.
    const lookedUp = this.s.hostNamesOf?.(path);
    const endpoints =
      rowFor === 'delta'
        ? deltaEndpoints(record, lookedUp, this.reverseName, this.newEndpointsVersion)
        : rowFor === 'page'
          ? pageEndpoints(record, lookedUp, this.reverseName)
          : undefined;
    const entry = record.toEntry(state, rule?.id, this.s.clock.now(), this.reverseName, lookedUp, endpoints);
    if (path === undefined) return entry;
    const real = this.s.realCaseOf?.(path);
    if (real && real !== path) entry.identity = { ...entry.identity, path: real };
    const publisher = this.s.publisherOf?.(path);
    if (publisher) entry.publisher = publisher;
    return entry;
  }

  private readonly reverseName = (address: string): string | undefined => this.s.reverseDns().nameOf(address);

  /**
   * An app's endpoints as they are now, newest first and named, with their current attempts and last-seen times (a
   * delta row may carry only their order); null for an app not known (forgotten meanwhile).
   */
  endpointsOf(key: string): Endpoint[] | null {
    const record = this.s.index.get(key);
    if (!record) return null;
    return record.endpoints.newestFirst(this.s.hostNamesOf?.(record.identity.path), this.reverseName);
  }

  /** A decision's endpoints named as rows name theirs (nameEndpoint). O(endpoints). */
  private nameEndpoints(path: string | undefined, endpoints: readonly Endpoint[]): Endpoint[] {
    const lookedUp = this.s.hostNamesOf?.(path);
    return endpoints.map((e) => {
      const named: Endpoint & EndpointName = { ...e };
      nameEndpoint(named, e.address, lookedUp, this.reverseName);
      return named;
    });
  }

  /** A decision as the UI sees it: the path in its real case, endpoints with their names. */
  decisionView(d: PendingDecision): PendingDecision {
    const real = d.app.path !== undefined ? this.s.realCaseOf?.(d.app.path) : undefined;
    return {
      ...d,
      ...(real ? { app: { ...d.app, path: real } } : {}),
      endpoints: this.nameEndpoints(d.app.path, d.endpoints),
    };
  }

  snapshot(): Snapshot {
    this.batcher.flush();
    const apps: AppEntry[] = [];
    for (const record of this.s.index.records()) {
      const entry = this.appEntry(record.identity.key);
      if (entry) apps.push(entry);
    }
    return {
      status: this.status(),
      settings: this.s.settings(),
      apps,
      rules: this.s.rules.all().map((rule) => this.ruleView(rule)),
      decisions: this.s.decisions.all().map((d) => this.decisionView(d)),
      candidates: this.s.candidates.all(),
      activity: this.s.activity.newest(Math.min(SNAPSHOT_ACTIVITY_MAX, this.s.settings().activityLogSize)),
    };
  }

  /** A rule as the UI and the CLI see it: with the reason it is not enforced, when it is not. */
  ruleView(rule: Rule): Rule {
    const reason = this.s.notEnforced?.(rule.id);
    return reason === undefined ? rule : { ...rule, notEnforced: reason };
  }

  onDelta(listener: (batch: DeltaBatch) => void): () => void {
    return this.batcher.subscribe(listener);
  }

  private collectDelta(forced: boolean): Omit<DeltaBatch, 'seq'> {
    const out: { -readonly [K in keyof Omit<DeltaBatch, 'seq'>]: Omit<DeltaBatch, 'seq'>[K] } = {};
    const now = this.s.clock.now();
    // Rows are sent whole; one changed only by events goes at most once per ROW_INTERVAL_MS and within the row
    // budget, so bytes per second follow neither the event rate nor the number of active apps.
    this.rowBudget = Math.min(
      PACED_ROWS_PER_BATCH,
      this.rowBudget + ((now - this.rowBudgetAt) * PACED_ROWS_PER_SECOND) / 1000,
    );
    this.rowBudgetAt = now;
    let pacedRows = 0;
    const apps = this.s.index.takeChanges(
      (record) => {
        const due = forced || now - record.sentAt >= ROW_INTERVAL_MS;
        if (due) pacedRows++;
        return due;
      },
      forced ? Infinity : Math.floor(this.rowBudget),
    );
    if (!forced) this.rowBudget = Math.max(0, this.rowBudget - pacedRows);
    if (apps.changed.length > 0) {
      const entries: AppEntry[] = [];
      for (const key of apps.changed) {
        const entry = this.appEntry(key, 'delta');
        if (!entry) continue;
        entries.push(entry);
        const record = this.s.index.get(key);
        if (record) record.sentAt = now;
      }
      if (entries.length > 0) out.apps = entries;
    }
    if (apps.removed.length > 0) out.removedApps = apps.removed;
    if (this.dirtyRules.size > 0) {
      const upserted: Rule[] = [];
      const removed: string[] = [];
      let taken = 0;
      for (const id of this.dirtyRules) {
        if (!forced && taken++ >= RULES_PER_BATCH) break;
        this.dirtyRules.delete(id);
        const rule = this.s.rules.get(id);
        if (rule) upserted.push(this.ruleView(rule));
        else removed.push(id);
      }
      if (upserted.length > 0) out.rules = upserted;
      if (removed.length > 0) out.removedRules = removed;
    }
    if (this.dirtyDecisions.size > 0 || this.urgentDecisions.size > 0) {
      const open: PendingDecision[] = [];
      const closed: string[] = [];
      const take = (id: string) => {
        const d = this.s.decisions.get(id);
        if (d) {
          open.push(this.decisionView(d));
          this.decisionSentAt.set(id, now);
        } else {
          closed.push(id);
          this.decisionSentAt.delete(id);
        }
      };
      for (const id of this.urgentDecisions) {
        this.dirtyDecisions.delete(id);
        take(id);
      }
      this.urgentDecisions.clear();
      let paced = 0;
      for (const id of this.dirtyDecisions) {
        if (!forced && paced >= PACED_ROWS_PER_BATCH) break;
        if (forced || now - (this.decisionSentAt.get(id) ?? -Infinity) >= ROW_INTERVAL_MS) {
          paced++;
          this.dirtyDecisions.delete(id);
          take(id);
        }
      }
      if (open.length > 0) out.decisions = open;
      if (closed.length > 0) out.closedDecisions = closed;
    }
    const candidates = this.s.candidates.takeChanges();
    if (candidates.changed.length > 0) out.candidates = candidates.changed;
    if (candidates.removed.length > 0) out.removedCandidates = candidates.removed;
    this.activityBudget = Math.min(
      ACTIVITY_PER_BATCH,
      this.activityBudget + ((now - this.activityBudgetAt) * ACTIVITY_PER_SECOND) / 1000,
    );
    this.activityBudgetAt = now;
    const activity = this.s.activity.takeFreshCapped(forced ? ACTIVITY_PER_BATCH : Math.floor(this.activityBudget));
    this.activityBudget = Math.max(0, this.activityBudget - activity.entries.length);
    if (activity.entries.length > 0) out.activity = activity.entries;
    if (activity.skipped > 0) out.activitySkipped = activity.skipped;
    if (this.settingsDirty) {
      out.settings = this.s.settings();
      this.settingsDirty = false;
    }
    if (this.statusDirty) {
      out.status = this.status();
      this.statusDirty = false;
    }
    // Rows held back for their interval go out with a later batch even if nothing else happens.
    if (this.s.index.waiting > 0 || this.dirtyDecisions.size > 0 || this.dirtyRules.size > 0) this.batcher.schedule();
    return out;
  }

  /** `paced`: only its attempts changed, so it may wait for its row interval. */
  markDecision(id: string, paced = false): void {
    if (paced && !this.urgentDecisions.has(id)) this.dirtyDecisions.add(id);
    else this.urgentDecisions.add(id);
    this.markStatus();
  }

  markRule(id: string): void {
    this.dirtyRules.add(id);
    this.batcher.schedule();
  }

  markSettings(): void {
    this.settingsDirty = true;
    this.markStatus();
  }

  markApp(key: string): void {
    this.s.index.markDirty(key);
    this.batcher.schedule();
  }
}

function withDelivery(delivery: Status['delivery']): { delivery?: NonNullable<Status['delivery']> } {
  return delivery ? { delivery } : {};
}
