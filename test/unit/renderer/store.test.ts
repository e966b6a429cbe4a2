// The renderer's store: a snapshot then delta batches, applied once per batch, touching only what changed; the
// activity log bounded; the Blocked table's rows filtered and sorted, and left alone when nothing visible changed.
import { beforeEach, describe, expect, it } from 'vitest';
import type { ActivityEntry, AppEntry, Settings, Snapshot, Status } from '../../../electron/core/model';
import { selectVisibleAppKeys } from '../../../renderer/src/store/app-selectors';
import { useData } from '../../../renderer/src/store/data-store';
import type { AppFilters, SortSpec } from '../../../renderer/src/store/ui-store';
import { appRow } from './support/rows';

const status: Status = {
  mode: 'monitor',
  backend: 'simulator',
  counters: { eventsIn: 0, malformed: 0, lost: 0, eventsPerSecond: 0 },
  pendingDecisions: 0,
  rules: 0,
  blockedApps: 0,
  notices: [],
};
const settings: Settings = {
  schemaVersion: 1,
  mode: 'monitor',
  notifications: { enabled: true, perAppMinutes: 10, maxPerMinute: 4 },
  decisionDefaultAction: 'block',
  activityLogSize: 200,
  batchIntervalMs: 100,
  closeToTray: true,
  reverseDns: true,
  essentials: [],
};

function app(name: string, patch: Partial<AppEntry> = {}): AppEntry {
  return appRow(`C:\\Program Files\\${name}\\${name.toLowerCase()}.exe`, name, {
    endpoints: [{ address: '203.0.113.1', port: 443, protocol: 6, count: 1, lastSeen: 2_000 }],
    ports: [443],
    protocols: [6],
    ...patch,
  });
}

function activity(seq: number): ActivityEntry {
  return { seq, time: seq, appKey: 'k', appName: 'App', verdict: 'blocked' };
}

function snapshot(patch: Partial<Snapshot> = {}): Snapshot {
  return { status, settings, apps: [], rules: [], decisions: [], candidates: [], activity: [], ...patch };
}

const allFilters: AppFilters = { query: '', direction: 'all', blockedBy: 'all', state: 'all' };
const byName: SortSpec = { key: 'name', dir: 'asc' };

beforeEach(() => {
  useData.getState().applySnapshot(snapshot());
});

describe('applying core state', () => {
  it('applies a delta batch with one store update, keeping unchanged entries and maps as they were', () => {
    const firefox = app('Firefox');
    const steam = app('Steam');
    useData.getState().applySnapshot(snapshot({ apps: [firefox, steam] }));
    const rulesBefore = useData.getState().rules;
    let updates = 0;
    const off = useData.subscribe(() => updates++);
    const steamLater = app('Steam', { blockedCount: 9, state: 'blocked' });
    const chat = app('Chat');
    useData.getState().applyDelta({ seq: 1, apps: [steamLater, chat], removedApps: [firefox.identity.key] });
    off();

    expect(updates).toBe(1);
    const apps = useData.getState().apps;
    expect([...apps.keys()].sort()).toEqual([chat.identity.key, steam.identity.key].sort());
    expect(apps.get(steam.identity.key)).toBe(steamLater);
    expect(useData.getState().rules).toBe(rulesBefore);
  });

  it('skips activity a batch repeats from the snapshot and keeps the log within the configured size', () => {
    useData.getState().applySnapshot(snapshot({ activity: [activity(1), activity(2), activity(3)] }));
    useData.getState().applyDelta({ seq: 1, activity: [activity(2), activity(3), activity(4)] });
    expect(useData.getState().activity.map((e) => e.seq)).toEqual([1, 2, 3, 4]);

    const flood = Array.from({ length: 500 }, (_, i) => activity(5 + i));
    useData.getState().applyDelta({ seq: 2, activity: flood });
    const log = useData.getState().activity;
    expect(log).toHaveLength(settings.activityLogSize);
    expect(log[0]!.seq).toBe(504 - settings.activityLogSize + 1);
    expect(log.at(-1)!.seq).toBe(504);
  });

  it('opens and closes decisions and follows new settings', () => {
    const decision = {
      id: 'd1',
      app: app('Tool').identity,
      opened: 1,
      attempts: 1,
      endpoints: [],
      blockedBy: 'portcullis' as const,
    };
    useData.getState().applyDelta({ seq: 1, decisions: [decision], settings: { ...settings, mode: 'enforce' } });
    expect(useData.getState().decisions.get('d1')).toEqual(decision);
    expect(useData.getState().settings?.mode).toBe('enforce');
    useData.getState().applyDelta({ seq: 2, closedDecisions: ['d1'] });
    expect(useData.getState().decisions.size).toBe(0);
  });
});

describe('the Blocked table rows', () => {
  const apps = () => useData.getState().apps;

  beforeEach(() => {
    useData.getState().applySnapshot(
      snapshot({
        apps: [
          app('Firefox', { blockedCount: 5, lastSeen: 3_000 }),
          app('Steam', { blockedCount: 50, directions: ['in'], state: 'blocked' }),
          app('Chat', {
            blockedCount: 7,
            blockedBy: 'portcullis',
            endpoints: [{ address: '198.51.100.4', hostname: 'chat.example', count: 1, lastSeen: 1 }],
          }),
        ],
      }),
    );
  });

  const names = (keys: readonly string[]) => keys.map((k) => apps().get(k)!.identity.displayName);

  it('sorts by any column in either direction', () => {
    expect(names(selectVisibleAppKeys(apps(), allFilters, byName))).toEqual(['Chat', 'Firefox', 'Steam']);
    expect(names(selectVisibleAppKeys(apps(), allFilters, { key: 'blockedCount', dir: 'desc' }))).toEqual([
      'Steam',
      'Chat',
      'Firefox',
    ]);
    expect(names(selectVisibleAppKeys(apps(), allFilters, { key: 'lastSeen', dir: 'desc' }))[0]).toBe('Firefox');
  });

  it('searches names, paths and host names, and filters by direction, blocker and state', () => {
    const run = (f: Partial<AppFilters>) => names(selectVisibleAppKeys(apps(), { ...allFilters, ...f }, byName));
    expect(run({ query: 'FIRE' })).toEqual(['Firefox']);
    expect(run({ query: 'program files\\steam' })).toEqual(['Steam']);
    expect(run({ query: 'chat.example' })).toEqual(['Chat']);
    expect(run({ direction: 'in' })).toEqual(['Steam']);
    expect(run({ blockedBy: 'portcullis' })).toEqual(['Chat']);
    expect(run({ state: 'blocked' })).toEqual(['Steam']);
    expect(run({ query: 'nothing like it' })).toEqual([]);
  });

  it('returns the same rows when a batch changes nothing the table shows in order', () => {
    const filters = { ...allFilters };
    const before = selectVisibleAppKeys(apps(), filters, byName);
    const firefox = apps().get(before[1]!)!;
    useData.getState().applyDelta({ seq: 9, apps: [{ ...firefox, blockedCount: 6 }] });
    expect(selectVisibleAppKeys(apps(), filters, byName)).toBe(before);

    const renamed = { ...firefox, identity: { ...firefox.identity, displayName: 'Aardvark' } };
    useData.getState().applyDelta({ seq: 10, apps: [renamed] });
    expect(names(selectVisibleAppKeys(apps(), filters, byName))[0]).toBe('Aardvark');
  });
});
