// native/services against Windows' own service control manager (Wine's services.exe in the Windows ABI lane): the
// binding that names the services behind an svchost process, on a real SCM, with its real buffer protocol.
import { describe, expect, it } from 'vitest';
import { loadServices } from '../../native/services/functions.js';
import { runningServices, serviceSidType, servicesByProcess } from '../../native/services/service-list.js';

describe("running services from Wine's service control manager", () => {
  it('lists running Win32 services with the process each runs in', () => {
    const lib = loadServices();
    expect(lib.backend).toBe('windows');
    const list = runningServices(lib);
    // wineboot starts services (RpcSs, PlugPlay) before any program runs.
    expect(list.length).toBeGreaterThan(0);
    for (const s of list) {
      expect(s.name).toMatch(/^[\w.$-]+$/);
      expect(s.displayName.length).toBeGreaterThan(0);
      expect(s.processId).toBeGreaterThan(0);
    }
    const byPid = servicesByProcess(list);
    expect([...byPid.values()].flat().sort()).toEqual(list.map((s) => s.name).sort());
  });

  it('starts without a buffer, follows ERROR_MORE_DATA, and reads the same whole list each time', () => {
    const first = runningServices();
    const again = runningServices();
    expect(again.map((s) => s.name).sort()).toEqual(first.map((s) => s.name).sort());
  });
});

describe("a service's SID type from Wine's service control manager", () => {
  it('answers for a running service and says nothing for one that does not exist', () => {
    const [first] = runningServices();
    expect(['none', 'unrestricted', 'restricted']).toContain(serviceSidType(first!.name));
    expect(serviceSidType('PortcullisNoSuchService')).toBeUndefined();
  });
});
