// Applications as core knows them: who they are, where they tried to connect, who signed them, and the row the
// lists show for each.
import type { RuleDirection } from './rules';

export type BlockedBy = 'portcullis' | 'windows-firewall' | 'other' | 'unknown';

/** How an application is recognised across events, restarts and updates. */
export interface AppIdentity {
  /** Stable key: "path:c:\\program files\\app\\app.exe", "service:dnscache", "package:S-1-15-2-...", "system". */
  readonly key: string;
  readonly kind: 'path' | 'service' | 'package' | 'system' | 'svchost-unknown';
  readonly displayName: string;
  /** DOS path as last seen (original case), when there is one. */
  readonly path?: string;
  readonly ntPath?: string;
  readonly serviceName?: string;
  /**
   * svchost-unknown only: the services that share the process the Security log named for this connection. Any of
   * them may have made it, so none can be allowed alone from it.
   */
  readonly services?: readonly string[];
  readonly packageSid?: string;
}

export interface Endpoint {
  readonly address: string;
  /** The remote port (outbound), or for an inbound endpoint the local port the app was reached on. */
  readonly port?: number;
  /** Set for an inbound endpoint: `address` sent to this computer, and `port` is the local (listening) port. */
  readonly inbound?: boolean;
  readonly protocol?: number;
  readonly hostname?: string;
  /** dns: the name the app looked up (DNS client events); reverse: the address's reverse-DNS name, a fallback. */
  readonly hostnameSource?: 'dns' | 'reverse';
  readonly count: number;
  readonly lastSeen: number;
}

/** Who signed the app's executable, as Windows' WinVerifyTrust decides (embedded or catalog signature). */
export interface AppPublisher {
  readonly status: 'verified' | 'unsigned' | 'bad-signature' | 'untrusted' | 'unreadable';
  /** The signer's certificate name ("Google LLC"), when there is one. */
  readonly signer?: string;
  /** What rows, the detail panel, the prompt and rules show: "Google LLC, verified", "not signed", ... */
  readonly label: string;
  /**
   * Why this app deserves a second look, when it does: it claims a well-known name but is not signed or runs from a
   * folder any user can write, or it was changed after it was signed.
   */
  readonly risk?: string;
}

export type AppState = 'new' | 'allowed' | 'blocked' | 'ignored' | 'pending';

export interface AppEntry {
  readonly identity: AppIdentity;
  readonly blockedCount: number;
  readonly allowedCount: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
  /**
   * The most recent distinct remote endpoints, newest first, bounded. A delta row with `endpointsBase` carries only
   * those not in that list as they are now (new, or renamed), and `endpointOrder` places them. The attempts and
   * last-seen time of each are current when carried; `apps.endpoints` gives them current always.
   */
  readonly endpoints: readonly Endpoint[];
  /**
   * Set on a delta row that refers to the app's endpoint list of this version (as an earlier row gave it) instead of
   * carrying it: the list now is `endpointOrder` applied to that list and to `endpoints`.
   */
  readonly endpointsBase?: number;
  /**
   * The version of the list this row gives, which later rows may refer to. Set on the rows of delta batches and
   * snapshot pages (versions only grow); absent where the row stands alone (CLI, tray) or the app has no endpoints.
   */
  readonly endpointsVersion?: number;
  /**
   * Newest first, where each endpoint is: its position in the list `endpointsBase` (a snapshot page's row: in the
   * list `endpointsVersion`, for the rows after it), or -(j + 1) for `endpoints[j]`. Absent where `endpoints` is the
   * whole list in the order of its version.
   */
  readonly endpointOrder?: readonly number[];
  readonly ports: readonly number[];
  readonly protocols: readonly number[];
  readonly directions: readonly ('out' | 'in' | 'forward')[];
  readonly blockedBy: BlockedBy;
  /** Name of the filter that last dropped it (Windows Defender Firewall rule name, our rule, ...). */
  readonly blockedByFilter?: string;
  /**
   * The latest drop was a Windows Defender Firewall rule's and the app is not packaged: "Allow even where Windows
   * Firewall blocks it" may be offered (a plain allow of Portcullis does not lift another firewall's block).
   */
  readonly canOverrideWindowsFirewall?: boolean;
  /** The directions it was blocked in: a one-click rule covers these. */
  readonly blockedDirection?: RuleDirection;
  /** The rule that applies now, if any. */
  readonly ruleId?: string;
  readonly state: AppState;
  /** Attempts per minute over the last hour, oldest first, for the timeline chart. */
  readonly timeline: readonly number[];
  /** The code signature of the app's executable, once checked (off the event path). */
  readonly publisher?: AppPublisher;
}
