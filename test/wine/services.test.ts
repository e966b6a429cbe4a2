// native/services against Windows' own service control manager (Wine's services.exe in the Windows ABI lane): the
// binding that names the services behind an svchost process, on a real SCM, with its real buffer protocol.
import { describe, expect, it } from 'vitest';
import { loadServices } from '../../native/services/functions.js';
import { enableSecurityPrivilege } from '../../native/services/privilege.js';
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
  it('says nothing for a service that does not exist, and names the level Wine does not implement', () => {
    expect(serviceSidType('PortcullisNoSuchService')).toBeUndefined();
    const [first] = runningServices();
    // Wine 8's QueryServiceConfig2W has no SERVICE_CONFIG_SERVICE_SID_INFO; Windows has it since Vista, and
    // `npm run smoke:windows` reads it there. A rule is then neither refused nor narrowed on a guess.
    expect(() => serviceSidType(first!.name)).toThrow(/QueryServiceConfig2W failed: ERROR_INVALID_LEVEL \(124\)/);
  });
});

describe("SeSecurityPrivilege through Wine's advapi32", () => {
  it('is enabled in our own token (OpenProcessToken, LookupPrivilegeValueW, AdjustTokenPrivileges)', () => {
    expect(() => enableSecurityPrivilege(loadServices())).not.toThrow();
  });
});
