// What Windows needs to stay online and updated while Enforce blocks everything else. Users see and edit this list
// (settings.essentials); docs/essentials.md explains each entry. WFP matches executables, not services, so an
// svchost entry opens that port for every svchost-hosted service.
import type { Essential } from '../model';
import { SVCHOST_PATH } from '../apps/identity';

const UDP = 17;
const TCP = 6;

function svchost(
  id: string,
  name: string,
  description: string,
  extra: Partial<Pick<Essential, 'direction' | 'protocol' | 'remotePort'>>,
): Essential {
  return { id, name, description, appPath: SVCHOST_PATH, direction: 'out', enabled: true, ...extra };
}

export const DEFAULT_ESSENTIALS: readonly Essential[] = [
  svchost('dhcp', 'DHCP client', 'Obtains and renews the IPv4 address (Dhcp service, UDP 67/68).', {
    direction: 'both',
    protocol: UDP,
    remotePort: 67,
  }),
  svchost('dhcpv6', 'DHCPv6 client', 'Obtains the IPv6 configuration (Dhcp service, UDP 546/547).', {
    direction: 'both',
    protocol: UDP,
    remotePort: 547,
  }),
  svchost('dns', 'DNS client', 'Resolves names for every application (Dnscache service, UDP and TCP 53).', {
    remotePort: 53,
  }),
  svchost('llmnr', 'Local name resolution (LLMNR)', 'Finds computers on the local network by name (UDP 5355).', {
    protocol: UDP,
    remotePort: 5355,
  }),
  svchost('mdns', 'Multicast DNS', 'Finds printers and devices on the local network (UDP 5353).', {
    protocol: UDP,
    remotePort: 5353,
  }),
  svchost('time', 'Time synchronization', 'Keeps the clock right, which certificates depend on (W32Time, UDP 123).', {
    protocol: UDP,
    remotePort: 123,
  }),
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
    'Windows Update (wuauserv), BITS, delivery optimization, the Store installer and licensing (TCP 443).',
    { protocol: TCP, remotePort: 443 },
  ),
  svchost(
    'windows-update-http',
    'Windows Update, certificate revocation and connectivity checks over HTTP',
    'Windows Update downloads, certificate revocation lists (CryptSvc) and the network location awareness probe that decides whether Windows shows "No Internet" (NlaSvc, TCP 80).',
    { protocol: TCP, remotePort: 80 },
  ),
  svchost(
    'delivery-optimization',
    'Delivery optimization peers',
    'Windows Update downloads shared with other computers (DoSvc, TCP 7680).',
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
