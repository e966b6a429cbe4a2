// One event's way through core: count, attribute, aggregate into the app index, log, then hand it to policy
// (decisions, learning). Constant work per event; nothing here waits on I/O.
import type { NetEvent } from '../../../native/api';
import type { ActivityEntry, AppIdentity, Mode } from '../model';
import type { AppIndex } from '../apps/app-index';
import type { IdentityResolver } from '../apps/identity';
import type { Clock } from '../util/runtime';
import type { ActivityLog } from './activity-log';
import type { Attribution, FilterAttribution } from './attribution';
import type { EventCounters } from './counters';

export interface PolicyHooks {
  mode(): Mode;
  /** A blocked attempt (Monitor/Enforce policy decides whether it opens a decision). */
  blocked(app: AppIdentity, event: NetEvent, attribution: Attribution, now: number): void;
  /** Any attempt while learning. */
  learned(app: AppIdentity, event: NetEvent, now: number): void;
  ruleHit(ruleId: string, now: number): void;
  requestHostname(address: string, appKey: string): void;
}

export type EventListener = (entry: ActivityEntry, event: NetEvent) => void;

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

  constructor(private readonly deps: PipelineDeps) {}

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  handle(event: NetEvent): void {
    const { clock, identities, index, activity, counters, attribution, hooks } = this.deps;
    const now = clock.now();
    counters.countEvent(now);
    const app = identities.fromEvent(event);
    const blocked = event.type === 'drop' || event.type === 'capabilityDrop';
    const allowed = event.type === 'allow' || event.type === 'capabilityAllow';
    const who = blocked || allowed ? attribution.of(event.filterId) : undefined;

    if (blocked || allowed) {
      index.observe(app, {
        time: now,
        blocked,
        allowed,
        ...(event.direction ? { direction: event.direction } : {}),
        ...(event.protocol !== undefined ? { protocol: event.protocol } : {}),
        ...(event.remoteAddress !== undefined ? { remoteAddress: event.remoteAddress } : {}),
        ...(event.remotePort !== undefined ? { remotePort: event.remotePort } : {}),
        ...(blocked && who ? { blockedBy: who.blockedBy } : {}),
        ...(blocked && who?.filterName ? { blockedByFilter: who.filterName } : {}),
      });
    }

    const entry: ActivityEntry = {
      seq: activity.nextSeq(),
      time: event.time || now,
      appKey: app.key,
      appName: app.displayName,
      verdict: blocked ? 'blocked' : allowed ? 'allowed' : 'other',
      ...(event.direction ? { direction: event.direction } : {}),
      ...(event.protocol !== undefined ? { protocol: event.protocol } : {}),
      ...(event.remoteAddress !== undefined ? { remoteAddress: event.remoteAddress } : {}),
      ...(event.remotePort !== undefined ? { remotePort: event.remotePort } : {}),
      ...(event.localPort !== undefined ? { localPort: event.localPort } : {}),
      ...(blocked && who ? { blockedBy: who.blockedBy } : {}),
      ...(who?.filterName ? { filterName: who.filterName } : {}),
    };
    activity.append(entry);

    if (who?.source?.kind === 'rule') hooks.ruleHit(who.source.id, now);
    if (blocked) hooks.blocked(app, event, who ?? { blockedBy: 'unknown' }, now);
    if ((blocked || allowed) && hooks.mode() === 'learning') hooks.learned(app, event, now);
    if (event.remoteAddress !== undefined && this.deps.reverseDns())
      hooks.requestHostname(event.remoteAddress, app.key);

    for (const listener of this.listeners) {
      try {
        listener(entry, event);
      } catch {
        // A broken listener must not stop the pipeline.
      }
    }
  }
}
