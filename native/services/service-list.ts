// Which Windows services run in which process: the service control manager's list of running Win32 services with
// their process ids (EnumServicesStatusExW, SC_ENUM_PROCESS_INFO, SERVICE_WIN32, SERVICE_ACTIVE), as Task Manager's
// Services tab and `tasklist /svc` show it. Several services can share one svchost process; each is listed.
// Sources: learn.microsoft.com "EnumServicesStatusExW", "ENUM_SERVICE_STATUS_PROCESSW", "SERVICE_STATUS_PROCESS",
// "OpenSCManagerW" and "Service Security and Access Rights" (authenticated users may connect and enumerate).
import koffi from 'koffi';
import { loadServices, ServicesError, type ServicesLibrary } from './functions.js';
import {
  ENUM_SERVICE_STATUS_PROCESSW,
  SC_ENUM_PROCESS_INFO,
  SC_MANAGER_CONNECT,
  SC_MANAGER_ENUMERATE_SERVICE,
  SERVICE_ACTIVE,
  SERVICE_WIN32,
  SERVICE_WIN32_SHARE_PROCESS,
  SERVICES_ERRORS,
  servicesErrorSymbol,
} from './types.js';

export interface RunningService {
  /** The service's key name (wuauserv), as `sc query` and service SIDs use it. */
  readonly name: string;
  readonly displayName: string;
  readonly processId: number;
  /** SERVICE_WIN32_SHARE_PROCESS: it may share its process with others. */
  readonly shared: boolean;
}

/** The documented upper bound of one EnumServicesStatusExW buffer. */
const MAX_BUFFER = 256 * 1024;

const isNull = (p: unknown): boolean => p === null || p === undefined || p === 0n;

function lastError(lib: ServicesLibrary, func: string, what: string): ServicesError {
  const code = lib.fn.GetLastError() as number;
  return new ServicesError(func, code, servicesErrorSymbol(code), what);
}

/** Every running Win32 service with its process id. Needs no administrator rights. */
export function runningServices(lib: ServicesLibrary = loadServices()): RunningService[] {
  const scm: unknown = lib.fn.OpenSCManagerW(null, null, SC_MANAGER_CONNECT | SC_MANAGER_ENUMERATE_SERVICE);
  if (isNull(scm)) throw lastError(lib, 'OpenSCManagerW', 'The service list cannot be read; services stay unnamed.');
  try {
    const services: RunningService[] = [];
    const resume = [0];
    let size = 0;
    for (let round = 0; round < 64; round++) {
      const buffer = size ? Buffer.alloc(size) : null;
      const needed = [0];
      const returned = [0];
      const ok = lib.fn.EnumServicesStatusExW(
        scm,
        SC_ENUM_PROCESS_INFO,
        SERVICE_WIN32,
        SERVICE_ACTIVE,
        buffer,
        size,
        needed,
        returned,
        resume,
        null,
      ) as number;
      const code = ok ? 0 : (lib.fn.GetLastError() as number);
      if (!ok && code !== SERVICES_ERRORS.ERROR_MORE_DATA)
        throw new ServicesError('EnumServicesStatusExW', code, servicesErrorSymbol(code), 'Services stay unnamed.');
      if (buffer && returned[0]) {
        const entries = koffi.decode(buffer, koffi.array(ENUM_SERVICE_STATUS_PROCESSW, returned[0] as number)) as {
          lpServiceName: string;
          lpDisplayName: string;
          ServiceStatusProcess: { dwServiceType: number; dwProcessId: number };
        }[];
        for (const e of entries)
          services.push({
            name: e.lpServiceName,
            displayName: e.lpDisplayName,
            processId: e.ServiceStatusProcess.dwProcessId,
            shared: (e.ServiceStatusProcess.dwServiceType & SERVICE_WIN32_SHARE_PROCESS) !== 0,
          });
      }
      if (ok) return services;
      // ERROR_MORE_DATA: `needed` bytes hold what is left, from `resume` on.
      size = Math.min(MAX_BUFFER, Math.max(needed[0] as number, size));
    }
    throw new ServicesError(
      'EnumServicesStatusExW',
      SERVICES_ERRORS.ERROR_MORE_DATA,
      'ERROR_MORE_DATA',
      'The list kept growing.',
    );
  } finally {
    lib.fn.CloseServiceHandle(scm);
  }
}

/** Process id -> the names of the services running in it (sorted). */
export function servicesByProcess(services: readonly RunningService[]): Map<number, string[]> {
  const byPid = new Map<number, string[]>();
  for (const s of services) {
    if (!s.processId) continue;
    const list = byPid.get(s.processId);
    if (list) list.push(s.name);
    else byPid.set(s.processId, [s.name]);
  }
  for (const list of byPid.values()) list.sort((a, b) => a.localeCompare(b));
  return byPid;
}

/** SERVICE_SID_INFO.dwServiceSidType: whether the service's SID is in its process token. */
export type ServiceSidType = 'none' | 'unrestricted' | 'restricted';

const SERVICE_QUERY_CONFIG = 0x1;
const SERVICE_CONFIG_SERVICE_SID_INFO = 5;

/**
 * The service's SID type (QueryServiceConfig2W, SERVICE_CONFIG_SERVICE_SID_INFO): with "none" its service SID is not
 * in its process token, so no ALE_USER_ID condition on that SID can match its connections. Undefined when the
 * service does not exist. Source: learn.microsoft.com "SERVICE_SID_INFO", "QueryServiceConfig2W".
 */
export function serviceSidType(name: string, lib: ServicesLibrary = loadServices()): ServiceSidType | undefined {
  const scm: unknown = lib.fn.OpenSCManagerW(null, null, SC_MANAGER_CONNECT);
  if (isNull(scm)) throw lastError(lib, 'OpenSCManagerW', 'The service configuration cannot be read.');
  try {
    const service: unknown = lib.fn.OpenServiceW(scm, name, SERVICE_QUERY_CONFIG);
    if (isNull(service)) {
      const code = lib.fn.GetLastError() as number;
      if (code === 1060) return undefined; // ERROR_SERVICE_DOES_NOT_EXIST
      throw new ServicesError(
        'OpenServiceW',
        code,
        servicesErrorSymbol(code),
        'The service configuration cannot be read.',
      );
    }
    try {
      const info = Buffer.alloc(16);
      const needed = [0];
      if (!lib.fn.QueryServiceConfig2W(service, SERVICE_CONFIG_SERVICE_SID_INFO, info, info.length, needed))
        throw lastError(lib, 'QueryServiceConfig2W', 'The service configuration cannot be read.');
      const type = info.readUInt32LE(0);
      return type === 0 ? 'none' : type === 3 ? 'restricted' : 'unrestricted';
    } finally {
      lib.fn.CloseServiceHandle(service);
    }
  } finally {
    lib.fn.CloseServiceHandle(scm);
  }
}
