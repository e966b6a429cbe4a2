// GUIDs from the Windows SDK (fwpmu.h) and our own fixed keys, with conversion to and from the koffi GUID struct.

export interface GuidStruct {
  Data1: number;
  Data2: number;
  Data3: number;
  Data4: number[] | Uint8Array;
}

const GUID_TEXT = /^\{?([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\}?$/i;

/** "c38d57d1-05a7-4c33-904f-7fbceee60e82" -> the struct koffi writes as a GUID. */
export function guidToStruct(text: string): GuidStruct {
  const m = GUID_TEXT.exec(text);
  if (!m) throw new TypeError(`not a GUID: ${text}`);
  const [, d1, d2, d3, d4a, d4b] = m as unknown as [string, string, string, string, string, string];
  const tail = d4a + d4b;
  const data4: number[] = [];
  for (let i = 0; i < 16; i += 2) data4.push(parseInt(tail.slice(i, i + 2), 16));
  return { Data1: parseInt(d1, 16), Data2: parseInt(d2, 16), Data3: parseInt(d3, 16), Data4: data4 };
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

/** A decoded GUID struct -> lower-case text without braces. */
export function guidFromStruct(g: GuidStruct): string {
  const d4 = Array.from(g.Data4, (b) => hex(b, 2)).join('');
  return `${hex(g.Data1 >>> 0, 8)}-${hex(g.Data2, 4)}-${hex(g.Data3, 4)}-${d4.slice(0, 4)}-${d4.slice(4)}`;
}

export function sameGuid(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export const FWPM_LAYER = {
  ALE_AUTH_CONNECT_V4: 'c38d57d1-05a7-4c33-904f-7fbceee60e82',
  ALE_AUTH_CONNECT_V6: '4a72393b-319f-44bc-84c3-ba54dcb3b6b4',
  ALE_AUTH_RECV_ACCEPT_V4: 'e1cd9fe7-f4b5-4273-96c0-592e487b8650',
  ALE_AUTH_RECV_ACCEPT_V6: 'a3b42c97-9f04-4672-b87e-cee9c483257f',
  // windows-sys Win32/NetworkManagement/WindowsFilteringPlatform (generated from the SDK's fwpmu.h).
  ALE_AUTH_LISTEN_V4: '88bb5dad-76d7-4227-9c71-df0a3ed7be7e',
  ALE_AUTH_LISTEN_V6: '7ac9de24-17dd-4814-b4bd-a9fbc95a321b',
} as const;

export const FWPM_CONDITION = {
  ALE_APP_ID: 'd78e1e87-8644-4ea5-9437-d809ecefc971',
  IP_REMOTE_PORT: 'c35a604d-d22b-4e1a-91b4-68f674ee674b',
  IP_PROTOCOL: '3971ef2b-623e-4f9a-8cb1-6e79b806b9a7',
  IP_REMOTE_ADDRESS: 'b235ae9a-1d64-49b8-a44c-5ff3d9095045',
  ALE_USER_ID: 'af043a0a-b34d-4f86-979c-c90371af6e66',
  ALE_PACKAGE_ID: '71bc78fa-f17c-4997-a602-6abb261f351c',
  // windows-sys (from fwpmu.h). Beware copies in public samples: one widespread header gives IP_LOCAL_PORT as
  // 0c1ba1af-eb57-..., which WFP does not know.
  IP_LOCAL_PORT: '0c1ba1af-5765-453f-af22-a8f791ac775b',
  IP_LOCAL_ADDRESS: 'd9ee00de-c1ef-4617-bfe3-ffd8f5a08957',
  /** FWP_CONDITION_FLAG_* bits (loopback, IPsec secured, ...), matched with FWP_MATCH_FLAGS_ALL_SET. */
  FLAGS: '632ce23b-5167-435c-86d7-e903684aa80c',
} as const;

/** At the ALE layers an ICMP packet's type travels in the local port field, its code in the remote port (fwpmu.h). */
export const FWPM_CONDITION_ICMP_TYPE = FWPM_CONDITION.IP_LOCAL_PORT;

/** Sublayers of Windows Defender Firewall (fwpmu.h): service hardening and app isolation, then its rules. */
export const FWPM_SUBLAYER_MPSSVC = {
  WSH: 'b3cdd441-af90-41ba-a745-7c6008ff2300',
  WF: 'b3cdd441-af90-41ba-a745-7c6008ff2301',
} as const;

/** Providers of Windows Defender Firewall and the service hardening it installs (MPSSVC). */
export const FWPM_PROVIDER_MPSSVC = {
  WSH: '4b153735-1049-4480-aab4-d1b9bdc03710',
  WF: 'decc16ca-3f33-4346-be1e-8fb4ae0f3d62',
  EDP: 'a90296f7-46b8-4457-8f84-b05e05d3c622',
  TENANT_RESTRICTIONS: 'd0718ff9-44da-4f50-9dc2-c963a4247613',
  APP_ISOLATION: '3cc2631f-2d5d-43a0-b174-614837d863a1',
} as const;

/** Portcullis's own keys: never change them, installed filters are found again by these. */
export const PORTCULLIS_PROVIDER_KEY = '07390d48-b808-4257-85aa-290960057f05';
export const PORTCULLIS_SUBLAYER_KEY = '8a65178c-3ae9-412c-acde-05dadae039a7';
/**
 * The sublayer of versions whose permits were hard, at weight 0xFFFF: its filters are replaced on the first
 * reconcile, and the empty sublayer is removed on the next start (or by a reset).
 */
export const PORTCULLIS_LEGACY_SUBLAYER_KEY = 'fd4e9de8-baf8-409d-9a4c-baeeabad04bd';

/** Which direction a layer decides. */
export function directionOfLayer(layerKey: string): 'out' | 'in' | undefined {
  const k = layerKey.toLowerCase();
  if (k === FWPM_LAYER.ALE_AUTH_CONNECT_V4 || k === FWPM_LAYER.ALE_AUTH_CONNECT_V6) return 'out';
  if (k === FWPM_LAYER.ALE_AUTH_RECV_ACCEPT_V4 || k === FWPM_LAYER.ALE_AUTH_RECV_ACCEPT_V6) return 'in';
  return undefined;
}
