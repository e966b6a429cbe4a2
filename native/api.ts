// The surface native/ offers to the rest of Portcullis. Plain data in and out; nothing here knows of the app.
// The same interfaces are served by fwpuclnt.dll on Windows and by the simulator library elsewhere.

export type NetEventType = 'drop' | 'allow' | 'capabilityDrop' | 'capabilityAllow' | 'other';
export type Direction = 'out' | 'in' | 'forward';

/**
 * The ALE layer an event happened on. connect / recv-accept / listen decide a connection (out, in, in);
 * flow-established reports a connection already decided at one of them; resource-assignment is a bind (a port
 * being taken), before any connection.
 */
export type AleLayer =
  | 'connect'
  | 'recv-accept'
  | 'listen'
  | 'flow-established'
  | 'resource-assignment'
  | 'resource-release'
  | 'endpoint-closure'
  | 'connect-redirect'
  | 'bind-redirect';

/** One decoded WFP net event. A field whose header flag was not set is absent (never 0.0.0.0, never port 0). */
export interface NetEvent {
  /** Milliseconds since 1970-01-01 UTC. */
  readonly time: number;
  readonly type: NetEventType;
  /** FWPM_NET_EVENT_TYPE as delivered; the only way to tell `other` events apart. */
  readonly rawType: number;
  /**
   * From the layer when the layer decides one (connect: out; recv-accept, listen: in); otherwise from
   * msFwpDirection (0x3900/0x3901, or FWP_DIRECTION 0/1); absent when neither says.
   */
  readonly direction?: Direction;
  /** The ALE layer of `layerId` (looked up with FwpmLayerGetById0); 'other' for a non-ALE layer; absent when unknown. */
  readonly layer?: AleLayer | 'other';
  readonly ipVersion?: 4 | 6;
  /** IANA protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6). */
  readonly protocol?: number;
  readonly localAddress?: string;
  readonly remoteAddress?: string;
  readonly localPort?: number;
  readonly remotePort?: number;
  /** The NT device path as WFP gives it, e.g. \device\harddiskvolume3\program files\app\app.exe. */
  readonly appId?: string;
  /** The DOS path (C:\program files\app\app.exe) when the device maps to a drive letter or UNC share; "System" for the kernel. */
  readonly appPath?: string;
  readonly userSid?: string;
  readonly packageSid?: string;
  /** Runtime id of the filter that dropped or allowed it; WFP ids are small sequential integers. */
  readonly filterId?: number;
  readonly layerId?: number;
  readonly isLoopback?: boolean;
  /** FWPM_NET_EVENT_FLAG_* bits of the header, as delivered. */
  readonly flags: number;
}

export type FilterAction = 'permit' | 'block';

/** One port, or an inclusive range. */
export type PortMatch = number | { readonly from: number; readonly to: number };

/** What one rule asks WFP to do for one application. */
export interface AppFilterSpec {
  /** DOS path of the executable, or "System" for the kernel; absent: every application (Enforce's default block). */
  readonly appPath?: string;
  /**
   * String SID a process token must hold (FWPM_CONDITION_ALE_USER_ID), e.g. a service SID S-1-5-80-...: with the
   * svchost.exe path it narrows the filter to that one service instead of every svchost-hosted service.
   */
  readonly serviceSid?: string;
  /** String SID of a packaged app's app container, S-1-15-2-... (FWPM_CONDITION_ALE_PACKAGE_ID). */
  readonly packageSid?: string;
  readonly action: FilterAction;
  readonly direction: 'out' | 'in' | 'both';
  /** IANA protocol number. */
  readonly protocol?: number;
  /**
   * This computer's port (FWPM_CONDITION_IP_LOCAL_PORT) on every layer: an inbound service's listening port.
   * For ICMP the ALE layers carry the ICMP type here.
   */
  readonly localPort?: PortMatch;
  /**
   * The other computer's port (FWPM_CONDITION_IP_REMOTE_PORT). On an inbound layer this is the sender's source port,
   * which the sender chooses: a local service's port never goes here.
   */
  readonly remotePort?: PortMatch;
  /** An address or prefix on this computer (fe80::/10). */
  readonly localAddress?: string;
  /** An address (1.2.3.4, 2001:db8::1) or a prefix (10.0.0.0/8, 2001:db8::/32). */
  readonly remoteAddress?: string;
  /** Loopback traffic only: FWPM_CONDITION_FLAGS with FWP_CONDITION_FLAG_IS_LOOPBACK all set. */
  readonly loopback?: boolean;
  /**
   * A hard permit (FWPM_FILTER_FLAG_CLEAR_ACTION_RIGHT): other sublayers' blocks cannot override it. Only for a rule
   * whose user asked to override Windows Firewall; a permit is soft otherwise. Ignored for blocks.
   */
  readonly hard?: boolean;
  /** Filter weight inside our sublayer (0..15 as FWP_UINT8 weight range); rules sit above the default block. */
  readonly weight?: number;
  readonly name: string;
  readonly description?: string;
  /** Opaque text (at most 200 characters) kept in the filter's providerData (UTF-8), to find the rule again after a restart. */
  readonly tag?: string;
}

/** Who a filter belongs to, for "why was this blocked?". */
export interface FilterInfo {
  readonly filterId: number;
  readonly name: string;
  readonly description?: string;
  readonly providerKey?: string;
  readonly providerName?: string;
  readonly layerKey: string;
  readonly action: FilterAction | 'callout' | 'other';
  readonly weight?: number;
  readonly owner: 'portcullis' | 'windows-firewall' | 'other';
}

export interface OurFilter {
  readonly filterId: number;
  readonly key: string;
  readonly name: string;
  readonly layerKey: string;
  readonly action: FilterAction;
  /** The AppFilterSpec's tag, read back from providerData. */
  readonly tag?: string;
  /** Its FWPM_CONDITION_ALE_APP_ID as text (the NT path it matches, lower case, no NUL), when it has one. */
  readonly appId?: string;
}
