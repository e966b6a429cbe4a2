// One application's aggregate, updated in place for every event in constant time and turned into a plain AppEntry
// only when a delta or snapshot is built.
import type { AppEntry, AppIdentity, AppState, AttemptTarget, BlockedBy } from '../model';
import type { OpenDecision } from '../decisions/open-decision';
import { EndpointSet } from './endpoint-set';
import type { EndpointNaming } from './endpoint-names';

export type { MutableEndpoint } from './endpoint-set';
export { EndpointSet } from './endpoint-set';

/** A row's endpoint part as the publisher prepared it (facade/endpoint-rows.ts). */
export type RowEndpoints = Pick<AppEntry, 'endpoints' | 'endpointsBase' | 'endpointsVersion' | 'endpointOrder'>;

export const TIMELINE_MINUTES = 60;
const DIRECTION_BITS = { out: 1, in: 2, forward: 4 } as const;
const MINUTE = 60_000;
const MAX_PORTS = 32;

export interface Observation extends AttemptTarget {
  readonly time: number;
  readonly blocked: boolean;
  readonly allowed: boolean;
  readonly blockedBy?: BlockedBy;
  readonly blockedByFilter?: string;
  /** The drop came from a Windows Defender Firewall rule (provider MPSSVC_WF). */
  readonly windowsFirewallRule?: boolean;
}

export class AppRecord {
  blockedCount = 0;
  allowedCount = 0;
  firstSeen: number;
  lastSeen: number;
  blockedBy: BlockedBy = 'unknown';
  blockedByFilter: string | undefined;
  /** Whether the last observation is a moment to ask for its endpoint's name (EndpointSet.record). */
  newEndpoint = false;
  /** Directions it was blocked in: 1 outbound, 2 inbound (a one-click rule covers these). */
  blockedDirections = 0;
  /** The latest drop came from a Windows Defender Firewall rule: an allow may be made to override it. */
  blockedByWindowsFirewallRule = false;
  /** In the index's set of apps changed by events since their row last went out (AppIndex.takeChanges). */
  changeMarked = false;
  /** When this app's full row last went to the UI (rows changed only by events are sent at most once a second). */
  sentAt = -Infinity;
  /**
   * The version of the endpoint list the app's last delta row carried, which later rows may refer to by order only
   * (facade/endpoint-rows.ts); 0 when there is none to refer to.
   */
  endpointsVersion = 0;
  /** The app's open decision as last seen by the decision inbox (it checks whether it is still open). */
  decision: OpenDecision | undefined = undefined;
  /** When the decision inbox last found this app kept out by its budgets (DecisionSlot.keptOutAt). */
  keptOutAt = -1;
  /**
   * Whether the rules leave this app out of decisions (ignored, or a rule for the whole app), as worked out at rule
   * store generation `rulesGeneration` (RuleStore.generation): valid while the rules have not changed since.
   */
  rulesGeneration = -1;
  ruledOut = false;
  /** When its file is next handed to the signature and real-case lookups (core's askAboutFile says when). */
  enrichmentAskAt = -Infinity;
  /** The app key's number in the activity log when last logged (a hint: the log checks it). */
  logId = 0;
  /** Found again by the events' app string (AppIndex.recordFor) when they carry exactly these. */
  seenPath: string | undefined = undefined;
  seenAppId: string | undefined = undefined;
  seenPackageSid: string | undefined = undefined;
  /** The identity those strings resolve to (the record's own may carry a newer spelling of the path); set once. */
  eventIdentity: AppIdentity | undefined = undefined;
  /** Recency list of the index. */
  older: AppRecord | undefined = undefined;
  newer: AppRecord | undefined = undefined;
  readonly endpoints: EndpointSet;
  /** The most recent distinct ports, newest last, at most MAX_PORTS: a small array (a map per app cost 0.4 KB). */
  private readonly ports: number[] = [];
  /** Few distinct values (TCP, UDP, ICMP...; three directions): small arrays, no hashing per event. */
  private readonly protocols: number[] = [];
  private readonly directions: ('out' | 'in' | 'forward')[] = [];
  private directionsSeen = 0;
  private lastProtocol = -1;
  private lastPort = -1;
  private readonly timeline = new Uint32Array(TIMELINE_MINUTES);
  private timelineMinute: number;
  /** mod(timelineMinute). */
  private timelineSlot: number;
  /**
   * The current minute's attempts, kept on the record and written into `timeline` when the minute is over: the
   * usual attempt touches no other object (the typed array and its memory are two more cache misses per event).
   */
  private thisMinute = 0;

  constructor(
    public identity: AppIdentity,
    now: number,
    maxEndpoints: number,
  ) {
    this.firstSeen = now;
    this.lastSeen = now;
    this.timelineMinute = Math.floor(now / MINUTE);
    this.timelineSlot = mod(this.timelineMinute);
    this.endpoints = new EndpointSet(maxEndpoints);
  }

  observe(o: Observation): void {
    this.lastSeen = o.time;
    if (o.blocked) {
      this.blockedCount++;
      if (o.blockedBy) this.blockedBy = o.blockedBy;
      this.blockedByFilter = o.blockedByFilter;
      this.blockedByWindowsFirewallRule = o.windowsFirewallRule === true;
      if (o.direction === 'in') this.blockedDirections |= 2;
      else if (o.direction === 'out') this.blockedDirections |= 1;
    } else if (o.allowed) {
      this.allowedCount++;
    }
    // A bit per direction and the last protocol on the record itself: the arrays are touched only when one is new.
    if (o.direction !== undefined) {
      const bit = DIRECTION_BITS[o.direction];
      if ((this.directionsSeen & bit) === 0) {
        this.directionsSeen |= bit;
        this.directions.push(o.direction);
      }
    }
    if (o.protocol !== undefined && o.protocol !== this.lastProtocol) {
      if (!this.protocols.includes(o.protocol)) this.protocols.push(o.protocol);
      this.lastProtocol = o.protocol;
    }
    // Inbound, the port that means something is this computer's; the sender's own port changes every time.
    const inbound = o.direction === 'in';
    const port = inbound ? o.localPort : o.remotePort;
    // The same port again (retries, one service) is already the newest: nothing to move.
    if (port !== undefined && port !== this.lastPort) {
      const at = this.ports.indexOf(port);
      if (at >= 0) this.ports.splice(at, 1);
      else if (this.ports.length >= MAX_PORTS) this.ports.shift();
      this.ports.push(port);
      this.lastPort = port;
    }
    this.newEndpoint =
      o.remoteAddress !== undefined && this.endpoints.record(o.remoteAddress, port, o.protocol, o.time, 1, inbound);
    this.bump(o.time);
  }

  /**
   * The address of this observation as the endpoint list keeps it (the first string seen for it), so that later
   * lookups by it hash nothing and compare by reference; undefined when it had none.
   */
  addressOf(o: { readonly remoteAddress?: string | undefined }): string | undefined {
    return o.remoteAddress === undefined ? undefined : (this.endpoints.lastAddress ?? o.remoteAddress);
  }

  seenDirection(direction: 'out' | 'in' | 'forward'): boolean {
    return (this.directionsSeen & DIRECTION_BITS[direction]) !== 0;
  }

  /**
   * The row as published, its endpoints named as they are built (EndpointSet.newestFirst, endpoint-names.ts), or as
   * `endpoints` gives them (the publisher's rows, which may carry only their order). Built field
   * by field in one object, (no spread of optional parts, no copy afterwards): rows are built for every delta batch
   * under a flood.
   */
  toEntry(
    state: AppState,
    ruleId: string | undefined,
    now: number,
    naming?: EndpointNaming,
    endpoints?: RowEndpoints,
  ): Mutable<AppEntry> {
    this.advance(Math.floor(now / MINUTE));
    // Oldest minute first: the ring from the slot after the current minute round to it. A copy of a packed array of
    // zeros with the few busy minutes written in: no growing by push, and packed (not holey) as JSON.stringify and
    // IPC's structured clone copy fastest.
    const timeline = NO_ATTEMPTS.slice();
    const from = mod(this.timelineMinute + 1);
    for (let i = 0, slot = from; i < TIMELINE_MINUTES; i++, slot = slot + 1 === TIMELINE_MINUTES ? 0 : slot + 1) {
      const n = this.timeline[slot]! + (slot === this.timelineSlot ? this.thisMinute : 0);
      if (n !== 0) timeline[i] = n;
    }
    const entry: Mutable<AppEntry> = {
      identity: this.identity,
      blockedCount: this.blockedCount,
      allowedCount: this.allowedCount,
      firstSeen: this.firstSeen,
      lastSeen: this.lastSeen,
      endpoints: endpoints ? endpoints.endpoints : this.endpoints.newestFirst(naming),
      ports: this.ports.length > 1 ? this.ports.slice().sort(byNumber) : this.ports.slice(),
      protocols: this.protocols.length > 1 ? this.protocols.slice().sort(byNumber) : this.protocols.slice(),
      directions: this.directions.slice(),
      blockedBy: this.blockedBy,
      state,
      timeline,
    };
    if (this.blockedByFilter) entry.blockedByFilter = this.blockedByFilter;
    if (this.blockedByWindowsFirewallRule && this.identity.kind !== 'package') entry.canOverrideWindowsFirewall = true;
    if (this.blockedDirections !== 0)
      entry.blockedDirection = this.blockedDirections === 3 ? 'both' : this.blockedDirections === 2 ? 'in' : 'out';
    if (ruleId) entry.ruleId = ruleId;
    if (endpoints?.endpointsBase !== undefined) entry.endpointsBase = endpoints.endpointsBase;
    if (endpoints?.endpointsVersion !== undefined) entry.endpointsVersion = endpoints.endpointsVersion;
    if (endpoints?.endpointOrder !== undefined) entry.endpointOrder = endpoints.endpointOrder;
    return entry;
  }

  private bump(time: number): void {
    const minute = Math.floor(time / MINUTE);
    // The usual case, another attempt in the current minute: its slot is known.
    if (minute === this.timelineMinute) {
      this.thisMinute++;
      return;
    }
    if (minute > this.timelineMinute) {
      this.advance(minute);
      this.thisMinute = 1;
      return;
    }
    // A late event of a minute still shown: straight into its slot.
    if (minute >= this.timelineMinute - TIMELINE_MINUTES + 1) this.timeline[mod(minute)]!++;
  }

  /** Clears the minutes that passed since the last event; at most one hour of slots, so still constant work. */
  private advance(minute: number): void {
    if (minute <= this.timelineMinute) return;
    this.timeline[this.timelineSlot] = this.timeline[this.timelineSlot]! + this.thisMinute;
    this.thisMinute = 0;
    const steps = Math.min(minute - this.timelineMinute, TIMELINE_MINUTES);
    for (let i = 1; i <= steps; i++) this.timeline[mod(this.timelineMinute + i)] = 0;
    this.timelineMinute = minute;
    this.timelineSlot = mod(minute);
  }
}

/** An hour without attempts, as a packed array (see toEntry). */
const NO_ATTEMPTS: readonly number[] = Array.from({ length: TIMELINE_MINUTES }, () => 0);

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function byNumber(a: number, b: number): number {
  return a - b;
}

function mod(minute: number): number {
  return ((minute % TIMELINE_MINUTES) + TIMELINE_MINUTES) % TIMELINE_MINUTES;
}
