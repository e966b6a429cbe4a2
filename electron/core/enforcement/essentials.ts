// What Windows needs to stay online and updated while Enforce blocks everything else. Users see and edit this list
// (settings.essentials); docs/essentials.md explains each entry. The svchost entries name the services they are
// for: each becomes a filter on svchost.exe plus that service's SID, so opening DNS for the DNS client does not open
// it for every other service svchost hosts.
import type { Essential } from '../model';
import { isSvchost, SVCHOST_PATH } from '../apps/identity';

const UDP = 17;
const TCP = 6;

function svchost(
  id: string,
  name: string,
  description: string,
  services: readonly string[],
  extra: Partial<Pick<Essential, 'direction' | 'protocol' | 'remotePort'>>,
): Essential {
  return { id, name, description, appPath: SVCHOST_PATH, services, direction: 'out', enabled: true, ...extra };
}

const WINDOWS_UPDATE = ['wuauserv', 'bits', 'dosvc', 'usosvc', 'waasmedicsvc'];

export const DEFAULT_ESSENTIALS: readonly Essential[] = [
  svchost('dhcp', 'DHCP client', 'Obtains and renews the IPv4 address (Dhcp service, UDP 67/68).', ['dhcp'], {
    direction: 'both',
    protocol: UDP,
    remotePort: 67,
  }),
  svchost('dhcpv6', 'DHCPv6 client', 'Obtains the IPv6 configuration (Dhcp service, UDP 546/547).', ['dhcp'], {
    direction: 'both',
    protocol: UDP,
    remotePort: 547,
  }),
  svchost(
    'dns',
    'DNS client',
    'Resolves names for every application (Dnscache service, UDP and TCP 53).',
    ['dnscache'],
    { remotePort: 53 },
  ),
  svchost(
    'llmnr',
    'Local name resolution (LLMNR)',
    'Finds computers on the local network by name (Dnscache service, UDP 5355).',
    ['dnscache'],
    { protocol: UDP, remotePort: 5355 },
  ),
  svchost(
    'mdns',
    'Multicast DNS',
    'Finds printers and devices on the local network (Dnscache service, UDP 5353).',
    ['dnscache'],
    { protocol: UDP, remotePort: 5353 },
  ),
  svchost(
    'time',
    'Time synchronization',
    'Keeps the clock right, which certificates depend on (W32Time, UDP 123).',
    ['w32time'],
    { protocol: UDP, remotePort: 123 },
  ),
  {
    id: 'loopback-v4',
    name: 'Loopback (IPv4)',
    description: 'Connections of any application to this computer (127.0.0.0/8).',
    appPath: '*',
    direction: 'both',
    remoteAddress: '127.0.0.0/8',
    enabled: true,
  },
  {
    id: 'loopback-v6',
    name: 'Loopback (IPv6)',
    description: 'Connections of any application to this computer (::1).',
    appPath: '*',
    direction: 'both',
    remoteAddress: '::1',
    enabled: true,
  },
  svchost(
    'windows-update-https',
    'Windows Update and system services over HTTPS',
    'Windows Update (wuauserv, UsoSvc, WaaSMedicSvc), BITS, delivery optimization (DoSvc), the Store installer (InstallService) and licensing (ClipSVC, LicenseManager) (TCP 443).',
    [...WINDOWS_UPDATE, 'installservice', 'clipsvc', 'licensemanager'],
    { protocol: TCP, remotePort: 443 },
  ),
  svchost(
    'windows-update-http',
    'Windows Update, certificate revocation and connectivity checks over HTTP',
    'Windows Update downloads, certificate revocation lists (CryptSvc) and the network location awareness probe that decides whether Windows shows "No Internet" (NlaSvc, TCP 80).',
    [...WINDOWS_UPDATE, 'cryptsvc', 'nlasvc'],
    { protocol: TCP, remotePort: 80 },
  ),
  svchost(
    'delivery-optimization',
    'Delivery optimization peers',
    'Windows Update downloads shared with other computers (DoSvc, TCP 7680).',
    ['dosvc'],
    { direction: 'both', protocol: TCP, remotePort: 7680 },
  ),
  ...['192.168.0.0/16', '10.0.0.0/8', '172.16.0.0/12'].map((prefix): Essential => ({
    id: `system-smb-${prefix.split('.')[0]}`,
    name: `File sharing on the local network (${prefix})`,
    description: 'Shared folders and printers through the kernel (System, SMB TCP 445), local addresses only.',
    appPath: 'System',
    direction: 'both',
    protocol: TCP,
    remotePort: 445,
    remoteAddress: prefix,
    enabled: true,
  })),
  {
    id: 'system-netbios',
    name: 'NetBIOS name service (192.168.0.0/16)',
    description: 'Legacy name lookups of older devices on the local network (System, UDP 137). Off unless needed.',
    appPath: 'System',
    direction: 'both',
    protocol: UDP,
    remotePort: 137,
    remoteAddress: '192.168.0.0/16',
    enabled: false,
  },
];

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
