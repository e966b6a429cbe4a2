// Where the decoder finds each field of FWPM_NET_EVENT1..5 and of the detail structs behind their union pointer:
// offsets taken from the koffi declarations (wfp/types.ts), which test/unit/layout.test.ts checks against the
// Windows SDK as compiled by mingw-w64 (native/layout/golden.json). The event ring's C side is told the same
// offsets (batch/event-ring.ts), so there is one source of truth for every layout.
import type { TypeObject } from 'koffi';
import { FWPM_NET_EVENT_TYPE as T } from '../wfp/constants.js';
import * as types from '../wfp/types.js';

export type NetEventVersion = 1 | 2 | 3 | 4 | 5;

const off = (t: TypeObject, field: string): number => {
  const m = t.members?.[field];
  if (!m) throw new Error(`${t.name} has no member ${field}`);
  return m.offset;
};

export interface Layout {
  size: number;
  timeStamp: number;
  flags: number;
  ipVersion: number;
  ipProtocol: number;
  localAddr: number;
  remoteAddr: number;
  localPort: number;
  remotePort: number;
  scopeId: number;
  appIdSize: number;
  appIdData: number;
  userId: number;
  addressFamily: number | undefined;
  packageSid: number | undefined;
  type: number;
  union: number;
}

function layoutOf(event: TypeObject, header: TypeObject): Layout {
  const h = off(event, 'header');
  const blob = types.FWP_BYTE_BLOB;
  const hasV2 = header.members?.['packageSid'] !== undefined;
  return {
    size: event.size,
    timeStamp: h + off(header, 'timeStamp'),
    flags: h + off(header, 'flags'),
    ipVersion: h + off(header, 'ipVersion'),
    ipProtocol: h + off(header, 'ipProtocol'),
    localAddr: h + off(header, 'localAddr'),
    remoteAddr: h + off(header, 'remoteAddr'),
    localPort: h + off(header, 'localPort'),
    remotePort: h + off(header, 'remotePort'),
    scopeId: h + off(header, 'scopeId'),
    appIdSize: h + off(header, 'appId') + off(blob, 'size'),
    appIdData: h + off(header, 'appId') + off(blob, 'data'),
    userId: h + off(header, 'userId'),
    addressFamily: hasV2 ? h + off(header, 'addressFamily') : undefined,
    packageSid: hasV2 ? h + off(header, 'packageSid') : undefined,
    type: off(event, 'type'),
    union: off(event, 'u'),
  };
}

export const LAYOUTS: Record<NetEventVersion, Layout> = {
  1: layoutOf(types.FWPM_NET_EVENT1, types.FWPM_NET_EVENT_HEADER1),
  2: layoutOf(types.FWPM_NET_EVENT2, types.FWPM_NET_EVENT_HEADER2),
  3: layoutOf(types.FWPM_NET_EVENT3, types.FWPM_NET_EVENT_HEADER3),
  4: layoutOf(types.FWPM_NET_EVENT4, types.FWPM_NET_EVENT_HEADER3),
  5: layoutOf(types.FWPM_NET_EVENT5, types.FWPM_NET_EVENT_HEADER3),
};

/** The largest event struct of any version. */
export const MAX_EVENT_SIZE = Math.max(...Object.values(LAYOUTS).map((l) => l.size));

// Classify drop/allow share their first fields; capability drop/allow theirs.
export const CLASSIFY = {
  filterId: off(types.FWPM_NET_EVENT_CLASSIFY_DROP1, 'filterId'),
  layerId: off(types.FWPM_NET_EVENT_CLASSIFY_DROP1, 'layerId'),
  msFwpDirection: off(types.FWPM_NET_EVENT_CLASSIFY_DROP1, 'msFwpDirection'),
  isLoopback: off(types.FWPM_NET_EVENT_CLASSIFY_DROP1, 'isLoopback'),
};
export const CLASSIFY_ALLOW = {
  filterId: off(types.FWPM_NET_EVENT_CLASSIFY_ALLOW0, 'filterId'),
  layerId: off(types.FWPM_NET_EVENT_CLASSIFY_ALLOW0, 'layerId'),
  msFwpDirection: off(types.FWPM_NET_EVENT_CLASSIFY_ALLOW0, 'msFwpDirection'),
  isLoopback: off(types.FWPM_NET_EVENT_CLASSIFY_ALLOW0, 'isLoopback'),
};
export const CAPABILITY = {
  filterId: off(types.FWPM_NET_EVENT_CAPABILITY_DROP0, 'filterId'),
  isLoopback: off(types.FWPM_NET_EVENT_CAPABILITY_DROP0, 'isLoopback'),
};

// Up to the last field read (isLoopback), no further: a capability struct is smaller than a classify one.
export const CLASSIFY_SIZE = Math.max(CLASSIFY.isLoopback, CLASSIFY_ALLOW.isLoopback) + 4;
export const CAPABILITY_SIZE = CAPABILITY.isLoopback + 4;
export const MAX_DETAIL_SIZE = Math.max(CLASSIFY_SIZE, CAPABILITY_SIZE);

/**
 * How many bytes of the detail struct behind the union pointer the decoder reads for an event of this version and
 * type; 0 when it reads none. native/batch copies exactly these.
 */
export function detailBytesRead(version: NetEventVersion, rawType: number): number {
  if (rawType === T.CLASSIFY_DROP) return CLASSIFY_SIZE;
  if (version < 2) return 0;
  if (rawType === T.CLASSIFY_ALLOW) return CLASSIFY_SIZE;
  if (rawType === T.CAPABILITY_DROP || rawType === T.CAPABILITY_ALLOW) return CAPABILITY_SIZE;
  return 0;
}
