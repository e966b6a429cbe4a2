// FWPM_NET_EVENT1..5 -> NetEvent: the one decoder, for WFP's own events (the per-event callback) and the event
// ring's copies alike. The struct's fields are read from bytes of ours at offsets taken from the koffi declarations
// (event-layout.ts): a koffi.decode per field costs a native call each, and a whole-struct koffi.decode builds union
// objects and costs ten times more. A header field is used only when its flag says it is valid; what a pointer leads
// to is read only then, through the EventMemory the bytes came with (event-bytes.ts).
import type { AleLayer, Direction, NetEvent, NetEventType } from '../api.js';
import { directionOfAleLayer } from '../layers.js';
import {
  FWP_AF,
  FWP_DIRECTION,
  FWP_IP_VERSION,
  FWPM_NET_EVENT_FLAG as F,
  FWPM_NET_EVENT_TYPE as T,
} from '../wfp/constants.js';
import { ipv4FromHostOrder, ipv6FromBytes } from './address.js';
import { appIdBytes, appPathOf, readAppIdAt, type AppPathResolver } from './app-id.js';
import { EventBytes, type EventMemory } from './event-bytes.js';
import {
  CAPABILITY,
  CLASSIFY,
  CLASSIFY_ALLOW,
  detailBytesRead,
  LAYOUTS,
  MAX_DETAIL_SIZE,
  MAX_EVENT_SIZE,
  type NetEventVersion,
} from './event-layout.js';
import { Interner } from './intern.js';
import { copyInto } from './memory.js';
import { SID_HEAD_BYTES, SID_MAX_BYTES, sidBytes, sidTextAt } from './sid.js';

export type { NetEventVersion } from './event-layout.js';
export type { AppPathResolver } from './app-id.js';

/** What a failed decode says; the subscription counts these and skips the event. */
export class MalformedEvent extends Error {
  override readonly name = 'MalformedEvent';
}

/** The ALE layer of a runtime layer id (layers.ts); undefined when it cannot be told. */
export type LayerResolver = (layerId: number) => AleLayer | 'other' | undefined;

// FILETIME ticks (100 ns since 1601) -> ms since 1970, exactly, in doubles: ticks = hi * 2^32 + lo and
// 2^32 = 429,496 * 10,000 + 7,296, so floor(ticks / 10,000) = hi * 429,496 + floor((hi * 7,296 + lo) / 10,000), every
// term below 2^53.
const FILETIME_UNIX_EPOCH_MS = 11644473600000;

function filetimeToUnixMs(lo: number, hi: number): number {
  return hi * 429_496 + Math.floor((hi * 7_296 + lo) / 10_000) - FILETIME_UNIX_EPOCH_MS;
}

function u64Number(v: DataView, o: number): number {
  // Rounds like Number(bigint): one rounding of the exact value. Filter ids are small; this is exact below 2^53.
  return v.getUint32(o + 4, true) * 4294967296 + v.getUint32(o, true);
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

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

// WFP's own event, inside its callback (the memory is WFP's only during the call): the struct is copied to the start
// of one buffer with one native call, each pointee it leads to with one more into a region of its own after it, so
// the struct stays whole while they are read. The application id goes page by page (app-id.ts). Decoding is
// synchronous: the buffer, allocated once, serves every event.
const align8 = (n: number) => (n + 7) & ~7;
const DETAIL_AT = align8(MAX_EVENT_SIZE);
const SID_AT = DETAIL_AT + align8(MAX_DETAIL_SIZE);
const live = new EventBytes(Buffer.alloc(SID_AT + align8(SID_MAX_BYTES)));
const liveDetail = live.buffer.subarray(DETAIL_AT);
const liveSid = live.buffer.subarray(SID_AT);

const wfpMemory: EventMemory = {
  detail(b, pointerAt, length) {
    const p = b.view.getBigUint64(pointerAt, true);
    if (p === 0n) return -1;
    copyInto(liveDetail, p, length);
    return DETAIL_AT;
  },
  sid(b, pointerAt, length) {
    const p = b.view.getBigUint64(pointerAt, true);
    if (p === 0n) return -1;
    copyInto(liveSid, p, length);
    return SID_AT;
  },
  appId(b, pointerAt, bytes) {
    return readAppIdAt(b.view.getBigUint64(pointerAt, true), bytes);
  },
};

function isNull(p: unknown): boolean {
  return p === null || p === undefined || p === 0n;
}

/**
 * Decodes one event WFP hands its callback. Throws MalformedEvent when the event promises data it does not carry
 * (a NULL pointer behind a set flag, a SID that is not one, an application id that cannot be a path).
 */
export function decodeNetEvent(
  ptr: unknown,
  version: NetEventVersion,
  resolveAppPath?: AppPathResolver,
  resolveLayer?: LayerResolver,
): NetEvent {
  if (isNull(ptr)) throw new MalformedEvent('NULL event pointer');
  copyInto(live.buffer, ptr, LAYOUTS[version].size);
  return decodeEventAt(live, 0, version, wfpMemory, resolveAppPath, resolveLayer);
}

/**
 * Decodes the FWPM_NET_EVENT<version> whose bytes are at b[at..] (8-byte aligned), following its pointers through
 * `memory`. Throws MalformedEvent as decodeNetEvent does.
 */
export function decodeEventAt(
  b: EventBytes,
  at: number,
  version: NetEventVersion,
  memory: EventMemory,
  resolveAppPath?: AppPathResolver,
  resolveLayer?: LayerResolver,
): NetEvent {
  const L = LAYOUTS[version];
  const v = b.view;
  const flags = v.getUint32(at + L.flags, true);
  const rawType = v.getUint32(at + L.type, true);
  // Every key from the start, in the order they are filled (JSON output keeps it), undefined until known: one
  // object shape for every event, allocated whole, instead of a new shape and a grown property store per field.
  const e: Mutable<NetEvent> = {
    time: filetimeToUnixMs(v.getUint32(at + L.timeStamp, true), v.getUint32(at + L.timeStamp + 4, true)),
    type: typeName(rawType),
    rawType,
    flags,
    ipVersion: undefined,
    protocol: undefined,
    localAddress: undefined,
    remoteAddress: undefined,
    localPort: undefined,
    remotePort: undefined,
    appId: undefined,
    appPath: undefined,
    userSid: undefined,
    packageSid: undefined,
    filterId: undefined,
    layerId: undefined,
    layer: undefined,
    direction: undefined,
    isLoopback: undefined,
  };

  let ipVersion: 4 | 6 | undefined;
  if (flags & F.IP_VERSION_SET) {
    const ipv = v.getUint32(at + L.ipVersion, true);
    if (ipv === FWP_IP_VERSION.V4) ipVersion = 4;
    else if (ipv === FWP_IP_VERSION.V6) ipVersion = 6;
  } else if (L.addressFamily !== undefined && flags & (F.LOCAL_ADDR_SET | F.REMOTE_ADDR_SET)) {
    const af = v.getUint32(at + L.addressFamily, true);
    if (af === FWP_AF.INET) ipVersion = 4;
    else if (af === FWP_AF.INET6) ipVersion = 6;
  }
  if (ipVersion !== undefined && flags & F.IP_VERSION_SET) e.ipVersion = ipVersion;
  if (flags & F.IP_PROTOCOL_SET) e.protocol = b.u8[at + L.ipProtocol]!;

  if (ipVersion !== undefined) {
    const scopeId = flags & F.SCOPE_ID_SET ? v.getUint32(at + L.scopeId, true) : undefined;
    if (flags & F.LOCAL_ADDR_SET) e.localAddress = addressIn(b, at + L.localAddr, ipVersion, scopeId);
    if (flags & F.REMOTE_ADDR_SET) e.remoteAddress = addressIn(b, at + L.remoteAddr, ipVersion, scopeId);
  }
  if (flags & F.LOCAL_PORT_SET) e.localPort = v.getUint16(at + L.localPort, true);
  if (flags & F.REMOTE_PORT_SET) e.remotePort = v.getUint16(at + L.remotePort, true);

  if (flags & F.APP_ID_SET) {
    const size = v.getUint32(at + L.appIdSize, true);
    let appId = '';
    if (size !== 0) {
      const bytes = appIdBytes(size);
      if (bytes < 0 || b.isNull(at + L.appIdData)) throw new MalformedEvent('application id blob is not a path');
      if (bytes > 0) appId = memory.appId(b, at + L.appIdData, bytes);
    }
    if (appId !== '') {
      e.appId = appId;
      const dos = appPathOf(appId, resolveAppPath, e.time);
      if (dos !== undefined) e.appPath = dos;
    }
  }
  if (flags & F.USER_ID_SET) e.userSid = readSid(b, at + L.userId, memory, 'user');
  if (flags & F.PACKAGE_ID_SET && L.packageSid !== undefined) {
    const sid = readSid(b, at + L.packageSid, memory, 'package');
    // Windows reports the NULL SID for processes outside an app container.
    if (sid !== 'S-1-0-0') e.packageSid = sid;
  }

  decodeDetails(b, at + L.union, version, rawType, e, memory, resolveLayer);
  return e;
}

// The same address (with its scope) comes back as the same string object (intern.ts): 16,384 distinct ones.
const addresses = new Interner(16_384, 5);
const addressWords = new Uint32Array(5);

function addressIn(b: EventBytes, o: number, ipVersion: 4 | 6, scopeId: number | undefined): string {
  const w = addressWords;
  const v = b.view;
  if (ipVersion === 4) {
    w[0] = v.getUint32(o, true);
    return addresses.find(w, 1) ?? addresses.set(w, 1, ipv4FromHostOrder(w[0]!));
  }
  w[0] = v.getUint32(o, true);
  w[1] = v.getUint32(o + 4, true);
  w[2] = v.getUint32(o + 8, true);
  w[3] = v.getUint32(o + 12, true);
  w[4] = scopeId ?? 0;
  return addresses.find(w, 5) ?? addresses.set(w, 5, ipv6FromBytes(b.u8.subarray(o, o + 16), scopeId));
}

function readSid(b: EventBytes, pointerAt: number, memory: EventMemory, what: string): string {
  let at = memory.sid(b, pointerAt, SID_HEAD_BYTES);
  if (at < 0) throw new MalformedEvent(`${what} SID flag set with a NULL SID`);
  const length = sidBytes(b, at);
  if (length < 0) throw new MalformedEvent(`${what} SID is not a SID`);
  // Now the length the head states, and not a byte more: the SID may end right after its sub-authorities.
  if (length > SID_HEAD_BYTES) at = memory.sid(b, pointerAt, length);
  return sidTextAt(b, at);
}

function decodeDetails(
  b: EventBytes,
  pointerAt: number,
  version: NetEventVersion,
  rawType: number,
  e: Mutable<NetEvent>,
  memory: EventMemory,
  resolveLayer: LayerResolver | undefined,
): void {
  const size = detailBytesRead(version, rawType);
  if (size === 0) return;
  const d = memory.detail(b, pointerAt, size);
  if (d < 0) throw new MalformedEvent(`${e.type} event without its details (NULL pointer)`);

  const v = b.view;
  if (rawType === T.CLASSIFY_DROP || rawType === T.CLASSIFY_ALLOW) {
    const o = rawType === T.CLASSIFY_DROP ? CLASSIFY : CLASSIFY_ALLOW;
    e.filterId = u64Number(v, d + o.filterId);
    e.layerId = v.getUint16(d + o.layerId, true);
    // The layer says which way when it decides one: msFwpDirection has reported outbound for drops at the
    // receive/accept layer (simplewall #474, #581). Layer id 0 (no layer) leaves msFwpDirection the only witness.
    const layer = e.layerId !== 0 ? resolveLayer?.(e.layerId) : undefined;
    if (layer !== undefined) e.layer = layer;
    const direction =
      (layer !== undefined && layer !== 'other' ? directionOfAleLayer(layer) : undefined) ??
      directionFromMsFwp(v.getUint32(d + o.msFwpDirection, true));
    if (direction) e.direction = direction;
    e.isLoopback = v.getUint32(d + o.isLoopback, true) !== 0;
  } else {
    e.filterId = u64Number(v, d + CAPABILITY.filterId);
    e.isLoopback = v.getUint32(d + CAPABILITY.isLoopback, true) !== 0;
  }
}
