// The window's list of an app's endpoints when rows carry only their order: reordered from the list it holds, never
// applied to another list, never replaced by an older one, and filled in by a snapshot page when a delta row came
// first.
import { beforeEach, describe, expect, it } from 'vitest';
import type { AppEntry, Endpoint } from '../../../electron/core/model';
import { useData } from '../../../renderer/src/store/data-store';
import { selectVisibleAppKeys } from '../../../renderer/src/store/app-selectors';
import { appRow, snapshotOf } from './support/rows';

const KEY = 'path:c:\\apps\\tool.exe';
const ep = (host: string, count = 1): Endpoint => ({
  address: `198.51.100.${host.length}`,
  hostname: `${host}.example`,
  hostnameSource: 'dns',
  port: 443,
  count,
  lastSeen: 1_000,
});
const A = ep('a');
const B = ep('bb');
const C = ep('ccc');

function row(parts: Partial<AppEntry>, blockedCount = 1): AppEntry {
  return appRow('C:\\Apps\\tool.exe', 'Tool', { blockedCount, ...parts });
}

function open(apps: AppEntry[], appsNext?: number): void {
  useData.getState().applySnapshot(snapshotOf(apps, appsNext !== undefined ? { appsNext } : {}));
}

const held = () => useData.getState().apps.get(KEY)!;
const hosts = () => held().endpoints.map((e) => e.hostname);
const found = (query: string) =>
  selectVisibleAppKeys(
    useData.getState().apps,
    { query, state: 'all', blockedBy: 'all', direction: 'all' },
    { key: 'name', dir: 'asc' },
  );

let seq = 0;
const delta = (...apps: AppEntry[]) => useData.getState().applyDelta({ seq: ++seq, apps });

describe("an app's endpoints in the store", () => {
  beforeEach(() => open([]));

  it('takes the endpoints a row adds to the list it refers to, and the order of the rest, as a new version', () => {
    delta(row({ endpoints: [A, B], endpointsVersion: 4 }));
    delta(row({ endpointsBase: 4, endpointsVersion: 4, endpointOrder: [1, 0] }));
    // C is new and A left: the row carries C only.
    delta(row({ endpoints: [C], endpointsBase: 4, endpointsVersion: 6, endpointOrder: [-1, 1] }));
    expect(hosts()).toEqual(['ccc.example', 'bb.example']);
    expect(found('a.example')).toEqual([]);
    expect(found('ccc.example')).toEqual([KEY]);
    // The next rows refer to version 6, in the order it was given.
    delta(row({ endpointsBase: 6, endpointsVersion: 6, endpointOrder: [1, 0] }));
    expect(hosts()).toEqual(['bb.example', 'ccc.example']);
    delta(row({ endpoints: [A], endpointsBase: 6, endpointsVersion: 8, endpointOrder: [1, -1, 0] }));
    expect(hosts()).toEqual(['bb.example', 'a.example', 'ccc.example']);
    // A renamed endpoint comes as a new one in its place.
    const renamed = { ...B, hostname: 'renamed.example' };
    delta(row({ endpoints: [renamed], endpointsBase: 8, endpointsVersion: 9, endpointOrder: [-1, 1, 2] }));
    expect(hosts()).toEqual(['renamed.example', 'a.example', 'ccc.example']);
    expect(found('renamed.example')).toEqual([KEY]);
  });

  it('reorders the list it holds by each row that carries only the order, again and again', () => {
    delta(row({ endpoints: [A, B, C], endpointsVersion: 4 }));
    delta(row({ endpointsBase: 4, endpointsVersion: 4, endpointOrder: [2, 0, 1] }, 2));
    expect(hosts()).toEqual(['ccc.example', 'a.example', 'bb.example']);
    expect(held().blockedCount).toBe(2);
    delta(row({ endpointsBase: 4, endpointsVersion: 4, endpointOrder: [1, 2, 0] }, 3));
    expect(hosts()).toEqual(['bb.example', 'ccc.example', 'a.example']);
    // Search finds the app by an endpoint no row carried since the list.
    expect(found('ccc.example')).toEqual([KEY]);
  });

  it('a snapshot row with its version and order takes later orders of that version', () => {
    open([row({ endpoints: [B, A, C], endpointsVersion: 7, endpointOrder: [1, 0, 2] })]);
    delta(row({ endpointsBase: 7, endpointsVersion: 7, endpointOrder: [2, 1, 0] }));
    expect(hosts()).toEqual(['ccc.example', 'bb.example', 'a.example']);
  });

  it('an order of another list, or one that does not fit the list, leaves the list held', () => {
    delta(row({ endpoints: [A, B, C], endpointsVersion: 4 }));
    delta(row({ endpointsBase: 3, endpointsVersion: 3, endpointOrder: [2, 1, 0] }));
    delta(row({ endpoints: [C], endpointsBase: 3, endpointsVersion: 5, endpointOrder: [-1, 0] }));
    expect(hosts()).toEqual(['a.example', 'bb.example', 'ccc.example']);
    delta(row({ endpointsBase: 4, endpointsVersion: 4, endpointOrder: [3, 1, 0] }));
    expect(hosts()).toEqual(['a.example', 'bb.example', 'ccc.example']);
    delta(row({ endpointsBase: 4, endpointsVersion: 4, endpointOrder: [1, 0] }, 9));
    expect(hosts()).toEqual(['a.example', 'bb.example', 'ccc.example']);
    expect(held().blockedCount).toBe(9);
  });

  it('a list older than the one held (a batch that raced the snapshot) does not replace it', () => {
    open([row({ endpoints: [C, B], endpointsVersion: 9, endpointOrder: [0, 1] })]);
    delta(row({ endpoints: [A], endpointsVersion: 5 }, 4));
    expect(hosts()).toEqual(['ccc.example', 'bb.example']);
    expect(held().blockedCount).toBe(4);
    // A newer list does.
    delta(row({ endpoints: [A, B], endpointsVersion: 10 }));
    expect(hosts()).toEqual(['a.example', 'bb.example']);
  });

  it("an order that came before the app's page is applied to the list the page brings", () => {
    open([], 0);
    delta(row({ endpointsBase: 4, endpointsVersion: 4, endpointOrder: [1, 0, 2] }, 8));
    expect(held().endpoints).toEqual([]);
    useData.getState().addApps([row({ endpoints: [B, A, C], endpointsVersion: 4, endpointOrder: [1, 0, 2] }, 5)]);
    expect(hosts()).toEqual(['bb.example', 'a.example', 'ccc.example']);
    expect(held().blockedCount).toBe(8);
    delta(row({ endpointsBase: 4, endpointsVersion: 4, endpointOrder: [2, 1, 0] }));
    expect(hosts()).toEqual(['ccc.example', 'bb.example', 'a.example']);
  });
});
