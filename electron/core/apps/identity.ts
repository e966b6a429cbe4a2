// Who an event belongs to. Keys are stable across events, restarts and case changes in paths:
//   path:<lower-case DOS path>   an executable
//   service:<name>                an svchost-hosted service, only ever named by the user in a rule
//   package:<SID>                 a packaged (UWP) app
//   system                        the kernel
// Every svchost event keeps the svchost path key, shown as "svchost (service unknown)": the net-event header's userId
// is the account the process runs as (LocalSystem S-1-5-18, LocalService S-1-5-19, NetworkService S-1-5-20), never a
// service SID; the service SID is only a group SID in the process token, which the event does not carry
// (learn.microsoft.com, FWPM_NET_EVENT_HEADER3: "userId: the user ID"; "Service Accounts": services run as those
// accounts). So an event cannot name the service, and a rule made from it is refused a one-click allow rather than
// silently permitting every svchost. The Security log can name the process (electron/core/services): a drop joined
// to its record names the one service in that process (`service:<name>`), or, where several share the process, all
// of them on an svchost row that still cannot be allowed for one service (`svchostIdentity` with `services`).
import type { NetEvent } from '../../../native/api';
import type { AppIdentity } from '../model';
import { baseName, friendlyName } from '../enrichment/friendly-name';

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

/** Identities remembered per app path (or NT path, or package SID); the oldest are forgotten beyond this. */
export const IDENTITY_CACHE_SIZE = 8_192;
interface CachedIdentity {
  readonly path: string | undefined;
  readonly appId: string | undefined;
  readonly packageSid: string | undefined;
  readonly identity: AppIdentity;
}

export class IdentityResolver {
  private readonly cache = new Map<string, CachedIdentity>();

  /**
   * The name Windows shows for a service ("Windows Update" for wuauserv), from the service control manager's list;
   * the key name alone where it is not known.
   */
  serviceDisplayName: (serviceName: string) => string | undefined = () => undefined;

  constructor(private readonly cacheSize = IDENTITY_CACHE_SIZE) {}

  /** Identities currently remembered (bounded by the cache size). */
  get cachedCount(): number {
    return this.cache.size;
  }

  /**
   * O(1): one map lookup. The same app path yields the same identity, so it is worked out (normalised path, friendly
   * name, key) once per (path, NT path, package SID), not once per event; the user SID never changes it.
   */
  fromEvent(event: NetEvent, services?: readonly string[]): AppIdentity {
    if (services !== undefined && services.length > 0 && event.appPath !== undefined && isSvchost(event.appPath))
      return this.joinedIdentity(services, event.appPath, event.appId);
    const primary = event.appPath ?? event.appId ?? event.packageSid;
    if (primary === undefined) return UNATTRIBUTED;
    let slot = this.cache.get(primary);
    if (
      slot === undefined ||
      slot.path !== event.appPath ||
      slot.appId !== event.appId ||
      slot.packageSid !== event.packageSid
    ) {
      slot = {
        path: event.appPath,
        appId: event.appId,
        packageSid: event.packageSid,
        identity: this.resolve(event),
      };
      if (!this.cache.has(primary) && this.cache.size >= this.cacheSize) {
        // Oldest inserted first: an app still active comes back at the cost of one resolve.
        const oldest = this.cache.keys().next();
        if (!oldest.done) this.cache.delete(oldest.value);
      }
      this.cache.set(primary, slot);
    }
    return slot.identity;
  }

  private resolve(event: NetEvent): AppIdentity {
    const path = event.appPath;
    if (path !== undefined && path.toLowerCase() === 'system') return SYSTEM_IDENTITY;
    if (path === undefined && event.appId === undefined) {
      return event.packageSid ? this.packageIdentity(event.packageSid, undefined, undefined) : UNATTRIBUTED;
    }
    if (event.packageSid) return this.packageIdentity(event.packageSid, path, event.appId);
    if (path !== undefined && isSvchost(path)) return this.svchostIdentity(path, event.appId);
    if (path !== undefined) return identityFromPath(path, event.appId);
    // An NT path that maps to no drive letter: still one app, keyed by what WFP gave.
    const nt = event.appId as string;
    return { key: `path:${nt.toLowerCase()}`, kind: 'path', displayName: friendlyName(nt), ntPath: nt };
  }

  serviceIdentity(serviceName: string, path = SVCHOST_PATH, ntPath?: string): AppIdentity {
    const name = serviceName.toLowerCase();
    const shown = this.serviceDisplayName(name);
    return {
      key: `service:${name}`,
      kind: 'service',
      // "Windows Update (wuauserv)", as services.msc and Windows Firewall's own rules name a service.
      displayName: shown ? `${shown} (${name})` : `svchost (${name})`,
      path: normalizePath(path),
      serviceName: name,
      ...(ntPath ? { ntPath } : {}),
    };
  }

  private readonly joined = new Map<string, AppIdentity>();

  /** The service(s) the Security log named for this svchost process; one identity per set, remembered (bounded). */
  private joinedIdentity(services: readonly string[], path: string, ntPath: string | undefined): AppIdentity {
    const names = services.map((n) => n.toLowerCase()).sort();
    const id = `${names.join(',')}|${path}`;
    let identity = this.joined.get(id);
    if (identity === undefined) {
      identity =
        names.length === 1
          ? this.serviceIdentity(names[0] as string, path, ntPath)
          : { ...this.svchostIdentity(path, ntPath, names), key: `${pathKey(path)}|services:${names.join(',')}` };
      if (this.joined.size >= this.cacheSize) this.joined.clear();
      this.joined.set(id, identity);
    }
    return identity;
  }

  /** Whatever the header's user SID: it is the account, never the service (see the top of this file). */
  private svchostIdentity(path: string, ntPath: string | undefined, services?: readonly string[]): AppIdentity {
    const normalized = normalizePath(path);
    return {
      key: pathKey(normalized),
      kind: 'svchost-unknown',
      displayName: services
        ? `svchost (${services.map((s) => this.serviceDisplayName(s) ?? s).join(' or ')})`
        : 'svchost (service unknown)',
      path: normalized,
      ...(ntPath ? { ntPath } : {}),
      ...(services ? { services } : {}),
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
