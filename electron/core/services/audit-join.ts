// Joins the Security log's record of a blocked connection (event 5157: it names the process id) to the WFP drop of
// the same connection (which names no process), so that an svchost drop can name the service(s) in that process.
// The two arrive independently and in either order, so:
// - a record of an svchost process waits (RECORD_TTL_MS) for its drop, keyed by protocol, filter id and both ends;
// - an svchost drop with no record yet is held for at most HOLD_MS, then goes on unjoined ("service unknown").
// Only svchost drops are ever held; everything else passes at once. Both maps are bounded; each event costs one key
// and one or two map operations. The join key leaves the direction out: the record's "source" is this computer's end
// in both directions, the net event's local/remote are too, but nothing depends on that (ends are ordered).
import type { NetEvent } from '../../../native/api';
import { ipv6FromBytes, parseIpv6 } from '../../../native/decode/address';
import type { Clock, TimerHandle, Timers } from '../util/runtime';
import type { BlockedConnectionRecord } from './port';

export const HOLD_MS = 1_500;
export const RECORD_TTL_MS = 5_000;
export const MAX_HELD = 4_096;
export const MAX_RECORDS = 8_192;

export interface JoinStats {
  joined: number;
  /** svchost drops released without a record (the service stays unknown). */
  unjoined: number;
  /** records of svchost processes kept for a drop / dropped unused when they expired or the map was full. */
  records: number;
  expiredRecords: number;
  /** held drops released early because the hold was full. */
  overflow: number;
}

function address(text: string | undefined): string {
  if (text === undefined) return '';
  const bare = text.replace(/%.*$/, '').replace(/^\[|\]$/g, '');
  if (!bare.includes(':')) return bare;
  const bytes = parseIpv6(bare);
  return bytes ? ipv6FromBytes(bytes) : bare.toLowerCase();
}

function joinKey(protocol: number | undefined, filterId: number | undefined, a: string, b: string): string {
  return `${protocol ?? ''}|${filterId ?? ''}|${a < b ? `${a}|${b}` : `${b}|${a}`}`;
}

export function keyOfEvent(event: NetEvent): string {
  return joinKey(
    event.protocol,
    event.filterId,
    `${address(event.localAddress)}#${event.localPort ?? 0}`,
    `${address(event.remoteAddress)}#${event.remotePort ?? 0}`,
  );
}

export function keyOfRecord(record: BlockedConnectionRecord): string {
  return joinKey(
    record.protocol,
    record.filterId,
    `${address(record.sourceAddress)}#${record.sourcePort ?? 0}`,
    `${address(record.destAddress)}#${record.destPort ?? 0}`,
  );
}

const isSvchostApplication = (app: string | undefined): boolean =>
  app !== undefined && app.toLowerCase().endsWith('\\svchost.exe');

interface Held {
  readonly event: NetEvent;
  readonly until: number;
}

export class AuditJoin {
  readonly stats: JoinStats = { joined: 0, unjoined: 0, records: 0, expiredRecords: 0, overflow: 0 };
  /** key -> services named by a record, waiting for its drop (oldest first). */
  private readonly records = new Map<string, { services: readonly string[]; until: number }>();
  /** key -> drops waiting for their record (oldest key first). */
  private readonly held = new Map<string, Held[]>();
  private heldCount = 0;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly timers: Timers,
    /** The services running in a process (cached by the caller); [] when none is known. */
    private readonly servicesOf: (pid: number) => readonly string[],
    /** Where an svchost drop goes once joined (services named) or given up on (undefined). */
    private readonly deliver: (event: NetEvent, services: readonly string[] | undefined) => void,
  ) {}

  /**
   * An svchost drop: joined now when its record is already here (returns the services), or held (returns 'held').
   * The caller has checked that the event is an svchost drop.
   */
  accept(event: NetEvent): readonly string[] | 'held' {
    const now = this.clock.now();
    const key = keyOfEvent(event);
    const record = this.records.get(key);
    if (record && record.until >= now) {
      this.records.delete(key);
      this.stats.joined++;
      return record.services;
    }
    if (this.heldCount >= MAX_HELD) this.releaseOldest();
    const list = this.held.get(key);
    const entry = { event, until: now + HOLD_MS };
    if (list) list.push(entry);
    else this.held.set(key, [entry]);
    this.heldCount++;
    this.arm(HOLD_MS);
    return 'held';
  }

  /** A Security-log record: joins a held drop, or waits for one. Records of other programs are ignored at once. */
  onRecord(record: BlockedConnectionRecord): void {
    if (!isSvchostApplication(record.application)) return;
    const services = this.servicesOf(record.processId);
    if (services.length === 0) return;
    const key = keyOfRecord(record);
    const list = this.held.get(key);
    if (list) {
      const first = list.shift() as Held;
      if (list.length === 0) this.held.delete(key);
      this.heldCount--;
      this.stats.joined++;
      this.deliver(first.event, services);
      return;
    }
    if (this.records.size >= MAX_RECORDS) {
      const oldest = this.records.keys().next();
      if (!oldest.done) this.records.delete(oldest.value);
      this.stats.expiredRecords++;
    }
    this.records.delete(key); // re-inserted last: the map stays in arrival order
    this.records.set(key, { services, until: this.clock.now() + RECORD_TTL_MS });
    this.stats.records++;
    this.arm(RECORD_TTL_MS);
  }

  /** Releases every held drop unjoined (auditing turned off, core stopping). */
  flush(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    const all = [...this.held.values()].flat();
    this.held.clear();
    this.heldCount = 0;
    this.records.clear();
    for (const h of all) this.release(h);
  }

  get heldNow(): number {
    return this.heldCount;
  }

  private release(h: Held): void {
    this.stats.unjoined++;
    this.deliver(h.event, undefined);
  }

  private releaseOldest(): void {
    const first = this.held.entries().next();
    if (first.done) return;
    const [key, list] = first.value;
    const h = list.shift() as Held;
    if (list.length === 0) this.held.delete(key);
    this.heldCount--;
    this.stats.overflow++;
    this.release(h);
  }

  private arm(ms: number): void {
    if (this.timer !== undefined) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.sweep();
    }, ms);
  }

  /** Releases held drops whose time is up and forgets expired records; re-arms while anything waits. */
  private sweep(): void {
    const now = this.clock.now();
    const due: Held[] = [];
    let next = Infinity;
    for (const [key, list] of this.held) {
      while (list.length > 0 && (list[0] as Held).until <= now) due.push(list.shift() as Held);
      if (list.length === 0) this.held.delete(key);
      else next = Math.min(next, (list[0] as Held).until);
    }
    this.heldCount -= due.length;
    // Records are kept in arrival order with one lifetime: the first one still alive ends the sweep.
    for (const [key, r] of this.records) {
      if (r.until > now) {
        next = Math.min(next, r.until);
        break;
      }
      this.records.delete(key);
      this.stats.expiredRecords++;
    }
    for (const h of due) this.release(h);
    if (next !== Infinity) this.arm(Math.max(10, next - now));
  }
}
