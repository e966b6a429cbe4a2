// The snapshot the window asks for when it opens, in pieces: the first screen at once (the most recently active
// apps, the newest log entries, the first rules), the rest a page per request, so that no answer holds main's
// thread for long however many apps, entries and rules there are. The order of apps and rules is fixed when the
// first screen is taken; what changes later comes by delta batches anyway, and a page builds each row as it is then.
import type { ActivityPage, AppEntry, AppsPage, Rule, RulesPage, Snapshot } from '../model';
import type { Publisher } from './publisher';
import type { PublisherSources } from './publisher-sources';

/** The page keeps at most this many log entries (its ACTIVITY_HARD_CAP); a snapshot carries no more. */
export const SNAPSHOT_ACTIVITY_MAX = 20_000;

/** Apps in a snapshot's first screen, and per page after it: each answer stays well under 50 ms of main thread. */
export const FIRST_SCREEN_APPS = 300;
export const APPS_PAGE = 250;
/** Log entries in a snapshot's first screen, and per page after it (the page asks until it holds its maximum). */
export const FIRST_SCREEN_ACTIVITY = 1_000;
export const ACTIVITY_PAGE = 1_000;
/** Rules in a snapshot's first screen, and per page after it (a rule is a few hundred bytes of JSON). */
export const FIRST_SCREEN_RULES = 1_000;
export const RULES_PAGE = 1_000;

export class SnapshotPages {
  /** App keys and rule ids in the order the last first screen fixed, until their last page was asked for. */
  private appOrder: string[] | undefined;
  private ruleOrder: string[] | undefined;

  constructor(
    private readonly s: PublisherSources,
    private readonly publisher: Publisher,
  ) {}

  firstScreen(): Snapshot {
    // The index keeps its apps in the order of their last event: read newest first, no sort.
    const keys: string[] = new Array<string>(this.s.index.size);
    let n = 0;
    for (const record of this.s.index.newestFirst()) keys[n++] = record.identity.key;
    keys.length = n;
    this.appOrder = keys;
    this.ruleOrder = this.s.rules.all().map((rule) => rule.id);
    const apps = this.appsPage(0, FIRST_SCREEN_APPS);
    const rules = this.rulesPage(0, FIRST_SCREEN_RULES);
    const logShown = Math.min(SNAPSHOT_ACTIVITY_MAX, this.s.settings().activityLogSize);
    const activity = this.s.activity.newest(Math.min(FIRST_SCREEN_ACTIVITY, logShown));
    const activityNext =
      activity.length > 0 && activity.length < Math.min(logShown, this.s.activity.size) ? activity[0]!.seq : undefined;
    return {
      status: this.publisher.status(),
      settings: this.s.settings(),
      apps: apps.apps,
      rules: rules.rules,
      decisions: this.s.decisions.all().map((d) => this.publisher.views.decisionView(d)),
      candidates: this.s.candidates.all(),
      activity,
      ...(apps.next !== undefined ? { appsNext: apps.next } : {}),
      ...(activityNext !== undefined ? { activityNext } : {}),
      ...(rules.next !== undefined ? { rulesNext: rules.next } : {}),
    };
  }

  /**
   * Log entries older than `before`, at most `limit`, oldest first; never beyond the newest SNAPSHOT_ACTIVITY_MAX
   * (or the log's size), what the page keeps.
   */
  activityPage(before: number, limit = ACTIVITY_PAGE): ActivityPage {
    const within = Math.min(SNAPSHOT_ACTIVITY_MAX, this.s.settings().activityLogSize);
    const { entries, more } = this.s.activity.olderThan(before, Math.min(limit, ACTIVITY_PAGE * 2), within);
    return more && entries.length > 0 ? { activity: entries, next: entries[0]!.seq } : { activity: entries };
  }

  /** Rows `cursor`..`cursor + limit` of the order the last first screen fixed; apps gone since are skipped. */
  appsPage(cursor: number, limit = APPS_PAGE): AppsPage {
    const keys = this.appOrder ?? [];
    const end = Math.min(keys.length, cursor + limit);
    const apps: AppEntry[] = [];
    for (let i = cursor; i < end; i++) {
      const entry = this.publisher.views.appEntry(keys[i]!, 'page');
      if (entry) apps.push(entry);
    }
    if (end >= keys.length) this.appOrder = undefined;
    return end < keys.length ? { apps, next: end } : { apps };
  }

  /** Rules `cursor`..`cursor + limit` of the order the last first screen fixed; rules removed since are skipped. */
  rulesPage(cursor: number, limit = RULES_PAGE): RulesPage {
    const ids = this.ruleOrder ?? [];
    const end = Math.min(ids.length, cursor + limit);
    const rules: Rule[] = [];
    for (let i = cursor; i < end; i++) {
      const rule = this.s.rules.get(ids[i]!);
      if (rule) rules.push(this.publisher.views.ruleView(rule));
    }
    if (end >= ids.length) this.ruleOrder = undefined;
    return end < ids.length ? { rules, next: end } : { rules };
  }
}
