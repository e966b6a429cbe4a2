// Shows what core asks for (core has already applied the policy: per-app interval, global cap, pause) in our own
// notification window (see notification-window.ts for why not a Windows toast).
import type { NotificationRequest } from '../core/model';
import type { NotificationWindow } from './notification-window';

export function createNotifier(window: Pick<NotificationWindow, 'show'>) {
  return (request: NotificationRequest): void => void window.show(request);
}
