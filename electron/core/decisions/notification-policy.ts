// Decides whether a notification may be shown now: never while paused or disabled, at most one per app per
// `perAppMinutes`, at most `maxPerMinute` in any sliding minute for all apps together. Memory is bounded.
import type { NotificationPolicy } from '../model';
import { LruMap } from '../util/bounded';
import type { Clock } from '../util/runtime';

const MINUTE = 60_000;

export class NotificationThrottle {
  private readonly lastPerApp = new LruMap<string, number>(10_000);
  private recent: number[] = [];

  constructor(private readonly clock: Clock) {}

  /** Returns true and records the notification when the policy allows it; O(maxPerMinute) at worst. */
  tryNotify(appKey: string, policy: NotificationPolicy): boolean {
    const now = this.clock.now();
    if (!policy.enabled) return false;
    if (policy.pausedUntil !== undefined && now < policy.pausedUntil) return false;
    const last = this.lastPerApp.peek(appKey);
    if (last !== undefined && now - last < policy.perAppMinutes * MINUTE) return false;
    this.recent = this.recent.filter((t) => now - t < MINUTE);
    if (this.recent.length >= policy.maxPerMinute) return false;
    this.recent.push(now);
    this.lastPerApp.set(appKey, now);
    return true;
  }
}
