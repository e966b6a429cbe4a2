// The simulator's controls for the services source (native/sim/src/scm.c, audit_policy.c, evt.c): the services the
// service control manager lists, a connection from a given process id (the id the audit record names), the audit
// records' delay and counters. Not available on Windows, where the real services, policy and log answer.
import koffi from 'koffi';
import { simulatorPath } from '../loader.js';
import { SIM_CONNECTION, type SimConnection, connectionStruct } from '../sim-control.js';

export interface ServicesSimControl {
  /** Adds or changes a service; type 0x10 own process, 0x20 shared; pid 0: stopped. */
  setService(name: string, pid: number, options?: { displayName?: string; type?: number }): void;
  /** A connection attempt from process `pid` (the audit record's ProcessID): the action (0x1001 block) and filter. */
  connectFrom(pid: number, connection: SimConnection): { action: number; filterId: number };
  /** A service's SID type: 0 none, 1 unrestricted (default), 3 restricted. */
  setServiceSidType(name: string, sidType: 0 | 1 | 3): void;
  /** Audit records become readable this many ms after the attempt. */
  setAuditDelay(ms: number): void;
  auditWritten(): number;
  auditSubscriptions(): number;
  openAuditRecords(): number;
  auditSetCalls(): number;
  openScmHandles(): number;
  reset(): void;
}

export function loadServicesSimControl(libraryPath = simulatorPath()): ServicesSimControl {
  if (process.platform === 'win32') throw new Error('the services simulator is not built for Windows');
  const h = koffi.load(libraryPath);
  const f = {
    setService: h.func('sim_set_service', 'uint32_t', ['char16_t *', 'char16_t *', 'uint32_t', 'uint32_t']),
    connectFrom: h.func('sim_connect_from', 'uint32_t', [
      koffi.pointer(SIM_CONNECTION),
      'uint32_t',
      'void *',
      koffi.out(koffi.pointer('uint64_t')),
    ]),
    setSidType: h.func('sim_set_service_sid_type', 'uint32_t', ['char16_t *', 'uint32_t']),
    setDelay: h.func('uint32_t sim_audit_set_delay(uint32_t ms)'),
    written: h.func('uint64_t sim_audit_written(void)'),
    subscriptions: h.func('uint32_t sim_audit_subscriptions(void)'),
    openRecords: h.func('uint64_t sim_audit_open_records(void)'),
    setCalls: h.func('uint32_t sim_audit_set_calls(void)'),
    openScm: h.func('uint32_t sim_scm_open_handles(void)'),
    servicesReset: h.func('uint32_t sim_services_reset(void)'),
    auditReset: h.func('uint32_t sim_audit_reset(void)'),
  };
  return {
    setService: (name, pid, options = {}) => {
      const rc = f.setService(name, options.displayName ?? null, options.type ?? 0x20, pid) as number;
      if (rc) throw new Error(`sim_set_service failed: ${rc}`);
    },
    connectFrom: (pid, connection) => {
      const id: bigint[] = [0n];
      const action = f.connectFrom(connectionStruct(connection), pid, null, id) as number;
      return { action, filterId: Number(id[0]) };
    },
    setServiceSidType: (name, sidType) => {
      const rc = f.setSidType(name, sidType) as number;
      if (rc) throw new Error(`sim_set_service_sid_type failed: ${rc}`);
    },
    setAuditDelay: (ms) => void f.setDelay(ms),
    auditWritten: () => Number(f.written()),
    auditSubscriptions: () => f.subscriptions() as number,
    openAuditRecords: () => Number(f.openRecords()),
    auditSetCalls: () => f.setCalls() as number,
    openScmHandles: () => f.openScm() as number,
    reset: () => {
      f.servicesReset();
      f.auditReset();
      f.setDelay(0);
    },
  };
}
