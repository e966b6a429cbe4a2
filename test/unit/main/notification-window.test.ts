// The notification window leaves by itself: NOTIFICATION_LINGER_MS after the last new notification, and a new one
// restarts the wait.
import { describe, expect, it } from 'vitest';
import { NOTIFICATION_LINGER_MS, NotificationWindow } from '../../../electron/main/notification-window';
import { fakeElectron } from './fake-electron';
import { settle } from './start';

describe('notification window timing', () => {
  it('hides itself after a quiet while, and a new notification restarts the wait', async () => {
    const electron = fakeElectron();
    electron.ready();
    const timers: { fn: () => void; ms: number; cleared: boolean }[] = [];
    const window = new NotificationWindow(electron, {
      preload: '/p.cjs',
      devTools: false,
      url: 'portcullis://app/notification.html',
      onOpened: () => undefined,
      userBusy: () => false,
      setTimer: (fn, ms) => {
        const t = { fn, ms, cleared: false };
        timers.push(t);
        return t;
      },
      clearTimer: (t) => void ((t as { cleared: boolean }).cleared = true),
    });
    window.show({ decisionId: 'd1', appKey: 'k', title: 't', body: 'b' });
    await settle();
    const win = electron.windows[0]!;
    expect(win.visible).toBe(true);
    window.show({ decisionId: 'd2', appKey: 'k2', title: 't', body: 'b' });
    await settle();
    expect(timers.map((t) => [t.ms, t.cleared])).toEqual([
      [NOTIFICATION_LINGER_MS, true],
      [NOTIFICATION_LINGER_MS, false],
    ]);
    timers[1]!.fn();
    expect(win.visible).toBe(false);
    expect(win.focused).toBe(false);
  });
});
