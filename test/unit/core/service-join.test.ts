// The join of the Security log's blocked-connection records (they name the process) to WFP's svchost drops (they do
// not), in either order, within bounded time and memory.
import { describe, expect, it } from 'vitest';
import type { NetEvent } from '../../../native/api';
import { AuditJoin, HOLD_MS, MAX_HELD, RECORD_TTL_MS } from '../../../electron/core/services/audit-join';
import type { BlockedConnectionRecord } from '../../../electron/core/services/port';
import { ManualTime } from './support/manual-time';

const SVCHOST_NT = '\\device\\harddiskvolume3\\windows\\system32\\svchost.exe';

function drop(localPort: number, extra: Partial<NetEvent> = {}): NetEvent {
  return {
    time: 0,
    type: 'drop',
    rawType: 3,
    direction: 'out',
    protocol: 6,
    localAddress: '192.0.2.10',
    localPort,
    remoteAddress: '2001:db8::85',
    remotePort: 8530,
    appPath: 'C:\\Windows\\System32\\svchost.exe',
    filterId: 70,
    flags: 0,
    ...extra,
  };
}

function record(
  pid: number,
  sourcePort: number,
  extra: Partial<BlockedConnectionRecord> = {},
): BlockedConnectionRecord {
  return {
    eventId: 5157,
    time: 0,
    processId: pid,
    application: SVCHOST_NT,
    direction: 'out',
    sourceAddress: '192.0.2.10',
    sourcePort,
    // Windows may write the address another way than the net event's decoder does
    destAddress: '2001:0db8:0000::0085',
    destPort: 8530,
    protocol: 6,
    filterId: 70,
    ...extra,
  };
}

function setup() {
  const time = new ManualTime();
  const delivered: { port: number | undefined; services: readonly string[] | undefined }[] = [];
  const processes = new Map<number, string[]>([
    [1204, ['BITS', 'wuauserv']],
    [1520, ['Dnscache']],
  ]);
  const join = new AuditJoin(
    time,
    time,
    (pid) => processes.get(pid) ?? [],
    (event, services) => delivered.push({ port: event.localPort, services }),
  );
  return { time, join, delivered };
}

describe('joining audit records to svchost drops', () => {
  it('a record that comes after the drop releases it at once with the services of its process', () => {
    const { join, delivered } = setup();
    expect(join.accept(drop(51640))).toBe('held');
    expect(delivered).toEqual([]);
    join.onRecord(record(1204, 51640));
    expect(delivered).toEqual([{ port: 51640, services: ['BITS', 'wuauserv'] }]);
    expect(join.heldNow).toBe(0);
  });

  it('a record that comes first names the drop without holding it', () => {
    const { join, delivered } = setup();
    join.onRecord(record(1520, 51680));
    expect(join.accept(drop(51680))).toEqual(['Dnscache']);
    expect(delivered).toEqual([]);
    expect(join.stats.joined).toBe(1);
  });

  it('joins only the same connection: another port, filter or protocol stays unknown after the hold', () => {
    const { time, join, delivered } = setup();
    join.accept(drop(51640));
    join.onRecord(record(1204, 51641));
    join.onRecord(record(1204, 51640, { filterId: 71 }));
    join.onRecord(record(1204, 51640, { protocol: 17 }));
    time.advance(HOLD_MS - 1);
    expect(delivered).toEqual([]);
    time.advance(1);
    expect(delivered).toEqual([{ port: 51640, services: undefined }]);
    expect(join.stats.unjoined).toBe(1);
  });

  it('ignores records of other programs and of processes that run no service', () => {
    const { join } = setup();
    join.onRecord(record(1204, 51640, { application: '\\device\\harddiskvolume3\\apps\\tool.exe' }));
    join.onRecord(record(4242, 51640));
    expect(join.stats.records).toBe(0);
    expect(join.accept(drop(51640))).toBe('held');
  });

  it('forgets a record nobody claimed, and never holds more than its bound', () => {
    const { time, join, delivered } = setup();
    join.onRecord(record(1520, 1));
    time.advance(RECORD_TTL_MS + 1);
    expect(join.accept(drop(1))).toBe('held');
    for (let port = 2; port <= MAX_HELD + 10; port++) join.accept(drop(port));
    expect(join.heldNow).toBe(MAX_HELD);
    expect(join.stats.overflow).toBe(10);
    expect(delivered.slice(0, 2)).toEqual([
      { port: 1, services: undefined },
      { port: 2, services: undefined },
    ]);
    join.flush();
    expect(join.heldNow).toBe(0);
    expect(delivered).toHaveLength(MAX_HELD + 10);
  });
});
