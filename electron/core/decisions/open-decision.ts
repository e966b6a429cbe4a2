// A decision while it is open: the record the inbox keeps and changes with each attempt (an app record points at it
// between events, so that the next attempt needs no lookup), and the plain PendingDecision it is published as.
import type { EndpointSet } from '../apps/endpoint-set';
import type { AppIdentity, BlockedBy, PendingDecision, RuleAction } from '../model';

export interface OpenDecision {
  readonly id: string;
  /** Closed (decided, timed out, moved out): an app record that still points here must look again. */
  closed: boolean;
  /** The app record pointing here, let go when the decision closes (a closed decision must not stay reachable). */
  slot: DecisionSlot | undefined;
  readonly app: AppIdentity;
  readonly source: string;
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
  /** The latest drop came from a Windows Defender Firewall rule. */
  windowsFirewallRule: boolean;
}

/** Where the caller keeps an app's open decision between events (its app record), so no lookup is needed. */
export interface DecisionSlot {
  decision: OpenDecision | undefined;
  /**
   * How many apps had left the kept-out list when this app was last found on it (-1: never). While that number is
   * unchanged it is still there, so the next attempt needs no lookup (most apps of a flood are kept out).
   */
  keptOutAt: number;
}

/** Closes the record: an app record that still points here looks again, and lets go of it. */
export function markClosed(d: OpenDecision): void {
  d.closed = true;
  if (d.slot?.decision === d) d.slot.decision = undefined;
  d.slot = undefined;
}

/** The decision as core publishes it (plain data, see model.ts). */
export function asPendingDecision(d: OpenDecision): PendingDecision {
  return {
    id: d.id,
    app: d.app,
    opened: d.opened,
    attempts: d.attempts,
    endpoints: d.endpoints.newestFirst(),
    blockedBy: d.blockedBy,
    ...(d.blockedByFilter ? { blockedByFilter: d.blockedByFilter } : {}),
    ...(d.deadline !== undefined ? { deadline: d.deadline } : {}),
    ...(d.defaultAction ? { defaultAction: d.defaultAction } : {}),
    direction: directionOfBits(d.directions),
    ...(d.windowsFirewallRule && d.app.kind !== 'package' ? { canOverrideWindowsFirewall: true } : {}),
  };
}

/** The direction a rule made from the decision should cover, from OpenDecision.directions. */
export function directionOfBits(bits: number): 'out' | 'in' | 'both' {
  return bits === 3 ? 'both' : bits === 2 ? 'in' : 'out';
}
