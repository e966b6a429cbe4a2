// Who an event belongs to. Keys are stable across events, restarts and case changes in paths:
//   path:<lower-case DOS path>   an executable
//   service:<name>                an svchost-hosted service told apart by its service SID
//   package:<SID>                 a packaged (UWP) app
//   system                        the kernel
// svchost events whose service cannot be named keep the svchost path key, shown as "svchost (service unknown)",
// so that a rule made for them applies to the svchost binary, which is all WFP can tell apart then.
import type { NetEvent } from '../../../native/api';
import type { AppIdentity } from '../model';
import { baseName, friendlyName } from '../enrichment/friendly-name';
import { isServiceSid, ServiceSidTable } from './service-sids';

export const SYSTEM_IDENTITY: AppIdentity = { key: 'system', kind: 'system', displayName: 'System', path: 'System' };
export const UNATTRIBUTED_KEY = 'unattributed';
const UNATTRIBUTED: AppIdentity = {
  key: UNATTRIBUTED_KEY,
  kind: 'system',
  displayName: 'No application (network stack)',
};

export const SVCHOST_PATH = 'C:\\Windows\\System32\\svchost.exe';

/** Backslashes, no duplicate separators, no trailing dots or spaces; case kept for display. */
export function normalizePath(path: string): string {
  let p = path.trim().replace(/\//g, '\\');
  const unc = p.startsWith('\\\\');
  p = p.replace(/\\{2,}/g, '\\');
  if (unc) p = '\\' + p;
  return p.replace(/[. ]+$/, '');
}

export function pathKey(path: string): string {
  return `path:${normalizePath(path).toLowerCase()}`;
}

export function isSvchost(path: string): boolean {
  return baseName(normalizePath(path)).toLowerCase() === 'svchost.exe';
}

export function identityFromPath(path: string, ntPath?: string): AppIdentity {
  if (path.toLowerCase() === 'system') return SYSTEM_IDENTITY;
  const normalized = normalizePath(path);
  const identity: AppIdentity = {
    key: pathKey(normalized),
    kind: 'path',
    displayName: friendlyName(normalized),
    path: normalized,
    ...(ntPath ? { ntPath } : {}),
  };
  return identity;
}

export class IdentityResolver {
  constructor(private readonly services = new ServiceSidTable()) {}

  /** O(1): a few string operations and one map lookup. */
  fromEvent(event: NetEvent): AppIdentity {
    const path = event.appPath;
    if (path !== undefined && path.toLowerCase() === 'system') return SYSTEM_IDENTITY;
    if (path === undefined && event.appId === undefined) {
      return event.packageSid ? this.packageIdentity(event.packageSid, undefined, undefined) : UNATTRIBUTED;
    }
    if (event.packageSid) return this.packageIdentity(event.packageSid, path, event.appId);
    if (path !== undefined && isSvchost(path)) return this.svchostIdentity(path, event.appId, event.userSid);
    if (path !== undefined) return identityFromPath(path, event.appId);
    // An NT path that maps to no drive letter: still one app, keyed by what WFP gave.
    const nt = event.appId as string;
    return { key: `path:${nt.toLowerCase()}`, kind: 'path', displayName: friendlyName(nt), ntPath: nt };
  }

  serviceIdentity(serviceName: string, path = SVCHOST_PATH, ntPath?: string): AppIdentity {
    const name = serviceName.toLowerCase();
    return {
      key: `service:${name}`,
      kind: 'service',
      displayName: `svchost (${name})`,
      path: normalizePath(path),
      serviceName: name,
      ...(ntPath ? { ntPath } : {}),
    };
  }

  private svchostIdentity(path: string, ntPath: string | undefined, userSid: string | undefined): AppIdentity {
    const service = userSid && isServiceSid(userSid) ? this.services.lookup(userSid) : undefined;
    if (service) return this.serviceIdentity(service, path, ntPath);
    const normalized = normalizePath(path);
    return {
      key: pathKey(normalized),
      kind: 'svchost-unknown',
      displayName: 'svchost (service unknown)',
      path: normalized,
      ...(ntPath ? { ntPath } : {}),
    };
  }

  private packageIdentity(sid: string, path: string | undefined, ntPath: string | undefined): AppIdentity {
    const normalized = path !== undefined ? normalizePath(path) : undefined;
    return {
      key: `package:${sid.toUpperCase()}`,
      kind: 'package',
      displayName: normalized ? friendlyName(normalized) : `Packaged app ${sid.slice(0, 24)}…`,
      packageSid: sid,
      ...(normalized ? { path: normalized } : {}),
      ...(ntPath ? { ntPath } : {}),
    };
  }
}
