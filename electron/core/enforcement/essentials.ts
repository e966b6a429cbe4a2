// What Windows needs to stay online and updated while Enforce blocks every other outbound connection. Users see and
// edit this list (settings.essentials); docs/essentials.md gives each entry its source. Enforce blocks outbound
// only, so an essential is outbound unless the traffic is a reply Windows expects on a port of its own (DHCP, NDP).
// Every permit here is soft: Windows Defender Firewall, app isolation or a VPN's kill switch still win over it.
// Ports by direction: `localPort` is this computer's, `remotePort` the other side's (wireguard-windows
// tunnel/firewall/rules.go, permitDHCPIPv4: local 68, remote 67, both directions).
import type { Essential, Settings } from '../model';
import { isSvchost, SVCHOST_PATH } from '../apps/identity';

const UDP = 17;
const TCP = 6;
const ICMPV6 = 58;
export const LSASS_PATH = 'C:\\Windows\\System32\\lsass.exe';

/** Settings whose essentials were written by this version of the list. */
export const ESSENTIALS_VERSION = 2;

type Scope = Partial<
  Pick<Essential, 'direction' | 'protocol' | 'localPort' | 'remotePort' | 'localAddress' | 'remoteAddress'>
>;

/** A permit for svchost.exe narrowed to these services by their service SIDs (FWPM_CONDITION_ALE_USER_ID). */
function service(id: string, name: string, description: string, services: readonly string[], scope: Scope): Essential {
  return { id, name, description, appPath: SVCHOST_PATH, services, direction: 'out', enabled: true, ...scope };
}

function program(id: string, name: string, description: string, appPath: string, scope: Scope): Essential {
  return { id, name, description, appPath, direction: 'out', enabled: true, ...scope };
}

export const DEFAULT_ESSENTIALS: readonly Essential[] = [
  service(
    'dhcp',
    'DHCP client',
    'Obtains and renews the IPv4 address (Dhcp service, UDP from local port 68 to port 67 and its replies).',
    ['dhcp'],
    {
      direction: 'both',
      protocol: UDP,
      localPort: 68,
      remotePort: 67,
    },
  ),
  service(
    'dhcpv6',
    'DHCPv6 client',
    'Obtains the IPv6 configuration (Dhcp service, UDP from link-local port 546 to port 547 and its replies).',
    ['dhcp'],
    {
      direction: 'both',
      protocol: UDP,
      localPort: 546,
      remotePort: 547,
      localAddress: 'fe80::/10',
    },
  ),
  program(
    'ndp',
    'IPv6 neighbour discovery',
    'Router solicitation and advertisement, neighbour solicitation and advertisement, redirect (ICMPv6 types 133 to 137, both directions). Without them IPv6 stops working.',
    '*',
    { direction: 'both', protocol: ICMPV6, localPort: { from: 133, to: 137 } },
  ),
  service(
    'dns',
    'DNS client',
    'Resolves names for every application (Dnscache service, to port 53, UDP and TCP).',
    ['dnscache'],
    {
      remotePort: 53,
    },
  ),
  service(
    'llmnr',
    'Local name resolution (LLMNR)',
    'Finds computers on the local network by name (Dnscache service, UDP to port 5355).',
    ['dnscache'],
    {
      protocol: UDP,
      remotePort: 5355,
    },
  ),
  service(
    'mdns',
    'Multicast DNS',
    'Finds printers and devices on the local network (Dnscache service, UDP to port 5353).',
    ['dnscache'],
    {
      protocol: UDP,
      remotePort: 5353,
    },
  ),
  service(
    'time',
    'Time synchronization',
    'Keeps the clock right, which certificates depend on (W32Time, UDP to port 123).',
    ['w32time'],
    {
      protocol: UDP,
      remotePort: 123,
    },
  ),
  service(
    'ncsi',
    'Network connectivity check',
    'The network location awareness probe that decides whether Windows shows "No Internet" (NlaSvc, TCP to port 80).',
    ['nlasvc'],
    { protocol: TCP, remotePort: 80 },
  ),
  {
    id: 'loopback',
    name: 'Loopback',
    description:
      'Connections of an application to this computer, told by the loopback flag Windows sets (not by address). Soft: Windows keeps isolating packaged apps from loopback.',
    appPath: '*',
    direction: 'both',
    loopback: true,
    enabled: true,
  },
  program(
    'svchost-https',
    'Windows services over HTTPS (all of svchost)',
    'Windows Update, BITS, the Store installer and licensing (TCP to port 443). Every service in svchost.exe, not a list of services: BITS, Windows Update and CryptSvc connect while impersonating the user or another account, so a rule on their service SID does not match their downloads.',
    SVCHOST_PATH,
    { protocol: TCP, remotePort: 443 },
  ),
  program(
    'svchost-http',
    'Windows services over HTTP (all of svchost)',
    'Windows Update downloads and certificate revocation checks (CryptSvc, CRL and OCSP) (TCP to port 80). Every service in svchost.exe, for the same reason as the HTTPS entry: they connect while impersonating.',
    SVCHOST_PATH,
    { protocol: TCP, remotePort: 80 },
  ),
  service(
    'delivery-optimization',
    'Delivery optimization peers',
    "Windows Update downloads shared with other computers (DoSvc, TCP to port 7680). Peers connecting to this computer are Windows Firewall's to allow.",
    ['dosvc'],
    { protocol: TCP, remotePort: 7680 },
  ),
  ...['192.168.0.0/16', '10.0.0.0/8', '172.16.0.0/12'].map((prefix): Essential => ({
    id: `system-smb-${prefix.split('.')[0]}`,
    name: `Shared folders on the local network (${prefix})`,
    description:
      "Opening shared folders and printers of other computers (System, TCP to port 445), local addresses only. Sharing this computer's own folders is inbound and stays Windows Firewall's decision.",
    appPath: 'System',
    direction: 'out',
    protocol: TCP,
    remotePort: 445,
    remoteAddress: prefix,
    enabled: true,
  })),
  {
    id: 'system-netbios',
    name: 'NetBIOS name service (192.168.0.0/16)',
    description:
      'Legacy name lookups of older devices on the local network (System, UDP to port 137). Off unless needed.',
    appPath: 'System',
    direction: 'out',
    protocol: UDP,
    remotePort: 137,
    remoteAddress: '192.168.0.0/16',
    enabled: false,
  },
  program(
    'lsass-kerberos',
    'Domain sign-in (Kerberos)',
    'Signing in to a Windows domain (lsass.exe, to port 88, UDP and TCP). Does nothing on a computer outside a domain.',
    LSASS_PATH,
    {
      remotePort: 88,
    },
  ),
  program(
    'lsass-ldap',
    'Domain directory (LDAP)',
    'Finding domain controllers and group policy (lsass.exe, to port 389, UDP and TCP).',
    LSASS_PATH,
    {
      remotePort: 389,
    },
  ),
];

/** Ids of earlier versions of the list -> the entry that replaces them. */
const REPLACED: Readonly<Record<string, string>> = {
  'loopback-v4': 'loopback',
  'loopback-v6': 'loopback',
  'windows-update-https': 'svchost-https',
  'windows-update-http': 'svchost-http',
};

/**
 * Settings saved by an earlier version get this version's list: every default entry is rewritten (an inbound
 * "remote port" of version 1 was the sender's own port, and its permits were hard), keeping whether the user had it
 * on; entries of their own are kept as they are; defaults new in this version are added. Idempotent: settings
 * already at ESSENTIALS_VERSION are returned unchanged, so a default the user removed stays removed.
 */
export function upgradeEssentials(settings: Settings): Settings {
  if ((settings.essentialsVersion ?? 1) >= ESSENTIALS_VERSION) return settings;
  const defaults = new Map(DEFAULT_ESSENTIALS.map((e) => [e.id, e]));
  const enabled = new Map<string, boolean>();
  const own: Essential[] = [];
  for (const e of settings.essentials) {
    const id = REPLACED[e.id] ?? e.id;
    if (defaults.has(id)) enabled.set(id, (enabled.get(id) ?? false) || e.enabled);
    else own.push(e);
  }
  const rewritten = DEFAULT_ESSENTIALS.map((e) => ({ ...e, enabled: enabled.get(e.id) ?? e.enabled }));
  return { ...settings, essentials: [...rewritten, ...own], essentialsVersion: ESSENTIALS_VERSION };
}

/**
 * Settings saved before the svchost essentials named their services: an entry with a default's id, still on an
 * svchost.exe (on any drive) and without a service list gets the default's services, so an upgrade narrows it
 * instead of keeping all of svchost open.
 */
export function scopeEssentialsToServices(essentials: readonly Essential[]): Essential[] {
  const defaults = new Map(DEFAULT_ESSENTIALS.map((e) => [e.id, e]));
  return essentials.map((e) => {
    const services = defaults.get(e.id)?.services;
    if (e.services !== undefined || !services || !isSvchost(e.appPath)) return e;
    return { ...e, services };
  });
}
