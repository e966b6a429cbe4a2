// Later pages of a paged snapshot: rows are added, but never over a newer row a delta already brought.
import { describe, expect, it } from 'vitest';
import type { ActivityEntry, AppEntry, Rule, Settings, Snapshot, Status } from '../../../electron/core/model';
import { useData } from '../../../renderer/src/store/data-store';
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

function app(name: string, blockedCount = 1): AppEntry {
  return appRow(`C:\\Apps\\${name}.exe`, name, { blockedCount });
}

describe('paged snapshot in the store', () => {
  it('adds the apps of later pages and keeps rows that deltas brought meanwhile', () => {
    const snapshot = {
      status,
      settings: { activityLogSize: 200 } as Settings,
      apps: [app('First')],
      rules: [],
      decisions: [],
      candidates: [],
      activity: [],
      appsNext: 1,
    } satisfies Snapshot;
    useData.getState().applySnapshot(snapshot);
    const newer = app('Paged', 50);
    useData.getState().applyDelta({ seq: 1, apps: [newer] });
    useData.getState().addApps([app('Paged', 3), app('Other')]);
    const apps = useData.getState().apps;
    expect([...apps.keys()].sort()).toEqual(
      ['path:c:\\apps\\first.exe', 'path:c:\\apps\\other.exe', 'path:c:\\apps\\paged.exe'].sort(),
    );
    expect(apps.get(newer.identity.key)).toBe(newer);
  });

  it('adds the rules of later pages and keeps the version a delta brought meanwhile', () => {
    const rule = (id: string, note?: string): Rule => ({
      id,
      app: { key: `path:c:\\apps\\${id}.exe`, kind: 'path', displayName: id, path: `C:\\Apps\\${id}.exe` },
      action: 'allow',
      direction: 'out',
      duration: { kind: 'forever' },
      source: 'user',
      created: 1_000,
      ...(note ? { note } : {}),
    });
    useData.getState().applySnapshot({
      status,
      settings: { activityLogSize: 200 } as Settings,
      apps: [],
      rules: [rule('r1')],
      decisions: [],
      candidates: [],
      activity: [],
      rulesNext: 1,
    } satisfies Snapshot);
    const edited = rule('r2', 'edited meanwhile');
    useData.getState().applyDelta({ seq: 1, rules: [edited] });
    useData.getState().addRules([rule('r2'), rule('r3')]);
    const rules = useData.getState().rules;
    expect([...rules.keys()].sort()).toEqual(['r1', 'r2', 'r3']);
    expect(rules.get('r2')).toBe(edited);
  });

  it('puts older log entries before the newest ones, never beyond what the page keeps', () => {
    const entry = (seq: number): ActivityEntry => ({
      seq,
      time: seq,
      appKey: 'path:c:\\apps\\a.exe',
      appName: 'a',
      verdict: 'blocked',
    });
    useData.getState().applySnapshot({
      status,
      settings: { activityLogSize: 250 } as Settings,
      apps: [],
      rules: [],
      decisions: [],
      candidates: [],
      activity: [entry(200), entry(201)],
      activityNext: 200,
    } satisfies Snapshot);
    useData.getState().applyDelta({ seq: 1, activity: [entry(202)] });
    const older = Array.from({ length: 100 }, (_, i) => entry(100 + i));
    expect(useData.getState().addOlderActivity(older)).toBe(147);
    // A page repeating entries already held adds only the older ones.
    expect(useData.getState().addOlderActivity([entry(99), entry(150)])).toBe(146);
    const many = Array.from({ length: 200 }, (_, i) => entry(i - 101));
    expect(useData.getState().addOlderActivity(many)).toBe(0);
    const seqs = useData.getState().activity.map((e) => e.seq);
    expect(seqs).toHaveLength(250);
    expect(seqs.at(-1)).toBe(202);
    expect(seqs[0]).toBe(202 - 249);
    expect(seqs.every((s, i) => i === 0 || seqs[i - 1]! < s)).toBe(true);
  });
});
