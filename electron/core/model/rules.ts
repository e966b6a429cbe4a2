// Rules: what is allowed or blocked for an app's traffic, for how long, and where each rule came from.
import type { AppIdentity } from './apps';

export type RuleAction = 'allow' | 'block';
export type RuleDirection = 'out' | 'in' | 'both';
export type RuleSource = 'user' | 'prompt' | 'learning' | 'import' | 'essential';

export type RuleDuration =
  { readonly kind: 'forever' } | { readonly kind: 'untilRestart' } | { readonly kind: 'until'; readonly until: number };

export interface Rule {
  readonly id: string;
  readonly app: AppIdentity;
  readonly action: RuleAction;
  readonly direction: RuleDirection;
  readonly protocol?: number;
  /**
   * The port on this computer: for an inbound rule the port the app listens on ("listening on port 8080").
   * WFP's IP_LOCAL_PORT on every layer the rule covers.
   */
  readonly localPort?: number;
  /**
   * The port of the other computer: for an outbound rule the port the app connects to ("to port 443"). On an
   * inbound layer it is the sender's source port, which the sender chooses: never a service's port.
   */
  readonly remotePort?: number;
  readonly remoteAddress?: string;
  /**
   * A hard permit (FWPM_FILTER_FLAG_CLEAR_ACTION_RIGHT): this allow also overrides Windows Defender Firewall's
   * blocks. Only where the user chose "Allow even where Windows Firewall blocks it" on this rule; never for a
   * packaged app (it would lift Windows' app isolation). Absent: a soft permit, which any other block still beats.
   */
  readonly overridesWindowsFirewall?: true;
  readonly duration: RuleDuration;
  readonly created: number;
  readonly source: RuleSource;
  readonly note?: string;
  readonly lastHit?: number;
  /** Who made the decision behind this rule, when it was not the user directly (a timeout, the CLI, a learning period). */
  readonly decidedBy?: 'user' | 'timeout' | 'cli' | 'learning-period';
  /**
   * Set (never stored) when the rule is kept but has no filter in WFP, with the reason: its drive is not present,
   * its package SID is malformed, it was saved by a version that accepted what this one refuses. Remove or edit it.
   */
  readonly notEnforced?: string;
}
