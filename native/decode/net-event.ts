// FWPM_NET_EVENT1..5 -> NetEvent. Runs inside the WFP callback: the memory is WFP's only during the call, so
// every field is copied out here. Fields are read one by one at offsets taken from the koffi declarations (a
// whole-struct koffi.decode builds union objects and costs ten times more). A header field is read only when
// its flag says it is valid.
import koffi, { type TypeObject } from 'koffi';
import type { Direction, NetEvent, NetEventType } from '../api.js';
import {
  FWP_AF,
  FWP_DIRECTION,
  FWP_IP_VERSION,
  FWPM_NET_EVENT_FLAG as F,
  FWPM_NET_EVENT_TYPE as T,
} from '../wfp/constants.js';
import * as types from '../wfp/types.js';
import { ipv4FromHostOrder, ipv6FromBytes } from './address.js';
import { readAppId } from './app-id.js';
import { sidToString } from './sid.js';

export type NetEventVersion = 1 | 2 | 3 | 4 | 5;

/** What a failed decode says; the subscription counts these and skips the event. */
export class MalformedEvent extends Error {
  override readonly name = 'MalformedEvent';
}

const off = (t: TypeObject, field: string): number => {
  const m = t.members?.[field];
  if (!m) throw new Error(`${t.name} has no member ${field}`);
  return m.offset;
};

interface Layout {
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
  /** Struct behind the union pointer for drops: DROP1 (EVENT1) or DROP2. */
  drop: TypeObject;
}

function layoutOf(event: TypeObject, header: TypeObject, drop: TypeObject): Layout {
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
    drop,
  };
}

export const LAYOUTS: Record<NetEventVersion, Layout> = {
  1: layoutOf(types.FWPM_NET_EVENT1, types.FWPM_NET_EVENT_HEADER1, types.FWPM_NET_EVENT_CLASSIFY_DROP1),
  2: layoutOf(types.FWPM_NET_EVENT2, types.FWPM_NET_EVENT_HEADER2, types.FWPM_NET_EVENT_CLASSIFY_DROP2),
  3: layoutOf(types.FWPM_NET_EVENT3, types.FWPM_NET_EVENT_HEADER3, types.FWPM_NET_EVENT_CLASSIFY_DROP2),
  4: layoutOf(types.FWPM_NET_EVENT4, types.FWPM_NET_EVENT_HEADER3, types.FWPM_NET_EVENT_CLASSIFY_DROP2),
  5: layoutOf(types.FWPM_NET_EVENT5, types.FWPM_NET_EVENT_HEADER3, types.FWPM_NET_EVENT_CLASSIFY_DROP2),
};

// Classify drop/allow share their first fields; capability drop/allow theirs.
const CLASSIFY = {
  filterId: off(types.FWPM_NET_EVENT_CLASSIFY_DROP1, 'filterId'),
  layerId: off(types.FWPM_NET_EVENT_CLASSIFY_DROP1, 'layerId'),
  msFwpDirection: off(types.FWPM_NET_EVENT_CLASSIFY_DROP1, 'msFwpDirection'),
  isLoopback: off(types.FWPM_NET_EVENT_CLASSIFY_DROP1, 'isLoopback'),
};
const CLASSIFY_ALLOW = {
  filterId: off(types.FWPM_NET_EVENT_CLASSIFY_ALLOW0, 'filterId'),
  layerId: off(types.FWPM_NET_EVENT_CLASSIFY_ALLOW0, 'layerId'),
  msFwpDirection: off(types.FWPM_NET_EVENT_CLASSIFY_ALLOW0, 'msFwpDirection'),
  isLoopback: off(types.FWPM_NET_EVENT_CLASSIFY_ALLOW0, 'isLoopback'),
};
const CAPABILITY = {
  filterId: off(types.FWPM_NET_EVENT_CAPABILITY_DROP0, 'filterId'),
  isLoopback: off(types.FWPM_NET_EVENT_CAPABILITY_DROP0, 'isLoopback'),
};

const FILETIME_UNIX_EPOCH_MS = 11644473600000n;

function u32(p: unknown, o: number): number {
  return koffi.decode(p, o, 'uint32_t') as number;
}

function ptrAt(p: unknown, o: number): unknown {
  return koffi.decode(p, o, 'void *');
}

function isNull(p: unknown): boolean {
  return p === null || p === undefined || p === 0n;
}

export function directionFromMsFwp(value: number): Direction | undefined {
  switch (value) {
    case FWP_DIRECTION.MS_OUTBOUND:
    case FWP_DIRECTION.OUTBOUND:
      return 'out';
    case FWP_DIRECTION.MS_INBOUND:
    case FWP_DIRECTION.INBOUND:
      return 'in';
    case FWP_DIRECTION.MS_FORWARD:
      return 'forward';
    default:
      return undefined;
  }
}

function typeName(raw: number): NetEventType {
  switch (raw) {
    case T.CLASSIFY_DROP:
      return 'drop';
    case T.CLASSIFY_ALLOW:
      return 'allow';
    case T.CAPABILITY_DROP:
      return 'capabilityDrop';
    case T.CAPABILITY_ALLOW:
      return 'capabilityAllow';
    default:
      return 'other';
  }
}

/** Turns an NT device path into a DOS path; supplied by the path mapper. */
export type AppPathResolver = (ntPath: string) => string | undefined;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Decodes one event. Throws MalformedEvent when the event promises data it does not carry (a NULL pointer behind
 * a set flag, a SID that is not one, an application id that cannot be a path).
 */
export function decodeNetEvent(ptr: unknown, version: NetEventVersion, resolveAppPath?: AppPathResolver): NetEvent {
  if (isNull(ptr)) throw new MalformedEvent('NULL event pointer');
  const L = LAYOUTS[version];
  const flags = u32(ptr, L.flags);
  const rawType = u32(ptr, L.type);
  const ticks = (BigInt(u32(ptr, L.timeStamp + 4)) << 32n) | BigInt(u32(ptr, L.timeStamp));
  const e: Mutable<NetEvent> = {
    time: Number(ticks / 10000n - FILETIME_UNIX_EPOCH_MS),
    type: typeName(rawType),
    rawType,
    flags,
  };

  let ipVersion: 4 | 6 | undefined;
  if (flags & F.IP_VERSION_SET) {
    const v = u32(ptr, L.ipVersion);
    if (v === FWP_IP_VERSION.V4) ipVersion = 4;
    else if (v === FWP_IP_VERSION.V6) ipVersion = 6;
  } else if (L.addressFamily !== undefined && flags & (F.LOCAL_ADDR_SET | F.REMOTE_ADDR_SET)) {
    const af = u32(ptr, L.addressFamily);
    if (af === FWP_AF.INET) ipVersion = 4;
    else if (af === FWP_AF.INET6) ipVersion = 6;
  }
  if (ipVersion !== undefined && flags & F.IP_VERSION_SET) e.ipVersion = ipVersion;
  if (flags & F.IP_PROTOCOL_SET) e.protocol = koffi.decode(ptr, L.ipProtocol, 'uint8_t') as number;

  const scopeId = flags & F.SCOPE_ID_SET ? u32(ptr, L.scopeId) : undefined;
  if (ipVersion !== undefined) {
    const addr = (o: number) =>
      ipVersion === 4
        ? ipv4FromHostOrder(u32(ptr, o))
        : ipv6FromBytes(koffi.decode(ptr, o, 'uint8_t', 16) as Uint8Array, scopeId);
    if (flags & F.LOCAL_ADDR_SET) e.localAddress = addr(L.localAddr);
    if (flags & F.REMOTE_ADDR_SET) e.remoteAddress = addr(L.remoteAddr);
  }
  if (flags & F.LOCAL_PORT_SET) e.localPort = koffi.decode(ptr, L.localPort, 'uint16_t') as number;
  if (flags & F.REMOTE_PORT_SET) e.remotePort = koffi.decode(ptr, L.remotePort, 'uint16_t') as number;

  if (flags & F.APP_ID_SET) {
    const appId = readAppId(ptrAt(ptr, L.appIdData), u32(ptr, L.appIdSize));
    if (appId === undefined) throw new MalformedEvent('application id blob is not a path');
    if (appId !== '') {
      e.appId = appId;
      const dos = resolveAppPath?.(appId);
      if (dos !== undefined) e.appPath = dos;
    }
  }
  if (flags & F.USER_ID_SET) e.userSid = readSid(ptrAt(ptr, L.userId), 'user');
  if (flags & F.PACKAGE_ID_SET && L.packageSid !== undefined) {
    const sid = readSid(ptrAt(ptr, L.packageSid), 'package');
    // Windows reports the NULL SID for processes outside an app container.
    if (sid !== 'S-1-0-0') e.packageSid = sid;
  }

  decodeDetails(ptr, L, version, rawType, e);
  return e;
}

function readSid(p: unknown, what: string): string {
  if (isNull(p)) throw new MalformedEvent(`${what} SID flag set with a NULL SID`);
  const s = sidToString(p);
  if (s === undefined) throw new MalformedEvent(`${what} SID is not a SID`);
  return s;
}

function decodeDetails(ptr: unknown, L: Layout, version: NetEventVersion, rawType: number, e: Mutable<NetEvent>): void {
  const known =
    rawType === T.CLASSIFY_DROP ||
    (version >= 2 && (rawType === T.CLASSIFY_ALLOW || rawType === T.CAPABILITY_DROP || rawType === T.CAPABILITY_ALLOW));
  if (!known) return;
  const detail = ptrAt(ptr, L.union);
  if (isNull(detail)) throw new MalformedEvent(`${e.type} event without its details (NULL pointer)`);

  if (rawType === T.CLASSIFY_DROP || rawType === T.CLASSIFY_ALLOW) {
    const o = rawType === T.CLASSIFY_DROP ? CLASSIFY : CLASSIFY_ALLOW;
    e.filterId = Number(koffi.decode(detail, o.filterId, 'uint64_t'));
    e.layerId = koffi.decode(detail, o.layerId, 'uint16_t') as number;
    const direction = directionFromMsFwp(u32(detail, o.msFwpDirection));
    if (direction) e.direction = direction;
    e.isLoopback = u32(detail, o.isLoopback) !== 0;
  } else {
    e.filterId = Number(koffi.decode(detail, CAPABILITY.filterId, 'uint64_t'));
    e.isLoopback = u32(detail, CAPABILITY.isLoopback) !== 0;
  }
}
