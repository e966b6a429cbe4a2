// Prepared NetEvents, as decode produces them: blocked outbound and inbound attempts from many apps to many
// endpoints, built once so that a benchmark measures what consumes them.
import type { NetEvent } from '../../native/api';
import { WINDOWS_FIREWALL_FILTER_IDS } from './null-backend';

export interface EventMix {
  readonly apps: number;
  readonly endpoints: number;
  readonly count: number;
}

export function prepareEvents({ apps, endpoints, count }: EventMix, time = Date.now()): NetEvent[] {
  const out: NetEvent[] = [];
  for (let i = 0; i < count; i++) {
    const app = i % apps;
    const endpoint = (i * 7919) % endpoints;
    const outbound = i % 4 !== 0;
    const path = `C:\\Program Files\\Vendor ${app % 13}\\App ${app}\\app${app}.exe`;
    out.push({
      time,
      type: 'drop',
      rawType: 3,
      direction: outbound ? 'out' : 'in',
      ipVersion: 4,
      protocol: i % 5 === 0 ? 17 : 6,
      localAddress: '192.168.1.10',
      remoteAddress: `198.51.${(endpoint >> 8) & 255}.${endpoint & 255}`,
      localPort: outbound ? 49_152 + (i % 16_000) : 443,
      remotePort: outbound ? [443, 80, 53, 8080, 5222][endpoint % 5]! : 49_152 + (i % 16_000),
      appId: `\\device\\harddiskvolume3${path.slice(2).toLowerCase()}`,
      appPath: path.toLowerCase(),
      filterId: WINDOWS_FIREWALL_FILTER_IDS[app % WINDOWS_FIREWALL_FILTER_IDS.length]!,
      layerId: outbound ? 48 : 44,
      isLoopback: false,
      flags: 0x13f,
    });
  }
  return out;
}
