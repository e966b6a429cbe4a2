import { describe, expect, it } from 'vitest';
import { NotificationThrottle } from '../../../electron/core/decisions/notification-policy';
import type { NotificationPolicy } from '../../../electron/core/model';
import { ManualTime } from './support/manual-time';

const policy: NotificationPolicy = { enabled: true, perAppMinutes: 10, maxPerMinute: 3 };

describe('notification policy', () => {
  it('allows one notification per app per N minutes', () => {
    const time = new ManualTime();
    const throttle = new NotificationThrottle(time);
    expect(throttle.tryNotify('a', policy)).toBe(true);
    expect(throttle.tryNotify('a', policy)).toBe(false);
    time.advance(9 * 60_000 + 59_000);
    expect(throttle.tryNotify('a', policy)).toBe(false);
    time.advance(1_000);
    expect(throttle.tryNotify('a', policy)).toBe(true);
  });

  it('caps notifications of all apps together per sliding minute', () => {
    const time = new ManualTime();
    const throttle = new NotificationThrottle(time);
    const shown = ['a', 'b', 'c', 'd', 'e'].filter((app) => throttle.tryNotify(app, policy));
    expect(shown).toEqual(['a', 'b', 'c']);
    time.advance(59_999);
    expect(throttle.tryNotify('d', policy)).toBe(false);
    time.advance(1);
    expect(throttle.tryNotify('d', policy)).toBe(true);
  });

  it('shows nothing while paused or disabled, and resumes after the pause', () => {
    const time = new ManualTime();
    const throttle = new NotificationThrottle(time);
    const paused = { ...policy, pausedUntil: time.now() + 60 * 60_000 };
    expect(throttle.tryNotify('a', paused)).toBe(false);
    expect(throttle.tryNotify('a', { ...policy, enabled: false })).toBe(false);
    time.advance(60 * 60_000);
    expect(throttle.tryNotify('a', paused)).toBe(true);
  });
});
