// The services source through koffi into the simulator's advapi32 (service control manager, audit policy) and
// wevtapi (Security log): which services run in which process, failure auditing turned on and put back exactly,
// and event 5157 read live with the process id that the WFP net event lacks.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  enableBlockedConnectionAudit,
  queryConnectionAudit,
  restoreConnectionAudit,
} from '../../native/services/audit-policy.js';
import { recordOf, watchBlockedConnections, type BlockedConnectionRecord } from '../../native/services/security-log.js';
import { runningServices, serviceSidType, servicesByProcess } from '../../native/services/service-list.js';
import { loadServicesSimControl } from '../../native/services/sim-control.js';
import { loadServices } from '../../native/services/functions.js';
import { AUDIT_FILTERING_PLATFORM_CONNECTION } from '../../native/services/types.js';
import { simulator, sleep, waitFor } from './helpers.js';

const { sim } = simulator();
const svc = loadServicesSimControl();
const TOOL = 'C:\\Apps\\tool.exe'; // blocked outbound by a Windows Firewall rule of the simulator's baseline
const attempt = {
  appPath: TOOL,
  protocol: 6,
  direction: 'out' as const,
  localAddress: '192.0.2.10',
  remoteAddress: '198.51.100.7',
  localPort: 50123,
  remotePort: 443,
};

describe('services behind a process (EnumServicesStatusExW)', () => {
  beforeEach(() => svc.reset());
  afterEach(() => svc.reset());

  it('lists running services with their process, several in one svchost, and leaves stopped ones out', () => {
    svc.setService('wuauserv', 1204, { displayName: 'Windows Update' });
    svc.setService('BITS', 1204, { displayName: 'Background Intelligent Transfer Service' });
    svc.setService('Dnscache', 1520, { displayName: 'DNS Client', type: 0x10 });
    svc.setService('Spooler', 0);
    const list = runningServices();
    expect(list.map((s) => s.name).sort()).toEqual(['BITS', 'Dnscache', 'wuauserv']);
    expect(list.find((s) => s.name === 'Dnscache')).toEqual({
      name: 'Dnscache',
      displayName: 'DNS Client',
      processId: 1520,
      shared: false,
    });
    expect(servicesByProcess(list).get(1204)).toEqual(['BITS', 'wuauserv']);
    expect(svc.openScmHandles()).toBe(0);
  });

  it("reads a service's SID type (QueryServiceConfig2W), and nothing for a service that does not exist", () => {
    svc.setService('Dnscache', 1520, { type: 0x10 });
    svc.setService('LegacySvc', 1600, { type: 0x10 });
    svc.setServiceSidType('LegacySvc', 0);
    expect(serviceSidType('Dnscache')).toBe('unrestricted');
    expect(serviceSidType('LegacySvc')).toBe('none');
    expect(serviceSidType('NoSuchService')).toBeUndefined();
    expect(svc.openScmHandles()).toBe(0);
  });

  it('reads a list longer than one buffer (ERROR_MORE_DATA and the resume handle)', () => {
    for (let i = 0; i < 400; i++)
      svc.setService(`Service${String(i).padStart(3, '0')}WithALongerName`, 2000 + (i % 50), {
        displayName: `A service with a display name long enough ${i}`,
      });
    const list = runningServices();
    expect(list).toHaveLength(400);
    expect(new Set(list.map((s) => s.name)).size).toBe(400);
    expect(servicesByProcess(list).get(2000)).toHaveLength(8);
  });
});

describe('failure auditing of blocked connections (AuditQuerySystemPolicy / AuditSetSystemPolicy)', () => {
  beforeEach(() => svc.reset());
  afterEach(() => {
    sim.setElevated(true);
    svc.reset();
  });

  it('turns failure auditing on and puts back exactly what was there', () => {
    expect(queryConnectionAudit()).toBe(0);
    const change = enableBlockedConnectionAudit();
    expect(change).toEqual({ before: 0, changed: true });
    expect(queryConnectionAudit()).toBe(2);
    expect(restoreConnectionAudit(change.before)).toBe(true);
    expect(queryConnectionAudit()).toBe(0);
  });

  it("keeps an administrator's own success auditing, and changes nothing when failure auditing was already on", () => {
    // success auditing set by someone else (auditpol /set /subcategory:... /success:enable)
    svcSet(1);
    const change = enableBlockedConnectionAudit();
    expect(change).toEqual({ before: 1, changed: true });
    expect(queryConnectionAudit()).toBe(3);
    restoreConnectionAudit(change.before);
    expect(queryConnectionAudit()).toBe(1);
    svcSet(3);
    const calls = svc.auditSetCalls();
    expect(enableBlockedConnectionAudit()).toEqual({ before: 3, changed: false });
    expect(svc.auditSetCalls()).toBe(calls);
  });

  it('needs SeSecurityPrivilege enabled first, as auditpol enables it; Portcullis enables it itself', () => {
    const lib = loadServices();
    sim.reset(); // a fresh process token: the privilege is held but disabled
    expect(lib.fn.AuditQuerySystemPolicy(AUDIT_FILTERING_PLATFORM_CONNECTION, 1, [null])).toBe(0);
    expect(lib.fn.GetLastError()).toBe(1314); // ERROR_PRIVILEGE_NOT_HELD
    expect(queryConnectionAudit(lib)).toBe(0);
  });

  it('refuses a process without administrator rights, naming the call, the code and what to do', () => {
    sim.setElevated(false);
    expect(() => enableBlockedConnectionAudit()).toThrow(
      /AdjustTokenPrivileges failed: ERROR_NOT_ALL_ASSIGNED \(1300\)\. .*administrator/,
    );
  });
});

/** Sets the subcategory as another tool would (through the same documented call). */
function svcSet(setting: number): void {
  enableBlockedConnectionAudit(); // failure on, so that the restore below writes `setting`
  restoreConnectionAudit(setting);
}

describe('blocked connections in the Security log (EvtSubscribe, EvtNext, EvtRender)', () => {
  beforeEach(() => {
    svc.reset();
    sim.reset();
  });
  afterEach(() => {
    sim.setElevated(true);
    svc.reset();
  });

  it('reads event 5157 with the process id, application, ends and filter of the blocked connection', async () => {
    const before = enableBlockedConnectionAudit().before;
    const seen: BlockedConnectionRecord[] = [];
    const watch = watchBlockedConnections((r) => seen.push(r));
    expect(svc.auditSubscriptions()).toBe(1);
    const { action, filterId } = svc.connectFrom(4711, attempt);
    expect(action).toBe(0x1001);
    await waitFor(() => seen.length === 1, 5000, 'the audit record');
    expect(seen[0]).toMatchObject({
      eventId: 5157,
      processId: 4711,
      application: '\\device\\harddiskvolume3\\apps\\tool.exe',
      direction: 'out',
      sourceAddress: '192.0.2.10',
      sourcePort: 50123,
      destAddress: '198.51.100.7',
      destPort: 443,
      protocol: 6,
      filterId,
    });
    expect(seen[0]!.layerId).toBeGreaterThan(0);
    expect(Math.abs(seen[0]!.time - Date.now())).toBeLessThan(60_000);
    await watch.stop();
    expect(svc.auditSubscriptions()).toBe(0);
    expect(svc.openAuditRecords()).toBe(0);
    restoreConnectionAudit(before);
  });

  it('writes nothing while failure auditing is off, and a record that arrives late is still read', async () => {
    const seen: BlockedConnectionRecord[] = [];
    const watch = watchBlockedConnections((r) => seen.push(r));
    const written = svc.auditWritten();
    svc.connectFrom(4711, attempt);
    await sleep(400);
    expect(seen).toHaveLength(0);
    expect(svc.auditWritten()).toBe(written);
    enableBlockedConnectionAudit();
    svc.setAuditDelay(300);
    svc.connectFrom(4712, attempt);
    await waitFor(() => seen.length === 1, 5000, 'the late record');
    expect(seen[0]!.processId).toBe(4712);
    await watch.stop();
  });

  it('needs administrator rights to read the Security log', () => {
    sim.setElevated(false);
    expect(() => watchBlockedConnections(() => undefined)).toThrow(
      /EvtSubscribe failed: ERROR_ACCESS_DENIED \(5\)\. .*administrator/,
    );
    expect(svc.auditSubscriptions()).toBe(0);
  });

  it('counts a record without a process id as malformed instead of guessing', () => {
    expect(recordOf([5157, 0, undefined, 'x'])).toBeUndefined();
    expect(recordOf([5157, 0, '1204', undefined, '%%14592'])).toMatchObject({ processId: 1204, direction: 'in' });
  });
});
