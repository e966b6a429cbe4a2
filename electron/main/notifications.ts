// Shows what core asks for (core has already applied the policy: per-app interval, global cap, pause).
import type { NotificationRequest } from '../core/model';
import type { ElectronDeps } from './deps';

export function createNotifier(deps: ElectronDeps, openDecision: (decisionId: string) => void) {
  return (request: NotificationRequest): void => {
    if (!deps.notificationsSupported()) return;
    deps.showNotification({ title: request.title, body: request.body }, () => openDecision(request.decisionId));
  };
}
