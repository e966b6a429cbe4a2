// One event's way through core: count, attribute, aggregate into the app index, log, then hand it to policy
// (decisions, learning). Constant work per event; nothing here waits on I/O.
//
// Event kinds by layer (native/layers.ts tells the layer from the event's runtime layer id):
// - An allow at ALE_FLOW_ESTABLISHED repeats a connection already decided, and counted, at ALE_AUTH_CONNECT or
//   ALE_AUTH_RECV_ACCEPT; its filter is whatever permits at that layer, not the one that allowed the connection.
//   It is dropped here, before counting or attribution (simplewall's log.c skips these too).
// - A drop at ALE_RESOURCE_ASSIGNMENT is a bind (a port refused), before any connection: shown, but it opens no
//   decision and teaches Learning nothing, since a connect or accept rule could not satisfy it.
// - Layer id 0 (no layer) leaves the direction to msFwpDirection; with neither, the attempt is shown without a
//   decision, because a rule made from it could not say which way it goes. Filter id 0 is attributed to nobody
//   without asking WFP (attribution.ts).
import type { NetEvent } from '../../../native/api';
import type { ActivityEntry, AppIdentity, Mode } from '../model';
import type { AppIndex } from '../apps/app-index';
import type { AppRecord, Observation } from '../apps/app-record';
import type { IdentityResolver } from '../apps/identity';
import type { Clock } from '../util/runtime';
import type { ActivityLog } from './activity-log';
import type { Attribution, FilterAttribution } from './attribution';
import type { EventCounters } from './counters';

export interface PolicyHooks {
  mode(): Mode;
  /** A blocked attempt (Monitor/Enforce policy decides whether it opens a decision). */
  blocked(app: AppIdentity, event: NetEvent, attribution: Attribution, now: number, record?: AppRecord): void;
  /** Any attempt while learning. */
  learned(app: AppIdentity, event: NetEvent, now: number): void;
  ruleHit(ruleId: string, now: number): void;
  requestHostname(address: string, appKey: string): void;
  /** Every attempt, after it was logged: `record` is the app's record when it was counted in one. */
  seen(appKey: string, event: NetEvent, now: number, record?: AppRecord): void;
}

/**
 * `entry` is the pipeline's one reused entry, valid during the call only: a listener copies what it keeps.
 * `record`: the app's record when the event was counted in one (blocked or allowed).
 */
export type EventListener = (entry: Readonly<ActivityEntry>, event: NetEvent, record?: AppRecord) => void;

export interface PipelineDeps {
  readonly clock: Clock;
  readonly identities: IdentityResolver;
  readonly index: AppIndex;
  readonly activity: ActivityLog;
  readonly counters: EventCounters;
  readonly attribution: FilterAttribution;
  readonly hooks: PolicyHooks;
  readonly reverseDns: () => boolean;
}

export class EventPipeline {
  private readonly listeners = new Set<EventListener>();
  private readonly observation: { -readonly [K in keyof Observation]: Observation[K] } = {
    time: 0,
    blocked: false,
    allowed: false,
    direction: undefined,
    protocol: undefined,
    remoteAddress: undefined,
    remotePort: undefined,
    localPort: undefined,
    blockedBy: undefined,
    blockedByFilter: undefined,
    windowsFirewallRule: undefined,
  };

  /**
   * One reused log entry: the log copies it into its columns, and listeners (if any) read it during their call, so no
   * object per event. Every key always present (undefined when absent), so copies share one shape; JSON drops them.
   * Written out key by key like the observation above, not spread from a shared part: a spread literal keeps some
   * of its fields out of the object, one more load for each of the writes made per event.
   */
  private readonly entry: { -readonly [K in keyof ActivityEntry]: ActivityEntry[K] } = {
    seq: 0,
    time: 0,
    appKey: '',
    appName: '',
    verdict: 'other',
    direction: undefined,
    protocol: undefined,
    remoteAddress: undefined,
    remotePort: undefined,
    localPort: undefined,
    blockedBy: undefined,
    filterName: undefined,
  };

  constructor(private readonly deps: PipelineDeps) {}

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** `services`: the svchost services the Security log named for this drop (electron/core/services). */
  handle(event: NetEvent, services?: readonly string[]): void {
    if (event.layer === 'flow-established' && event.type === 'allow') return;
    const { clock, identities, index, activity, counters, attribution, hooks } = this.deps;
    const now = clock.now();
    counters.countEvent(now);
    const blocked = event.type === 'drop' || event.type === 'capabilityDrop';
    const allowed = event.type === 'allow' || event.type === 'capabilityAllow';
    // One lookup: the app's record by the event's app string, holding its identity, counters, endpoints and open
    // decision; the identity is worked out only the first time (or when the event names the app differently).
    const known = blocked || allowed ? index.recordFor(event) : undefined;
    const app = known?.eventIdentity ?? identities.fromEvent(event, services);
    const who = blocked || allowed ? attribution.of(event.filterId) : undefined;

    const blockedBy = blocked && who ? who.blockedBy : undefined;
    let record: AppRecord | undefined;
    if (blocked || allowed) {
      // One reused, fixed-shape observation: the index copies what it keeps, so no object per event.
      const o = this.observation;
      o.time = now;
      o.blocked = blocked;
      o.allowed = allowed;
      o.direction = event.direction;
      o.protocol = event.protocol;
      o.remoteAddress = event.remoteAddress;
      o.remotePort = event.remotePort;
      o.localPort = event.localPort;
      o.blockedBy = blockedBy;
      o.blockedByFilter = blocked ? who?.filterName : undefined;
      o.windowsFirewallRule = blocked ? who?.windowsFirewallRule === true : undefined;
      record = index.observe(app, o, known, event);
    }
    // The endpoint list's string for this address (the first one seen), so later lookups compare by reference.
    const remoteAddress = record ? record.addressOf(event) : event.remoteAddress;

    const entry = this.entry;
    entry.seq = activity.nextSeq();
    entry.time = event.time || now;
    entry.appKey = app.key;
    entry.appName = app.displayName;
    entry.verdict = blocked ? 'blocked' : allowed ? 'allowed' : 'other';
    entry.direction = event.direction;
    entry.protocol = event.protocol;
    entry.remoteAddress = remoteAddress;
    entry.remotePort = event.remotePort;
    entry.localPort = event.localPort;
    entry.blockedBy = blockedBy;
    entry.filterName = who?.filterName;
    // The record and its endpoint remember their strings' numbers in the log: no lookup when still held there.
    activity.append(
      entry,
      record,
      record && remoteAddress !== undefined ? record.endpoints.last : undefined,
      who?.logSlot,
    );

    if (who?.source?.kind === 'rule') hooks.ruleHit(who.source.id, now);
    const decidable = event.layer !== 'resource-assignment' && (event.type !== 'drop' || event.direction !== undefined);
    if (blocked && decidable) hooks.blocked(app, event, who ?? { blockedBy: 'unknown' }, now, record);
    if ((blocked || allowed) && decidable && hooks.mode() === 'learning') hooks.learned(app, event, now);
    // A name is asked for when an app starts using an endpoint, not per attempt (EndpointSet.record says when).
    if (record?.newEndpoint === true && this.deps.reverseDns()) hooks.requestHostname(remoteAddress!, app.key);

    hooks.seen(app.key, event, now, record);

    if (this.listeners.size === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(entry, event, record);
      } catch {
        // A broken listener must not stop the pipeline.
      }
    }
  }
}
