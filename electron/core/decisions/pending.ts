// One pending decision per blocked app, not per connection: later attempts add to its count and endpoints.
// Bounded twice, and never by refusing the newest app: a folder (appSource) keeps at most `perSource` decisions
// open and the inbox at most `maxOpen`; past either, the oldest decision of that folder (or of the inbox) makes
// room and its app joins the "more apps blocked" count, listed in the Blocked view. An app moved out that way does
// not come back by itself, so a flood that keeps retrying cannot push the next new app out again.
import type { AppIdentity, AttemptTarget, BlockedBy, PendingDecision, RuleAction } from '../model';
import { EndpointSet } from '../apps/app-record';
import { LruMap } from '../util/bounded';
import type { IdSource } from '../util/runtime';
import { appSource } from './app-source';
import { asPendingDecision, directionOfBits, type DecisionSlot, markClosed, type OpenDecision } from './open-decision';

const MAX_ENDPOINTS = 16;

export interface Attempt extends AttemptTarget {
  readonly time: number;
  readonly blockedBy: BlockedBy;
  readonly blockedByFilter?: string;
  readonly windowsFirewallRule?: boolean;
}

export interface TimeoutPolicy {
  readonly timeoutSeconds?: number;
  readonly defaultAction: RuleAction;
}

/** What closing a decision leaves behind, so that an undo can put it back exactly as it was. */
export type ClosedDecision = { readonly __closed: unique symbol };

export interface ObserveResult {
  readonly id: string;
  readonly opened: boolean;
  /** The decision closed to make room for this one (its app now counts as "more apps blocked"). */
  readonly evicted?: string;
}

export const DEFAULT_MAX_OPEN = 200;
export const DEFAULT_PER_SOURCE = 10;

export class PendingDecisions {
  /** Insertion order is opening order, so with one timeout for all the first one is always due first. */
  private readonly byId = new Map<string, OpenDecision>();
  private readonly byApp = new Map<string, string>();
  /** Open decision ids per source, oldest first. */
  private readonly bySource = new Map<string, Set<string>>();
  /** Apps blocked without an open decision because of the budgets, most recent last. */
  private readonly overflow = new LruMap<string, true>(50_000, () => this.overflowLeft++);
  /** Grows whenever an app leaves `overflow` (DecisionSlot.keptOutAt). */
  private overflowLeft = 0;

  constructor(
    private readonly ids: IdSource,
    private readonly maxOpen = DEFAULT_MAX_OPEN,
    private readonly perSource = DEFAULT_PER_SOURCE,
  ) {}

  get size(): number {
    return this.byId.size;
  }

  /** Blocks that needed no decision (routine-blocks.ts), counted so the user can see they happened. */
  routineBlocks = 0;

  /** Apps blocked that the budgets kept out of the inbox: "N more apps blocked". */
  get overflowCount(): number {
    return this.overflow.size;
  }

  /** The user decided about this app some other way (a rule, ignore): it no longer counts as waiting. */
  forgetOverflow(appKey: string): boolean {
    return this.leaveOverflow(appKey);
  }

  /**
   * The app has no open decision and the budgets keep it out of the inbox (counted among "N more apps blocked"):
   * its attempt would change nothing here.
   */
  keptOut(appKey: string, slot?: DecisionSlot): boolean {
    if (slot !== undefined && slot.keptOutAt === this.overflowLeft) return true;
    const out = this.overflow.has(appKey);
    if (out && slot !== undefined) slot.keptOutAt = this.overflowLeft;
    return out;
  }

  /**
   * O(1). Returns the decision and whether it was opened by this attempt; undefined for an app moved out. `slot`
   * remembers the app's open decision for its next attempt, which then needs no lookup.
   */
  observe(app: AppIdentity, attempt: Attempt, timeout: TimeoutPolicy, slot?: DecisionSlot): ObserveResult | undefined {
    let decision = slot?.decision;
    if (decision === undefined || decision.closed || decision.app.key !== app.key) {
      const existingId = this.byApp.get(app.key);
      decision = existingId === undefined ? undefined : this.byId.get(existingId);
    }
    let opened = false;
    let evicted: string | undefined;
    if (!decision) {
      if (this.keptOut(app.key, slot)) return undefined;
      const source = appSource(app);
      evicted = this.makeRoom(source);
      decision = {
        id: this.ids(),
        closed: false,
        slot: undefined,
        app,
        source,
        opened: attempt.time,
        attempts: 0,
        endpoints: new EndpointSet(MAX_ENDPOINTS),
        blockedBy: attempt.blockedBy,
        blockedByFilter: attempt.blockedByFilter,
        deadline: timeout.timeoutSeconds !== undefined ? attempt.time + timeout.timeoutSeconds * 1000 : undefined,
        defaultAction: timeout.timeoutSeconds !== undefined ? timeout.defaultAction : undefined,
        lastNotified: undefined,
        directions: 0,
        windowsFirewallRule: false,
      };
      this.insert(decision);
      opened = true;
    }
    decision.attempts++;
    decision.directions |= attempt.direction === 'in' ? 2 : 1;
    decision.blockedBy = attempt.blockedBy;
    decision.blockedByFilter = attempt.blockedByFilter;
    decision.windowsFirewallRule = attempt.windowsFirewallRule === true;
    if (attempt.remoteAddress !== undefined) {
      // Inbound, the port worth a rule is this computer's (the sender's own port changes with every connection).
      const inbound = attempt.direction === 'in';
      const port = inbound ? attempt.localPort : attempt.remotePort;
      decision.endpoints.record(attempt.remoteAddress, port, attempt.protocol, attempt.time, 1, inbound);
    }
    if (slot && slot.decision !== decision) {
      slot.decision = decision;
      decision.slot = slot;
    }
    return evicted === undefined ? { id: decision.id, opened } : { id: decision.id, opened, evicted };
  }

  private makeRoom(source: string): string | undefined {
    const sameSource = this.bySource.get(source);
    let victim: string | undefined;
    if (sameSource && sameSource.size >= this.perSource) victim = sameSource.values().next().value;
    else if (this.byId.size >= this.maxOpen) victim = this.byId.keys().next().value;
    if (victim === undefined) return undefined;
    const closed = this.byId.get(victim);
    this.close(victim);
    if (closed) this.overflow.set(closed.app.key, true);
    return victim;
  }

  private insert(decision: OpenDecision): void {
    decision.closed = false;
    this.byId.set(decision.id, decision);
    this.byApp.set(decision.app.key, decision.id);
    let ids = this.bySource.get(decision.source);
    if (!ids) this.bySource.set(decision.source, (ids = new Set()));
    ids.add(decision.id);
    this.leaveOverflow(decision.app.key);
  }

  private leaveOverflow(appKey: string): boolean {
    const left = this.overflow.delete(appKey);
    if (left) this.overflowLeft++;
    return left;
  }

  /** The decision open for this app as it is now, to hand back to restore() after the decision was closed. */
  memo(appKey: string): ClosedDecision | undefined {
    const id = this.byApp.get(appKey);
    const d = id === undefined ? undefined : this.byId.get(id);
    return d ? (d as unknown as ClosedDecision) : undefined;
  }

  /** Opens a closed decision again, unchanged (undo); false when its app has opened another one meanwhile. */
  restore(memo: ClosedDecision): PendingDecision | undefined {
    const d = memo as unknown as OpenDecision;
    if (this.byApp.has(d.app.key) || this.byId.has(d.id)) return undefined;
    this.insert(d);
    return asPendingDecision(d);
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
    return directionOfBits(this.byId.get(id)?.directions ?? 1);
  }

  get(id: string): PendingDecision | undefined {
    const d = this.byId.get(id);
    return d ? asPendingDecision(d) : undefined;
  }

  forApp(appKey: string): string | undefined {
    return this.byApp.get(appKey);
  }

  close(id: string): PendingDecision | undefined {
    const d = this.byId.get(id);
    if (!d) return undefined;
    this.byId.delete(id);
    markClosed(d);
    this.byApp.delete(d.app.key);
    const ids = this.bySource.get(d.source);
    ids?.delete(id);
    if (ids?.size === 0) this.bySource.delete(d.source);
    return asPendingDecision(d);
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
      if (d.deadline !== undefined && d.deadline <= now) out.push(asPendingDecision(d));
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
    return [...this.byId.values()].map(asPendingDecision);
  }

  clear(): string[] {
    const ids = [...this.byId.keys()];
    for (const d of this.byId.values()) markClosed(d);
    this.byId.clear();
    this.byApp.clear();
    this.bySource.clear();
    this.overflow.clear();
    this.overflowLeft++;
    return ids;
  }
}
