// The user's settings (mode, notifications, essentials) and what switching the mode would change.
import type { RuleAction, RuleDirection } from './rules';

export type Mode = 'monitor' | 'learning' | 'enforce' | 'off';

/** An inclusive port range (ICMP types travel in the local port field at the ALE layers). */
export interface PortRange {
  readonly from: number;
  readonly to: number;
}

export interface Essential {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** DOS path of the executable, "System" for the kernel, or "*" for every application. */
  readonly appPath: string;
  /**
   * Service names (dnscache, wuauserv) when appPath is svchost.exe: the entry then applies to these services only,
   * each told apart by its service SID. Absent: every process running appPath.
   */
  readonly services?: readonly string[];
  readonly direction: RuleDirection;
  readonly protocol?: number;
  /** This computer's port (DHCP client 68, ICMPv6 type 133..137). */
  readonly localPort?: number | PortRange;
  /** The other computer's port (DNS 53, DHCP server 67). */
  readonly remotePort?: number | PortRange;
  /** An address or prefix (fe80::/10). */
  readonly localAddress?: string;
  /** An address or prefix (192.168.0.0/16). */
  readonly remoteAddress?: string;
  /** Loopback traffic only (FWPM_CONDITION_FLAGS with FWP_CONDITION_FLAG_IS_LOOPBACK). */
  readonly loopback?: boolean;
  readonly enabled: boolean;
}

export interface NotificationPolicy {
  readonly enabled: boolean;
  /** At most one notification per app per this many minutes. */
  readonly perAppMinutes: number;
  /** At most this many notifications in any minute, all apps together. */
  readonly maxPerMinute: number;
  /** Paused until this time (ms), if paused. */
  readonly pausedUntil?: number;
}

export interface Settings {
  readonly schemaVersion: 1;
  readonly mode: Mode;
  readonly notifications: NotificationPolicy;
  /** Seconds after which a pending decision takes its default action; absent: never. */
  readonly decisionTimeoutSeconds?: number;
  readonly decisionDefaultAction: RuleAction;
  readonly activityLogSize: number;
  readonly batchIntervalMs: number;
  readonly closeToTray: boolean;
  readonly reverseDns: boolean;
  /** When set, learning commits its candidates by itself at this time. */
  readonly learningUntil?: number;
  readonly essentials: readonly Essential[];
  /**
   * Open decisions and notifications for routine blocks too (unsolicited inbound dropped by Windows Firewall,
   * local-network discovery); absent or false: they are only counted and listed.
   */
  readonly decideRoutineBlocks?: boolean;
  /** The first-run introduction was read (or skipped). */
  readonly introSeen?: boolean;
  /** Which version of the default essentials `essentials` was written from (absent: 1). */
  readonly essentialsVersion?: number;
  /**
   * Name the service behind each blocked svchost connection: Windows security auditing of blocked connections is
   * on (it writes event 5157 to the Security log) while this is true. Absent: off.
   */
  readonly tellServicesApart?: boolean;
  /**
   * The "Filtering Platform Connection" audit setting found before Portcullis turned failure auditing on (0 none,
   * 1 success, 3 both), put back when the user turns the feature off, resets or uninstalls. Absent: Portcullis
   * changed nothing (it was off, or auditing was already on).
   */
  readonly serviceAuditBefore?: number;
}

/** What switching to a mode would change, shown before the switch. */
export interface ModePreview {
  readonly mode: Mode;
  /** Apps seen connecting that have no allow rule: the new mode blocks them. Newest first, bounded. */
  readonly willBlock: readonly PreviewApp[];
  readonly willBlockTotal: number;
  /** Apps with an allow rule: they keep working. */
  readonly staysAllowed: readonly PreviewApp[];
  readonly staysAllowedTotal: number;
  /** The enabled essentials that keep Windows online. */
  readonly essentials: readonly { readonly id: string; readonly name: string; readonly description: string }[];
}

export interface PreviewApp {
  readonly appKey: string;
  readonly name: string;
  readonly path?: string;
  readonly lastSeen?: number;
  /** Why it is allowed (a rule, an essential) or what part stays open. */
  readonly detail?: string;
}
