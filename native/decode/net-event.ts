// FWPM_NET_EVENT1..5 -> NetEvent. Runs inside the WFP callback: the memory is WFP's only during the call, so
// every field is copied out here. The struct's bytes are copied with one native call and its fields read from
// the copy at offsets taken from the koffi declarations: a koffi.decode per field costs a native call each, and a
// whole-struct koffi.decode builds union objects and costs ten times more. A header field is used only when its
// flag says it is valid; what a pointer leads to is read only then.
import type { TypeObject } from 'koffi';
import type { AleLayer, Direction, NetEvent, NetEventType } from '../api.js';
import { directionOfAleLayer } from '../layers.js';
import {
  FWP_AF,
  FWP_DIRECTION,
  FWP_IP_VERSION,
  FWPM_NET_EVENT_FLAG as F,
  FWPM_NET_EVENT_TYPE as T,
} from '../wfp/constants.js';
import * as types from '../wfp/types.js';
import { ipv4FromHostOrder, ipv6FromBytes } from './address.js';
import { appPathOf, readAppId, type AppPathResolver } from './app-id.js';
import { Interner } from './intern.js';
import { copyInto } from './memory.js';
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

// FILETIME ticks (100 ns since 1601) -> ms since 1970, exactly, in doubles: ticks = hi * 2^32 + lo and
// 2^32 = 429,496 * 10,000 + 7,296, so floor(ticks / 10,000) = hi * 429,496 + floor((hi * 7,296 + lo) / 10,000), every
// term below 2^53.
const FILETIME_UNIX_EPOCH_MS = 11644473600000;

function filetimeToUnixMs(lo: number, hi: number): number {
  return hi * 429_496 + Math.floor((hi * 7_296 + lo) / 10_000) - FILETIME_UNIX_EPOCH_MS;
}

// The event struct and a detail struct are each copied out with one call (memory.ts) into buffers allocated once
// per process; decoding is synchronous, so one of each serves every event.
const MAX_EVENT_SIZE = Math.max(...Object.values(LAYOUTS).map((l) => l.size));
// Up to the last field read (isLoopback), no further: a capability struct is smaller than a classify one.
const CLASSIFY_SIZE = Math.max(CLASSIFY.isLoopback, CLASSIFY_ALLOW.isLoopback) + 4;
const CAPABILITY_SIZE = CAPABILITY.isLoopback + 4;
const eventBytes = Buffer.alloc(MAX_EVENT_SIZE);
const detailBytes = Buffer.alloc(Math.max(CLASSIFY_SIZE, CAPABILITY_SIZE));

function u64Number(b: Buffer, o: number): number {
  // Rounds like Number(bigint): one rounding of the exact value. Filter ids are small; this is exact below 2^53.
  return b.readUInt32LE(o + 4) * 4294967296 + b.readUInt32LE(o);
}

/** The pointer at offset o, or null for NULL. */
function ptrIn(b: Buffer, o: number): bigint | null {
  const p = b.readBigUInt64LE(o);
  return p === 0n ? null : p;
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

export type { AppPathResolver } from './app-id.js';

/** The ALE layer of a runtime layer id (layers.ts); undefined when it cannot be told. */
export type LayerResolver = (layerId: number) => AleLayer | 'other' | undefined;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Decodes one event. Throws MalformedEvent when the event promises data it does not carry (a NULL pointer behind
 * a set flag, a SID that is not one, an application id that cannot be a path).
 */
export function decodeNetEvent(
  ptr: unknown,
  version: NetEventVersion,
  resolveAppPath?: AppPathResolver,
  resolveLayer?: LayerResolver,
  /**
   * The event is the event ring's copy (native/batch): its application id blob lies whole in memory of ours, its
   * size the bytes the ring's C side could copy, so it is read in one piece with no page-by-page probing.
   */
  copied = false,
): NetEvent {
  if (isNull(ptr)) throw new MalformedEvent('NULL event pointer');
  const L = LAYOUTS[version];
  const b = eventBytes;
  copyInto(b, ptr, L.size);
  const flags = b.readUInt32LE(L.flags);
  const rawType = b.readUInt32LE(L.type);
  const e: Mutable<NetEvent> = {
    time: filetimeToUnixMs(b.readUInt32LE(L.timeStamp), b.readUInt32LE(L.timeStamp + 4)),
    type: typeName(rawType),
    rawType,
    flags,
  };

  let ipVersion: 4 | 6 | undefined;
  if (flags & F.IP_VERSION_SET) {
    const v = b.readUInt32LE(L.ipVersion);
    if (v === FWP_IP_VERSION.V4) ipVersion = 4;
    else if (v === FWP_IP_VERSION.V6) ipVersion = 6;
  } else if (L.addressFamily !== undefined && flags & (F.LOCAL_ADDR_SET | F.REMOTE_ADDR_SET)) {
    const af = b.readUInt32LE(L.addressFamily);
    if (af === FWP_AF.INET) ipVersion = 4;
    else if (af === FWP_AF.INET6) ipVersion = 6;
  }
  if (ipVersion !== undefined && flags & F.IP_VERSION_SET) e.ipVersion = ipVersion;
  if (flags & F.IP_PROTOCOL_SET) e.protocol = b[L.ipProtocol]!;

  if (ipVersion !== undefined) {
    const scopeId = flags & F.SCOPE_ID_SET ? b.readUInt32LE(L.scopeId) : undefined;
    if (flags & F.LOCAL_ADDR_SET) e.localAddress = addressIn(b, L.localAddr, ipVersion, scopeId);
    if (flags & F.REMOTE_ADDR_SET) e.remoteAddress = addressIn(b, L.remoteAddr, ipVersion, scopeId);
  }
  if (flags & F.LOCAL_PORT_SET) e.localPort = b.readUInt16LE(L.localPort);
  if (flags & F.REMOTE_PORT_SET) e.remotePort = b.readUInt16LE(L.remotePort);

  // Every pointer is taken from the copy before anything else can reuse the buffer.
  const appIdData = flags & F.APP_ID_SET ? ptrIn(b, L.appIdData) : null;
  const appIdSize = b.readUInt32LE(L.appIdSize);
  const userId = flags & F.USER_ID_SET ? ptrIn(b, L.userId) : null;
  const packageSid = flags & F.PACKAGE_ID_SET && L.packageSid !== undefined ? ptrIn(b, L.packageSid) : null;
  const detail = ptrIn(b, L.union);

  if (flags & F.APP_ID_SET) {
    const appId = readAppId(appIdData, appIdSize, copied);
    if (appId === undefined) throw new MalformedEvent('application id blob is not a path');
    if (appId !== '') {
      e.appId = appId;
      const dos = appPathOf(appId, resolveAppPath, e.time);
      if (dos !== undefined) e.appPath = dos;
    }
  }
  if (flags & F.USER_ID_SET) e.userSid = readSid(userId, 'user');
  if (flags & F.PACKAGE_ID_SET && L.packageSid !== undefined) {
    const sid = readSid(packageSid, 'package');
    // Windows reports the NULL SID for processes outside an app container.
    if (sid !== 'S-1-0-0') e.packageSid = sid;
  }

  decodeDetails(detail, version, rawType, e, resolveLayer);
  return e;
}

// The same address (with its scope) comes back as the same string object (intern.ts): 16,384 distinct ones.
const addresses = new Interner(16_384, 5);
const addressWords = new Uint32Array(5);

function addressIn(b: Buffer, o: number, ipVersion: 4 | 6, scopeId: number | undefined): string {
  const w = addressWords;
  if (ipVersion === 4) {
    w[0] = b.readUInt32LE(o);
    return addresses.find(w, 1) ?? addresses.set(w, 1, ipv4FromHostOrder(w[0]!));
  }
  w[0] = b.readUInt32LE(o);
  w[1] = b.readUInt32LE(o + 4);
  w[2] = b.readUInt32LE(o + 8);
  w[3] = b.readUInt32LE(o + 12);
  w[4] = scopeId ?? 0;
  return addresses.find(w, 5) ?? addresses.set(w, 5, ipv6FromBytes(b.subarray(o, o + 16), scopeId));
}

function readSid(p: bigint | null, what: string): string {
  if (p === null) throw new MalformedEvent(`${what} SID flag set with a NULL SID`);
  const s = sidToString(p);
  if (s === undefined) throw new MalformedEvent(`${what} SID is not a SID`);
  return s;
}

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

function decodeDetails(
  detail: bigint | null,
  version: NetEventVersion,
  rawType: number,
  e: Mutable<NetEvent>,
  resolveLayer: LayerResolver | undefined,
): void {
  if (detailBytesRead(version, rawType) === 0) return;
  if (detail === null) throw new MalformedEvent(`${e.type} event without its details (NULL pointer)`);

  const d = detailBytes;
  if (rawType === T.CLASSIFY_DROP || rawType === T.CLASSIFY_ALLOW) {
    const o = rawType === T.CLASSIFY_DROP ? CLASSIFY : CLASSIFY_ALLOW;
    copyInto(d, detail, CLASSIFY_SIZE);
    e.filterId = u64Number(d, o.filterId);
    e.layerId = d.readUInt16LE(o.layerId);
    // The layer says which way when it decides one: msFwpDirection has reported outbound for drops at the
    // receive/accept layer (simplewall #474, #581). Layer id 0 (no layer) leaves msFwpDirection the only witness.
    const layer = e.layerId !== 0 ? resolveLayer?.(e.layerId) : undefined;
    if (layer !== undefined) e.layer = layer;
    const direction =
      (layer !== undefined && layer !== 'other' ? directionOfAleLayer(layer) : undefined) ??
      directionFromMsFwp(d.readUInt32LE(o.msFwpDirection));
    if (direction) e.direction = direction;
    e.isLoopback = d.readUInt32LE(o.isLoopback) !== 0;
  } else {
    copyInto(d, detail, CAPABILITY_SIZE);
    e.filterId = u64Number(d, CAPABILITY.filterId);
    e.isLoopback = d.readUInt32LE(CAPABILITY.isLoopback) !== 0;
  }
}
