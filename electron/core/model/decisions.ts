// What the user is asked and what they decided: open decisions, learning candidates, the notifications that
// announce them, and the recent actions that can be undone.
import type { AppIdentity, BlockedBy, Endpoint } from './apps';
import type { Rule, RuleAction, RuleDirection } from './rules';

export type DecisionScope = 'app' | 'appAndPort' | 'appAndAddress';
export type DecisionDuration = 'untilRestart' | '1h' | '24h' | 'forever';

export interface PendingDecision {
  readonly id: string;
  readonly app: AppIdentity;
  readonly opened: number;
  readonly attempts: number;
  readonly endpoints: readonly Endpoint[];
  readonly blockedBy: BlockedBy;
  readonly blockedByFilter?: string;
  /** When the default action applies by itself, if a timeout is set. */
  readonly deadline?: number;
  readonly defaultAction?: RuleAction;
  /** Which way the app was blocked: an allow made from this decision covers that direction. */
  readonly direction?: RuleDirection;
  /**
   * The drop came from Windows Defender Firewall's own filters and the app is not packaged: the prompt may offer
   * "Allow even where Windows Firewall blocks it" (a hard permit on that one rule).
   */
  readonly canOverrideWindowsFirewall?: boolean;
}

export interface LearningCandidate {
  readonly app: AppIdentity;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly connections: number;
  readonly endpoints: readonly Endpoint[];
  /** Reasons to look before allowing (a user-writable folder, an unusual port, inbound); "Commit all" skips these. */
  readonly risks: readonly string[];
  /** The allow rule that committing this candidate would create. */
  readonly proposed: Omit<Rule, 'id' | 'created'>;
}

/** A notification core wants shown (the policy has already been applied). */
export interface NotificationRequest {
  readonly decisionId: string;
  readonly appKey: string;
  readonly title: string;
  readonly body: string;
  /** Apps blocked since the previous notification that budgets kept quiet. */
  readonly moreApps?: number;
}

/** One recent action the user can undo (Allow, Block, Ignore, a decision, a learning commit). */
export interface HistoryEntry {
  readonly id: string;
  readonly time: number;
  /** What was done, for the user: "Blocked Google Chrome". */
  readonly label: string;
  readonly appKeys: readonly string[];
  readonly undone: boolean;
}
