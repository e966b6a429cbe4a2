// Decides whether a notification may be shown now: never while paused or disabled, at most one per app per
// `perAppMinutes`, at most PER_SOURCE_PER_MINUTE for the apps of one folder (appSource) and at most `maxPerMinute`
// for all apps together in any sliding minute. What a budget refuses is not dropped silently: it is counted, and
// the next notification shown says "and N more apps were blocked". Memory is bounded.
import type { AppIdentity, NotificationPolicy } from '../model';
import { LruMap } from '../util/bounded';
import type { Clock } from '../util/runtime';
import { appSource } from './app-source';

const MINUTE = 60_000;
/** Notifications per minute for the apps of one folder: a flood of small programs from %TEMP% uses this, not all. */
export const PER_SOURCE_PER_MINUTE = 2;

export type NotifyVerdict =
  | { readonly show: true; /** apps refused by a budget since the last notification shown */ readonly more: number }
  | { readonly show: false };

export class NotificationThrottle {
  private readonly lastPerApp = new LruMap<string, number>(10_000);
  private readonly perSource = new LruMap<string, number[]>(10_000);
  private recent: number[] = [];
  private refused = new Set<string>();

  constructor(private readonly clock: Clock) {}

  /** Records the notification when the policy allows it; O(maxPerMinute) at worst. */
  decide(app: AppIdentity, policy: NotificationPolicy): NotifyVerdict {
    const now = this.clock.now();
    if (!policy.enabled) return { show: false };
    if (policy.pausedUntil !== undefined && now < policy.pausedUntil) return { show: false };
    const last = this.lastPerApp.peek(app.key);
    if (last !== undefined && now - last < policy.perAppMinutes * MINUTE) return { show: false };
    const source = appSource(app);
    const fromSource = (this.perSource.peek(source) ?? []).filter((t) => now - t < MINUTE);
    this.recent = this.recent.filter((t) => now - t < MINUTE);
    if (fromSource.length >= PER_SOURCE_PER_MINUTE || this.recent.length >= policy.maxPerMinute) {
      // Bounded: the count is what matters, not which apps.
      if (this.refused.size < 100_000) this.refused.add(app.key);
      return { show: false };
    }
    this.recent.push(now);
    fromSource.push(now);
    this.perSource.set(source, fromSource);
    this.lastPerApp.set(app.key, now);
    this.refused.delete(app.key);
    const more = this.refused.size;
    this.refused = new Set();
    return { show: true, more };
  }

  /** Kept for callers that only need yes or no. */
  tryNotify(appKey: string, policy: NotificationPolicy): boolean {
    return this.decide({ key: appKey, kind: 'system', displayName: appKey }, policy).show;
  }
}
