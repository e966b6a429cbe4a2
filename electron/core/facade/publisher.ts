// What the UI sees of core: status, snapshots, and the delta batches (only what changed since the last one),
// plus the notices the user should read.
import type { DeltaBatch, AppEntry, Notice, Rule, Settings, Snapshot, Status } from '../model';
import type { AppIndex } from '../apps/app-index';
import type { PendingDecisions } from '../decisions/pending';
import { DeltaBatcher } from '../delta/batcher';
import type { ReverseDns } from '../enrichment/reverse-dns';
import type { LearningCandidates } from '../learning/candidates';
import type { ActivityLog } from '../pipeline/activity-log';
import type { EventCounters } from '../pipeline/counters';
import type { RuleStore } from '../rules/rule-store';
import { isAppWide } from '../rules/schema';
import type { Clock, IdSource, Timers } from '../util/runtime';

const MAX_NOTICES = 50;

export interface PublisherSources {
  readonly clock: Clock;
  readonly timers: Timers;
  readonly ids: IdSource;
  readonly settings: () => Settings;
  readonly backendKind: () => Status['backend'];
  /** Where rules and settings live, shown in Settings. */
  readonly dataFolder: string;
  readonly counters: EventCounters;
  readonly decisions: PendingDecisions;
  readonly rules: RuleStore;
  readonly index: AppIndex;
  readonly candidates: LearningCandidates;
  readonly activity: ActivityLog;
  readonly reverseDns: () => ReverseDns;
}

export class Publisher {
  readonly batcher: DeltaBatcher;
  private notices: Notice[] = [];
  private readonly dirtyRules = new Set<string>();
  private readonly dirtyDecisions = new Set<string>();
  private statusDirty = false;
  private settingsDirty = false;

  constructor(private readonly s: PublisherSources) {
    this.batcher = new DeltaBatcher(s.timers, s.settings().batchIntervalMs, () => this.collectDelta());
  }

  notice(level: Notice['level'], message: string): void {
    this.notices.push({ id: this.s.ids(), time: this.s.clock.now(), level, message });
    if (this.notices.length > MAX_NOTICES) this.notices = this.notices.slice(-MAX_NOTICES);
    this.markStatus();
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
      rules: this.s.rules.size,
      blockedApps: this.s.index.blockedCount,
      notices: [...this.notices],
    };
  }

  appEntry(key: string): AppEntry | undefined {
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
    return record.toEntry(state, rule?.id, this.s.clock.now(), (address) => this.s.reverseDns().nameOf(address));
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
      rules: this.s.rules.all(),
      decisions: this.s.decisions.all(),
      candidates: this.s.candidates.all(),
      activity: this.s.activity.entries(),
    };
  }

  onDelta(listener: (batch: DeltaBatch) => void): () => void {
    return this.batcher.subscribe(listener);
  }

  private collectDelta(): Omit<DeltaBatch, 'seq'> {
    const out: { -readonly [K in keyof Omit<DeltaBatch, 'seq'>]: Omit<DeltaBatch, 'seq'>[K] } = {};
    const apps = this.s.index.takeChanges();
    if (apps.changed.length > 0) {
      out.apps = apps.changed.map((key) => this.appEntry(key)).filter((e): e is AppEntry => e !== undefined);
    }
    if (apps.removed.length > 0) out.removedApps = apps.removed;
    if (this.dirtyRules.size > 0) {
      const upserted: Rule[] = [];
      const removed: string[] = [];
      for (const id of this.dirtyRules) {
        const rule = this.s.rules.get(id);
        if (rule) upserted.push(rule);
        else removed.push(id);
      }
      this.dirtyRules.clear();
      if (upserted.length > 0) out.rules = upserted;
      if (removed.length > 0) out.removedRules = removed;
    }
    if (this.dirtyDecisions.size > 0) {
      const open = [];
      const closed: string[] = [];
      for (const id of this.dirtyDecisions) {
        const d = this.s.decisions.get(id);
        if (d) open.push(d);
        else closed.push(id);
      }
      this.dirtyDecisions.clear();
      if (open.length > 0) out.decisions = open;
      if (closed.length > 0) out.closedDecisions = closed;
    }
    const candidates = this.s.candidates.takeChanges();
    if (candidates.changed.length > 0) out.candidates = candidates.changed;
    if (candidates.removed.length > 0) out.removedCandidates = candidates.removed;
    const activity = this.s.activity.takeFresh();
    if (activity.length > 0) out.activity = activity;
    if (this.settingsDirty) {
      out.settings = this.s.settings();
      this.settingsDirty = false;
    }
    if (this.statusDirty) {
      out.status = this.status();
      this.statusDirty = false;
    }
    return out;
  }

  markDecision(id: string): void {
    this.dirtyDecisions.add(id);
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
