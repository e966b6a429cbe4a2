// "Tell Windows services apart": turns on failure auditing of blocked connections (so Windows writes event 5157,
// which names the process), reads those records from the Security log, and joins them to svchost drops (audit-join.ts)
// so that each names the service(s) running in that process (the service control manager's list). Off by default:
// it changes a machine-wide Windows setting and writes to the Security log. What was there before is kept by the
// caller (settings.serviceAuditBefore) and put back when the user turns it off, resets or uninstalls.
import type { NetEvent } from '../../../native/api';
import { isSvchost } from '../apps/identity';
import type { Clock, Timers } from '../util/runtime';
import { AuditJoin, type JoinStats } from './audit-join';
import type { ServiceSource } from './port';

/** The process list is asked again on a miss at most this often, and in any case after this long. */
const REFRESH_ON_MISS_MS = 2_000;
const REFRESH_MS = 60_000;

export type ServiceNamesState =
  { readonly state: 'off' } | { readonly state: 'on' } | { readonly state: 'unavailable'; readonly reason: string };

export interface ServiceNamesDeps {
  readonly source: ServiceSource | undefined;
  readonly clock: Clock;
  readonly timers: Timers;
  /** Where a held svchost drop goes on: with its services when joined, undefined when not. */
  readonly deliver: (event: NetEvent, services: readonly string[] | undefined) => void;
}

export class ServiceNames {
  private join: AuditJoin | undefined;
  private watch: { stop(): Promise<void> } | undefined;
  private byProcess = new Map<number, string[]>();
  private labels: ReadonlyMap<string, string> = new Map();
  private listedAt = -Infinity;
  private current: ServiceNamesState = { state: 'off' };

  constructor(private readonly deps: ServiceNamesDeps) {}

  get state(): ServiceNamesState {
    return this.current;
  }

  get stats(): JoinStats | undefined {
    return this.join?.stats;
  }

  /**
   * On the event path, O(1): undefined for anything but an svchost drop while this is on (the event goes on as it
   * is); otherwise the services when its record is already here, or 'held' (it is delivered later through `deliver`).
   */
  take(event: NetEvent): readonly string[] | 'held' | undefined {
    const join = this.join;
    if (!join || (event.type !== 'drop' && event.type !== 'capabilityDrop')) return undefined;
    if (event.appPath === undefined || !isSvchost(event.appPath)) return undefined;
    return join.accept(event);
  }

  /**
   * Turns auditing on (when it is not) and starts reading the Security log. Returns the setting found before and
   * whether it was changed. Throws (naming the failing call) when Windows refuses; nothing is left half on.
   */
  start(): { before: number; changed: boolean } {
    const source = this.deps.source;
    if (!source) {
      this.current = { state: 'unavailable', reason: 'this system has no Security log to read' };
      throw new Error('Windows services cannot be told apart here: there is no Security log to read.');
    }
    if (this.join) return { before: source.auditSetting(), changed: false };
    const change = source.enableAudit();
    const join = new AuditJoin(this.deps.clock, this.deps.timers, (pid) => this.servicesOf(pid), this.deps.deliver);
    try {
      this.watch = source.watchBlocked((record) => join.onRecord(record));
    } catch (e) {
      if (change.changed) source.restoreAudit(change.before);
      this.current = { state: 'unavailable', reason: e instanceof Error ? e.message : String(e) };
      throw e;
    }
    this.join = join;
    this.current = { state: 'on' };
    return change;
  }

  /** Stops reading and releases every held drop unjoined; with `restore`, puts that audit setting back. */
  async stop(restore?: number): Promise<boolean> {
    const watch = this.watch;
    const join = this.join;
    this.watch = undefined;
    this.join = undefined;
    this.current = { state: 'off' };
    join?.flush();
    await watch?.stop().catch(() => undefined);
    if (restore === undefined || !this.deps.source) return false;
    return this.deps.source.restoreAudit(restore);
  }

  /** The name Windows shows for a service ("Windows Update" for wuauserv), as of the last listing of services. */
  displayName(serviceName: string): string | undefined {
    return this.labels.get(serviceName.toLowerCase());
  }

  private servicesOf(pid: number): readonly string[] {
    const now = this.deps.clock.now();
    let names = this.byProcess.get(pid);
    const stale = now - this.listedAt > REFRESH_MS;
    if ((names === undefined && now - this.listedAt > REFRESH_ON_MISS_MS) || stale) {
      try {
        this.byProcess = this.deps.source?.servicesByProcess() ?? new Map();
        this.labels = this.deps.source?.displayNames?.() ?? this.labels;
      } catch {
        // The list could not be read: the drop stays "service unknown" rather than being named wrongly.
        this.byProcess = new Map();
      }
      this.listedAt = now;
      names = this.byProcess.get(pid);
    }
    return names ?? [];
  }
}
