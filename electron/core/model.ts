// The shapes core publishes and accepts. Plain, serializable data: these cross the IPC boundary unchanged,
// so no Map, Set, Date or bigint in here (times are ms since 1970 UTC).

export type Mode = 'monitor' | 'learning' | 'enforce' | 'off';
export type RuleAction = 'allow' | 'block';
export type RuleDirection = 'out' | 'in' | 'both';
export type RuleSource = 'user' | 'prompt' | 'learning' | 'import' | 'essential';
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

export interface ActivityEntry {
  readonly seq: number;
  readonly time: number;
  readonly appKey: string;
  readonly appName: string;
  readonly verdict: 'blocked' | 'allowed' | 'other';
  readonly direction?: 'out' | 'in' | 'forward';
  readonly protocol?: number;
  readonly remoteAddress?: string;
  readonly remotePort?: number;
  readonly localPort?: number;
  readonly blockedBy?: BlockedBy;
  readonly filterName?: string;
}

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

export interface Counters {
  readonly eventsIn: number;
  readonly malformed: number;
  readonly lost: number;
  readonly eventsPerSecond: number;
}

export interface Status {
  readonly mode: Mode;
  readonly backend: 'wfp' | 'simulator';
  readonly counters: Counters;
  readonly pendingDecisions: number;
  /** Apps blocked that the decision budgets kept out of the inbox; they are in the Blocked view. */
  readonly moreAppsBlocked?: number;
  /** Blocks that needed no decision (unsolicited inbound, local discovery), counted since start. */
  readonly routineBlocks?: number;
  readonly rules: number;
  /** Where rules, settings and the log are kept, shown in Settings so the user can back it up. */
  readonly dataFolder?: string;
  readonly blockedApps: number;
  /** Problems the user should know about (corrupt store set aside, subscription re-established, ...). */
  readonly notices: readonly Notice[];
  /** How events reach core: batched through the event ring, or one callback each (and why); absent when unknown. */
  readonly delivery?: EventDelivery;
}

export interface EventDelivery {
  readonly mode: 'ring' | 'per-event';
  /** Why events take the per-event callback (the event ring library is missing, not built for this CPU...). */
  readonly note?: string;
}

export interface Notice {
  readonly id: string;
  readonly time: number;
  readonly level: 'info' | 'warning' | 'error';
  readonly message: string;
  /** How many times the same notice was reported (shown once, with the count). */
  readonly count?: number;
}

/** Everything the UI needs to draw itself from nothing. */
export interface Snapshot {
  readonly status: Status;
  readonly settings: Settings;
  readonly apps: readonly AppEntry[];
  readonly rules: readonly Rule[];
  readonly decisions: readonly PendingDecision[];
  readonly candidates: readonly LearningCandidate[];
  readonly activity: readonly ActivityEntry[];
  /**
   * Set when `apps` is only the first screen (the most recently active apps): the rest follow from snapshot.apps,
   * starting at this cursor, so that no single answer holds the main thread long.
   */
  readonly appsNext?: number;
  /**
   * Set when `activity` is only the newest entries: older ones follow from snapshot.activity, a page at a time,
   * starting before this sequence number (the oldest entry given).
   */
  readonly activityNext?: number;
  /** Set when `rules` is only the first ones: the rest follow from snapshot.rules, starting at this cursor. */
  readonly rulesNext?: number;
}

/** Log entries older than `before` (oldest first); `next` is where the page after it starts, absent at the end. */
export interface ActivityPage {
  readonly activity: readonly ActivityEntry[];
  readonly next?: number;
}

/** One page of the rules a paged snapshot left out; `next` is absent on the last page. */
export interface RulesPage {
  readonly rules: readonly Rule[];
  readonly next?: number;
}

/** One page of the apps a paged snapshot left out; `next` is absent on the last page. */
export interface AppsPage {
  readonly apps: readonly AppEntry[];
  readonly next?: number;
}

/** What changed since the previous batch; sent at most every batchIntervalMs, never once per event. */
export interface DeltaBatch {
  readonly seq: number;
  readonly status?: Status;
  readonly settings?: Settings;
  readonly apps?: readonly AppEntry[];
  readonly removedApps?: readonly string[];
  readonly rules?: readonly Rule[];
  readonly removedRules?: readonly string[];
  readonly decisions?: readonly PendingDecision[];
  readonly closedDecisions?: readonly string[];
  readonly candidates?: readonly LearningCandidate[];
  readonly removedCandidates?: readonly string[];
  /** New activity entries, oldest first. */
  readonly activity?: readonly ActivityEntry[];
  /**
   * Entries logged since the previous batch but left out of this one to keep it small under a flood (the newest
   * are sent); core's log keeps them and the export has them all.
   */
  readonly activitySkipped?: number;
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

/** One rule of an import as it will be written, with the rule it replaces and why it deserves a second look. */
export interface ImportItem {
  readonly rule: Rule;
  readonly replaces?: Rule;
  /** It beats an essential, blocks a part of Windows, or allows a program in a folder others can write to. */
  readonly warning?: string;
}

export interface ImportPreview {
  /** At most 2,000 of each; `counts` has the totals. */
  readonly added: readonly Rule[];
  readonly replaced: readonly Rule[];
  readonly unchanged: number;
  readonly errors: readonly string[];
  /** Per rule, exactly what would be written: flagged ones first, then the others, at most 2,000. */
  readonly items?: readonly ImportItem[];
  readonly counts?: { readonly added: number; readonly replaced: number; readonly errors: number };
  /** Import writes every rule or none: one rule with an error and nothing is written. */
  readonly commit?: 'all-or-nothing';
  /** Identifies what this preview showed; an import with it writes exactly that, or nothing if the rules changed. */
  readonly token?: string;
  /** In the answer to an import: how many rules were written (0 when an error stopped it). */
  readonly imported?: number;
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
