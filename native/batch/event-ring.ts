// The event ring (include/event_ring.h) from JavaScript: its callback and context go to FwpmNetEventSubscribe<n>
// in place of a koffi callback, so WFP's delivery thread never waits for the JS thread; take() copies waiting events
// out of the ring in one native call per batch into a buffer of ours and hands them to the one decoder
// (decode/net-event.ts), which reads every event and what its pointers lead to from that buffer: no native call per
// event. The ring's layout is the decoder's own: the same offsets (LAYOUTS, from the SDK declarations checked
// against native/layout/golden.json), the same detail sizes.
import koffi, { type LibraryHandle } from 'koffi';
import type { NetEvent } from '../api.js';
import { appIdIn, MAX_APP_ID_BYTES, type AppPathResolver } from '../decode/app-id.js';
import { EventBytes, type EventMemory } from '../decode/event-bytes.js';
import { detailBytesRead, LAYOUTS, type NetEventVersion } from '../decode/event-layout.js';
import { decodeEventAt, MalformedEvent, type LayerResolver } from '../decode/net-event.js';
import { FWPM_NET_EVENT_FLAG as F } from '../wfp/constants.js';

const EVENT_TYPES = 16;
const NO_OFFSET = 0xffffffff;
/** Default ring: about 25,000 typical events (300-350 bytes each), a few seconds of a flood. */
export const DEFAULT_RING_BYTES = 8 * 1024 * 1024;
/** How long WFP's thread waits for room in a full ring before it drops (see event_ring.h). */
export const FULL_WAIT_MS = 100;
/** Events decoded per take; the caller decides how many takes per turn of the event loop. */
const TAKE_MAX = 1_024;
/**
 * The buffer events are copied out into: a take's worth of typical events, and always the largest one (the event
 * struct, its details, an application id of MAX_APP_ID_BYTES and two SIDs: under 70 KiB). A batch that does not fit
 * is taken in more than one copy.
 */
const OUT_BYTES = 512 * 1024;
/** A record copied out: uint32 its length, uint32 its offset in the ring, then the event copy (event_ring.h). */
const RECORD_HEADER = 8;

const PC_RING_LAYOUT = koffi.struct('pc_ring_layout', {
  eventSize: 'uint32_t',
  flagsOffset: 'uint32_t',
  typeOffset: 'uint32_t',
  unionOffset: 'uint32_t',
  appIdSizeOffset: 'uint32_t',
  appIdDataOffset: 'uint32_t',
  userIdOffset: 'uint32_t',
  packageSidOffset: 'uint32_t',
  appIdFlag: 'uint32_t',
  userIdFlag: 'uint32_t',
  packageIdFlag: 'uint32_t',
  maxAppIdBytes: 'uint32_t',
  detailSize: koffi.array('uint32_t', EVENT_TYPES),
});

/** What the C side is told about FWPM_NET_EVENT<version>: all of it from the decoder. */
export function ringLayout(version: NetEventVersion): Record<string, number | number[]> {
  const L = LAYOUTS[version];
  return {
    eventSize: L.size,
    flagsOffset: L.flags,
    typeOffset: L.type,
    unionOffset: L.union,
    appIdSizeOffset: L.appIdSize,
    appIdDataOffset: L.appIdData,
    userIdOffset: L.userId,
    packageSidOffset: L.packageSid ?? NO_OFFSET,
    appIdFlag: F.APP_ID_SET,
    userIdFlag: F.USER_ID_SET,
    packageIdFlag: F.PACKAGE_ID_SET,
    maxAppIdBytes: MAX_APP_ID_BYTES,
    detailSize: Array.from({ length: EVENT_TYPES }, (_, type) => detailBytesRead(version, type)),
  };
}

export interface EventRingStats {
  readonly accepted: number;
  /** Events the ring had no room for (counted in C, never silent). */
  readonly dropped: number;
  readonly bytesInUse: number;
  readonly capacity: number;
}

export interface EventRing {
  /** The C callback's address, for FwpmNetEventSubscribe<n>'s callback argument. */
  readonly callback: unknown;
  /** The ring, for the subscribe call's context argument. */
  readonly context: unknown;
  readonly version: NetEventVersion;
  /**
   * Decodes up to `max` waiting events in order, handing each to `deliver` (or `malformed` with the decoder's
   * reason); returns how many were taken.
   */
  take(deliver: (event: NetEvent) => void, malformed: (reason: string) => void, max?: number): number;
  stats(): EventRingStats;
  /** Stop waiting for the reader: a full ring drops at once (before unsubscribing, so it cannot be held up). */
  close(): void;
  /** Frees the ring. Only once WFP can no longer call the callback (FwpmNetEventUnsubscribe0 returned). */
  destroy(): void;
}

/**
 * The pointers of an event copied out of the ring lead into the ring (where the C side copied what they led to, right
 * after the event, in the same record), and the record was copied out whole: such a pointer is found in our copy at
 * the same distance from the record's start. A pointer that leads anywhere else is not followed.
 */
class RingCopyMemory implements EventMemory {
  /** Where the record being decoded starts and ends in our buffer, and where it lay in the ring. */
  start = 0;
  end = 0;
  ringAt = 0;

  constructor(private readonly ringBase: number) {}

  private place(b: EventBytes, pointerAt: number, length: number): number {
    const lo = b.view.getUint32(pointerAt, true);
    const hi = b.view.getUint32(pointerAt + 4, true);
    if (lo === 0 && hi === 0) return -1;
    // Addresses stay below 2^53 (user space on x64 is 2^47), so this is exact.
    const at = hi * 4294967296 + lo - this.ringBase - this.ringAt + this.start;
    if (at < this.start + RECORD_HEADER || at + length > this.end || at % 4 !== 0)
      throw new MalformedEvent('a pointer of the event leads outside its copy');
    return at;
  }

  detail(b: EventBytes, pointerAt: number, length: number): number {
    return this.place(b, pointerAt, length);
  }

  sid(b: EventBytes, pointerAt: number, length: number): number {
    return this.place(b, pointerAt, length);
  }

  appId(b: EventBytes, pointerAt: number, bytes: number): string {
    return appIdIn(b, this.place(b, pointerAt, bytes), bytes);
  }
}

type Fn = ReturnType<LibraryHandle['func']>;

interface Bound {
  create: Fn;
  close: Fn;
  destroy: Fn;
  callback: Fn;
  copy: Fn;
  base: Fn;
  stats: Fn;
}
const bound = new WeakMap<LibraryHandle, Bound>();

function bind(handle: LibraryHandle): Bound {
  let b = bound.get(handle);
  if (!b) {
    const ring = koffi.opaque('pc_ring');
    b = {
      create: handle.func('pc_ring_create', koffi.pointer(ring), [
        koffi.pointer(PC_RING_LAYOUT),
        'uint32_t',
        'uint32_t',
      ]),
      close: handle.func('pc_ring_close', 'void', [koffi.pointer(ring)]),
      destroy: handle.func('pc_ring_destroy', 'void', [koffi.pointer(ring)]),
      callback: handle.func('pc_ring_callback', 'void *', []),
      copy: handle.func('pc_ring_copy', 'uint32_t', [koffi.pointer(ring), 'void *', 'uint32_t', 'uint32_t']),
      base: handle.func('pc_ring_base', 'uint64_t', [koffi.pointer(ring)]),
      stats: handle.func('pc_ring_stats', 'void', [koffi.pointer(ring), 'void *']),
    };
    bound.set(handle, b);
  }
  return b;
}

/** What the decoder is given besides each event: the subscription's resolvers. */
export interface RingDecodeOptions {
  readonly resolveAppPath?: AppPathResolver;
  readonly resolveLayer?: LayerResolver;
}

/** A ring for FWPM_NET_EVENT<version>, its events decoded with the caller's resolvers. */
export function createEventRing(
  handle: LibraryHandle,
  version: NetEventVersion,
  decode: RingDecodeOptions = {},
  capacityBytes = DEFAULT_RING_BYTES,
): EventRing {
  const fn = bind(handle);
  const ring = fn.create(ringLayout(version), capacityBytes, FULL_WAIT_MS) as unknown;
  if (ring === null)
    throw new Error(`pc_ring_create failed (capacity ${capacityBytes} bytes, FWPM_NET_EVENT${version})`);
  const out = new EventBytes(Buffer.alloc(OUT_BYTES));
  const memory = new RingCopyMemory(Number(fn.base(ring)));
  const { resolveAppPath, resolveLayer } = decode;
  const statsOut = Buffer.alloc(32);
  let destroyed = false;
  // Records copied out and not handed on yet (a listener threw midway through a batch): the next take goes on there.
  let left = 0;
  let cursor = 0;
  return {
    callback: fn.callback() as unknown,
    context: ring,
    version,
    take(deliver, malformed, max = TAKE_MAX) {
      if (destroyed) return 0;
      let taken = 0;
      while (taken < max) {
        if (left === 0) {
          left = fn.copy(ring, out.buffer, OUT_BYTES, Math.min(max - taken, TAKE_MAX)) as number;
          cursor = 0;
          if (left === 0) break;
        }
        const at = cursor;
        const length = out.view.getUint32(at, true);
        memory.start = at;
        memory.end = at + length;
        memory.ringAt = out.view.getUint32(at + 4, true);
        cursor += length;
        left--;
        taken++;
        let event: NetEvent;
        try {
          event = decodeEventAt(out, at + RECORD_HEADER, version, memory, resolveAppPath, resolveLayer);
        } catch (e) {
          malformed(e instanceof MalformedEvent ? e.message : `decode failed: ${String(e)}`);
          continue;
        }
        deliver(event);
      }
      return taken;
    },
    stats() {
      if (destroyed) return { accepted: 0, dropped: 0, bytesInUse: 0, capacity: 0 };
      fn.stats(ring, statsOut);
      return {
        accepted: Number(statsOut.readBigUInt64LE(0)),
        dropped: Number(statsOut.readBigUInt64LE(8)),
        bytesInUse: Number(statsOut.readBigUInt64LE(16)),
        capacity: Number(statsOut.readBigUInt64LE(24)),
      };
    },
    close() {
      if (!destroyed) fn.close(ring);
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      fn.destroy(ring);
    },
  };
}
