// The event ring (include/event_ring.h) from JavaScript: its callback and context go to FwpmNetEventSubscribe<n>
// in place of a koffi callback, so WFP's delivery thread never waits for the JS thread; take() hands the copied
// events to the one decoder (decode/net-event.ts) in batches. The ring's layout is the decoder's own: the same
// offsets (LAYOUTS, from the SDK declarations checked against native/layout/golden.json), the same detail sizes.
import koffi, { type LibraryHandle } from 'koffi';
import type { NetEvent } from '../api.js';
import { detailBytesRead, LAYOUTS, MalformedEvent, type NetEventVersion } from '../decode/net-event.js';
import { MAX_APP_ID_BYTES } from '../decode/app-id.js';
import { FWPM_NET_EVENT_FLAG as F } from '../wfp/constants.js';

const EVENT_TYPES = 16;
const NO_OFFSET = 0xffffffff;
/** Default ring: about 25,000 typical events (300-350 bytes each), a few seconds of a flood. */
export const DEFAULT_RING_BYTES = 8 * 1024 * 1024;
/** How long WFP's thread waits for room in a full ring before it drops (see event_ring.h). */
export const FULL_WAIT_MS = 100;
/** Events decoded per take; the caller decides how many takes per turn of the event loop. */
const TAKE_MAX = 1_024;

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

type Fn = ReturnType<LibraryHandle['func']>;

interface Bound {
  create: Fn;
  close: Fn;
  destroy: Fn;
  callback: Fn;
  take: Fn;
  release: Fn;
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
      take: handle.func('pc_ring_take', 'uint32_t', [koffi.pointer(ring), 'void *', 'uint32_t']),
      release: handle.func('pc_ring_release', 'void', [koffi.pointer(ring)]),
      stats: handle.func('pc_ring_stats', 'void', [koffi.pointer(ring), 'void *']),
    };
    bound.set(handle, b);
  }
  return b;
}

/**
 * A ring for FWPM_NET_EVENT<version>; `decode` is decodeNetEvent for that version with the caller's resolvers (it
 * is handed the address of each copy, exactly as the per-event callback is handed WFP's).
 */
export function createEventRing(
  handle: LibraryHandle,
  version: NetEventVersion,
  decode: (event: bigint) => NetEvent,
  capacityBytes = DEFAULT_RING_BYTES,
): EventRing {
  const fn = bind(handle);
  const ring = fn.create(ringLayout(version), capacityBytes, FULL_WAIT_MS) as unknown;
  if (ring === null)
    throw new Error(`pc_ring_create failed (capacity ${capacityBytes} bytes, FWPM_NET_EVENT${version})`);
  const addresses = Buffer.alloc(8 * TAKE_MAX);
  const statsOut = Buffer.alloc(32);
  let destroyed = false;
  return {
    callback: fn.callback() as unknown,
    context: ring,
    version,
    take(deliver, malformed, max = TAKE_MAX) {
      if (destroyed) return 0;
      const n = fn.take(ring, addresses, Math.min(max, TAKE_MAX)) as number;
      try {
        for (let i = 0; i < n; i++) {
          let event: NetEvent;
          try {
            event = decode(addresses.readBigUInt64LE(8 * i));
          } catch (e) {
            malformed(e instanceof MalformedEvent ? e.message : `decode failed: ${String(e)}`);
            continue;
          }
          deliver(event);
        }
      } finally {
        // Decoded (or counted) means done with the copies, even if a listener threw.
        fn.release(ring);
      }
      return n;
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
