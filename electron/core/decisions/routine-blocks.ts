// Blocks that need no decision from anyone: Windows does this on every PC, all day, and nothing is broken by it.
// They are counted and listed (Blocked view, Activity) but open no decision and raise no notification unless the
// user asks for them (settings.decideRoutineBlocks).
//
// - Unsolicited inbound dropped by Windows Defender Firewall: with the default inbound action "Block", Windows drops
//   every inbound connection no rule allows ("Windows Firewall with Advanced Security: default inbound block",
//   learn.microsoft.com/windows/security/operating-system-security/network-security/windows-firewall/rules). Our own
//   inbound blocks (Enforce) are not routine: they come from a rule the user can change here.
// - Local-network discovery that Windows broadcasts and answers on its own: NetBIOS name, datagram and session
//   (137/138/139, RFC 1001/1002), SSDP (1900), LLMNR (5355, RFC 4795), mDNS (5353, RFC 6762), WS-Discovery (3702).
import type { NetEvent } from '../../../native/api';
import type { AppIdentity, BlockedBy } from '../model';

export type RoutineReason = 'unsolicited-inbound' | 'local-discovery';

const DISCOVERY_PORTS = new Set([137, 138, 139, 1900, 3702, 5353, 5355]);

/** Why a block is routine, or undefined when it may need the user. O(1). */
export function routineBlock(app: AppIdentity, event: NetEvent, blockedBy: BlockedBy): RoutineReason | undefined {
  const systemSide = app.kind === 'system' || app.kind === 'service' || app.kind === 'svchost-unknown';
  if (systemSide && (isDiscoveryPort(event.localPort) || isDiscoveryPort(event.remotePort))) return 'local-discovery';
  if (event.direction === 'in' && blockedBy === 'windows-firewall') return 'unsolicited-inbound';
  return undefined;
}

function isDiscoveryPort(port: number | undefined): boolean {
  return port !== undefined && DISCOVERY_PORTS.has(port);
}
