// What the UI receives of core: delta batches with only what changed since the last one, status with the notices,
// and the whole snapshot. Changes are marked as they happen (in O(1), on every event of a flood) and collected once
// per batch, where rows changed only by events are paced per app and within a budget of rows and log entries a
// second. How each row looks is row-views.ts; the snapshot in pages is snapshot-pages.ts.
import type { DeltaBatch, AppEntry, Notice, PendingDecision, Rule, Snapshot, Status } from '../model';
import { DeltaBatcher } from '../delta/batcher';
import { RateBudget } from '../util/rate-budget';
import { Notices } from './notices';
import type { PublisherSources } from './publisher-sources';
import { RowViews } from './row-views';
import { SnapshotPages, SNAPSHOT_ACTIVITY_MAX } from './snapshot-pages';

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

export class Publisher {
  readonly batcher: DeltaBatcher;
  private readonly notices: Notices;
  /** Rows as the UI sees them. */
  readonly views: RowViews;
  /** The snapshot a window asks for, in pages. */
  readonly pages: SnapshotPages;
  private readonly dirtyRules = new Set<string>();
  /** Decisions changed by attempts (paced) and by opening or closing (sent at once). */
  private readonly dirtyDecisions = new Set<string>();
  private readonly urgentDecisions = new Set<string>();
  private readonly decisionSentAt = new Map<string, number>();
  /** Log entries the next batches may still carry. */
  private readonly activityBudget: RateBudget;
  /** Paced app rows the next batches may still carry. */
  private readonly rowBudget: RateBudget;
  private statusDirty = false;
  private settingsDirty = false;

  constructor(private readonly s: PublisherSources) {
    const now = s.clock.now();
    this.activityBudget = new RateBudget(ACTIVITY_PER_SECOND, ACTIVITY_PER_BATCH, now);
    this.rowBudget = new RateBudget(PACED_ROWS_PER_SECOND, PACED_ROWS_PER_BATCH, now);
    this.notices = new Notices(s.clock, s.ids);
    this.views = new RowViews(s);
    this.pages = new SnapshotPages(s, this);
    this.batcher = new DeltaBatcher(s.timers, s.settings().batchIntervalMs, (forced) => this.collectDelta(forced));
  }

  notice(level: Notice['level'], message: string): void {
    this.notices.add(level, message);
    this.markStatus();
  }

  dismissNotice(id: string): boolean {
    if (!this.notices.dismiss(id)) return false;
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
      notices: this.notices.list(),
      ...withDelivery(this.s.delivery?.()),
    };
  }

  snapshot(): Snapshot {
    this.batcher.flush();
    const apps: AppEntry[] = [];
    for (const record of this.s.index.records()) {
      const entry = this.views.appEntry(record.identity.key);
      if (entry) apps.push(entry);
    }
    return {
      status: this.status(),
      settings: this.s.settings(),
      apps,
      rules: this.s.rules.all().map((rule) => this.views.ruleView(rule)),
      decisions: this.s.decisions.all().map((d) => this.views.decisionView(d)),
      candidates: this.s.candidates.all(),
      activity: this.s.activity.newest(Math.min(SNAPSHOT_ACTIVITY_MAX, this.s.settings().activityLogSize)),
    };
  }

  onDelta(listener: (batch: DeltaBatch) => void): () => void {
    return this.batcher.subscribe(listener);
  }

  private collectDelta(forced: boolean): Omit<DeltaBatch, 'seq'> {
    // Under a steady flow the events wait in the event ring until now: handled in one burst per batch (about half
    // the CPU of ten small ones, native/batch/drain.ts), and in this batch, as they would have been.
    this.s.takeWaiting?.();
    const out: { -readonly [K in keyof Omit<DeltaBatch, 'seq'>]: Omit<DeltaBatch, 'seq'>[K] } = {};
    const now = this.s.clock.now();
    // Rows are sent whole; one changed only by events goes at most once per ROW_INTERVAL_MS and within the row
    // budget, so bytes per second follow neither the event rate nor the number of active apps.
    const rowBudget = this.rowBudget.refill(now);
    let pacedRows = 0;
    const apps = this.s.index.takeChanges(
      (record) => {
        const due = forced || now - record.sentAt >= ROW_INTERVAL_MS;
        if (due) pacedRows++;
        return due;
      },
      forced ? Infinity : Math.floor(rowBudget),
    );
    if (!forced) this.rowBudget.spend(pacedRows);
    if (apps.changed.length > 0) {
      const entries: AppEntry[] = [];
      for (const key of apps.changed) {
        const entry = this.views.appEntry(key, 'delta');
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
        if (rule) upserted.push(this.views.ruleView(rule));
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
          open.push(this.views.decisionView(d));
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
    const activityBudget = this.activityBudget.refill(now);
    const activity = this.s.activity.takeFreshCapped(forced ? ACTIVITY_PER_BATCH : Math.floor(activityBudget));
    this.activityBudget.spend(activity.entries.length);
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
