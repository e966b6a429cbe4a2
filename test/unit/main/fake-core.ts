// A core stand-in whose handlers are spies: the tests check what reaches core, not what core does with it.
import { vi } from 'vitest';
import type {
  DeltaBatch,
  NotificationRequest,
  PendingDecision,
  Settings,
  Snapshot,
  Status,
} from '../../../electron/core/model';
import type { CoreService } from '../../../electron/main/core-port';

export const settings: Settings = {
  schemaVersion: 1,
  mode: 'monitor',
  notifications: { enabled: true, perAppMinutes: 10, maxPerMinute: 3 },
  decisionDefaultAction: 'block',
  activityLogSize: 1000,
  batchIntervalMs: 100,
  closeToTray: true,
  reverseDns: true,
  essentials: [],
};

export const status: Status = {
  mode: 'monitor',
  backend: 'simulator',
  counters: { eventsIn: 0, malformed: 0, lost: 0, eventsPerSecond: 0 },
  pendingDecisions: 0,
  rules: 0,
  blockedApps: 0,
  notices: [],
};

export function decision(id: string, name: string, opened = 1): PendingDecision {
  return {
    id,
    app: { key: `path:c:\\apps\\${name}.exe`, kind: 'path', displayName: name, path: `C:\\Apps\\${name}.exe` },
    opened,
    attempts: 3,
    endpoints: [],
    blockedBy: 'portcullis',
  };
}

export function fakeCore(snapshot: Partial<Snapshot> = {}) {
  const deltaListeners = new Set<(batch: DeltaBatch) => void>();
  const notificationListeners = new Set<(request: NotificationRequest) => void>();
  let finishStop: () => void = () => undefined;
  const full: Snapshot = {
    status,
    settings,
    apps: [],
    rules: [],
    decisions: [],
    candidates: [],
    activity: [],
    ...snapshot,
  };
  const reject = (name: string) => vi.fn(async () => Promise.reject(new Error(`${name} not expected in this test`)));
  const handlers = {
    'snapshot.get': vi.fn(async () => full),
    'apps.decide': vi.fn(async () => ({ rules: [] })),
    'rules.create': reject('rules.create'),
    'rules.update': reject('rules.update'),
    'rules.remove': vi.fn(async (args: { ids: readonly string[] }) => ({ removed: args.ids.length })),
    'rules.export': vi.fn(async () => ({ json: '{}' })),
    'rules.previewImport': reject('rules.previewImport'),
    'rules.import': reject('rules.import'),
    'decisions.resolve': reject('decisions.resolve'),
    'learning.commit': vi.fn(async () => ({ rules: [] })),
    'learning.discard': vi.fn(async () => ({ removed: [] })),
    'mode.set': vi.fn(async (args: { mode: Status['mode'] }) => ({ ...status, mode: args.mode })),
    'settings.update': vi.fn(async () => settings),
    'notifications.pause': vi.fn(async () => settings),
    'activity.export': vi.fn(async () => ({ text: '', entries: 0 })),
    'app.reset': vi.fn(async () => status),
  };
  const stop = vi.fn(
    () =>
      new Promise<void>((resolve) => {
        finishStop = resolve;
      }),
  );
  const core = {
    handlers: handlers as unknown as CoreService['handlers'],
    spies: handlers,
    onDelta: (l: (batch: DeltaBatch) => void) => {
      deltaListeners.add(l);
      return () => deltaListeners.delete(l);
    },
    onNotification: (l: (request: NotificationRequest) => void) => {
      notificationListeners.add(l);
      return () => notificationListeners.delete(l);
    },
    stop,
    /** Calls still running after stop, as the backend names them (tests fill it). */
    held: [] as string[],
    callsHoldingExit(): readonly string[] {
      return core.held;
    },
    endSession: vi.fn(),
    /** Lets the pending stop() resolve. */
    finishStop: () => finishStop(),
    delta: (batch: Omit<DeltaBatch, 'seq'>) => {
      for (const l of deltaListeners) l({ seq: 1, ...batch });
    },
    notify: (request: NotificationRequest) => {
      for (const l of notificationListeners) l(request);
    },
  };
  return core;
}
