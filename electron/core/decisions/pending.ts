// One pending decision per blocked app, not per connection: later attempts add to its count and endpoints.
// Bounded: beyond `maxOpen` decisions new apps wait in the Blocked view instead of the inbox.
import type { AppIdentity, BlockedBy, PendingDecision, RuleAction } from '../model';
import { EndpointSet, endpointsNewestFirst, recordEndpoint } from '../apps/app-record';
import type { IdSource } from '../util/runtime';

const MAX_ENDPOINTS = 16;

interface OpenDecision {
  readonly id: string;
  readonly app: AppIdentity;
  readonly opened: number;
  attempts: number;
  readonly endpoints: EndpointSet;
  blockedBy: BlockedBy;
  blockedByFilter: string | undefined;
  readonly deadline: number | undefined;
  readonly defaultAction: RuleAction | undefined;
  lastNotified: number | undefined;
  /** 1: outbound seen, 2: inbound seen */
  directions: number;
}

export interface Attempt {
  readonly time: number;
  readonly remoteAddress?: string;
  readonly remotePort?: number;
  readonly protocol?: number;
  readonly direction?: 'out' | 'in' | 'forward';
  readonly blockedBy: BlockedBy;
  readonly blockedByFilter?: string;
}

export interface TimeoutPolicy {
  readonly timeoutSeconds?: number;
  readonly defaultAction: RuleAction;
}

export class PendingDecisions {
  /** Insertion order is opening order, so with one timeout for all the first one is always due first. */
  private readonly byId = new Map<string, OpenDecision>();
  private readonly byApp = new Map<string, string>();

  constructor(
    private readonly ids: IdSource,
    private readonly maxOpen = 5_000,
  ) {}

  get size(): number {
    return this.byId.size;
  }

  /** O(1). Returns the decision and whether it was opened by this attempt; undefined when the inbox is full. */
  observe(app: AppIdentity, attempt: Attempt, timeout: TimeoutPolicy): { id: string; opened: boolean } | undefined {
    const existingId = this.byApp.get(app.key);
    let decision = existingId === undefined ? undefined : this.byId.get(existingId);
    let opened = false;
    if (!decision) {
      if (this.byId.size >= this.maxOpen) return undefined;
      decision = {
        id: this.ids(),
        app,
        opened: attempt.time,
        attempts: 0,
        endpoints: new EndpointSet(MAX_ENDPOINTS),
        blockedBy: attempt.blockedBy,
        blockedByFilter: attempt.blockedByFilter,
        deadline: timeout.timeoutSeconds !== undefined ? attempt.time + timeout.timeoutSeconds * 1000 : undefined,
        defaultAction: timeout.timeoutSeconds !== undefined ? timeout.defaultAction : undefined,
        lastNotified: undefined,
        directions: 0,
      };
      this.byId.set(decision.id, decision);
      this.byApp.set(app.key, decision.id);
      opened = true;
    }
    decision.attempts++;
    decision.directions |= attempt.direction === 'in' ? 2 : 1;
    decision.blockedBy = attempt.blockedBy;
    decision.blockedByFilter = attempt.blockedByFilter;
    if (attempt.remoteAddress !== undefined) {
      recordEndpoint(decision.endpoints, attempt.remoteAddress, attempt.remotePort, attempt.protocol, attempt.time);
    }
    return { id: decision.id, opened };
  }

  lastNotified(id: string): number | undefined {
    return this.byId.get(id)?.lastNotified;
  }

  markNotified(id: string, time: number): void {
    const d = this.byId.get(id);
    if (d) d.lastNotified = time;
  }

  /** The direction a rule made from this decision should cover. */
  directionOf(id: string): 'out' | 'in' | 'both' {
    const bits = this.byId.get(id)?.directions ?? 1;
    return bits === 3 ? 'both' : bits === 2 ? 'in' : 'out';
  }

  get(id: string): PendingDecision | undefined {
    const d = this.byId.get(id);
    return d ? toPlain(d) : undefined;
  }

  forApp(appKey: string): string | undefined {
    return this.byApp.get(appKey);
  }

  close(id: string): PendingDecision | undefined {
    const d = this.byId.get(id);
    if (!d) return undefined;
    this.byId.delete(id);
    this.byApp.delete(d.app.key);
    return toPlain(d);
  }

  closeForApp(appKey: string): string | undefined {
    const id = this.byApp.get(appKey);
    if (id === undefined) return undefined;
    this.close(id);
    return id;
  }

  /** The decisions whose deadline passed, oldest first. */
  due(now: number): PendingDecision[] {
    const out: PendingDecision[] = [];
    for (const d of this.byId.values()) {
      if (d.deadline !== undefined && d.deadline <= now) out.push(toPlain(d));
    }
    return out;
  }

  nextDeadline(): number | undefined {
    let next: number | undefined;
    for (const d of this.byId.values()) {
      if (d.deadline !== undefined && (next === undefined || d.deadline < next)) next = d.deadline;
    }
    return next;
  }

  all(): PendingDecision[] {
    return [...this.byId.values()].map(toPlain);
  }

  clear(): string[] {
    const ids = [...this.byId.keys()];
    this.byId.clear();
    this.byApp.clear();
    return ids;
  }
}

function toPlain(d: OpenDecision): PendingDecision {
  return {
    id: d.id,
    app: d.app,
    opened: d.opened,
    attempts: d.attempts,
    endpoints: endpointsNewestFirst(d.endpoints, () => undefined),
    blockedBy: d.blockedBy,
    ...(d.blockedByFilter ? { blockedByFilter: d.blockedByFilter } : {}),
    ...(d.deadline !== undefined ? { deadline: d.deadline } : {}),
    ...(d.defaultAction ? { defaultAction: d.defaultAction } : {}),
  };
}
