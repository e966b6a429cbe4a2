// The simulator hands every application id blob flush against an inaccessible page, which is what makes an
// over-reading decoder fail here as it would on a real machine: for the blobs it keeps in reused slots and for
// those too large for a slot, which get a mapping of their own. Once the callback returned, the blob's bytes no
// longer read as the path: a decoder that kept the pointer cannot pass by luck.
import koffi from 'koffi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readIfMapped } from '../../native/decode/safe-read.js';
import { callAsync, WfpEngine } from '../../native/engine.js';
import { FWPM_NET_EVENT_FLAG as F, FWPM_NET_EVENT_TYPE as T } from '../../native/wfp/constants.js';
import { FWPM_NET_EVENT_CALLBACK } from '../../native/wfp/functions.js';
import { FWP_BYTE_BLOB, FWPM_NET_EVENT_HEADER3, FWPM_NET_EVENT5 } from '../../native/wfp/types.js';
import { simulator, waitFor } from './helpers.js';

const { sim, lib } = simulator();
const ZERO_GUID = { Data1: 0, Data2: 0, Data3: 0, Data4: [0, 0, 0, 0, 0, 0, 0, 0] };
const APP_ID = FWPM_NET_EVENT5.members!.header!.offset + FWPM_NET_EVENT_HEADER3.members!.appId!.offset;
const APP_ID_SIZE = APP_ID + FWP_BYTE_BLOB.members!.size!.offset;
const APP_ID_DATA = APP_ID + FWP_BYTE_BLOB.members!.data!.offset;

interface Seen {
  /** The blob as read during its callback. */
  bytes: Uint8Array | undefined;
  /** Whether the byte right after the blob could be read. */
  pastEndReadable: boolean;
  /** The previous event's blob, read again at its old address during this callback. */
  previousAfterReturn: Uint8Array | undefined;
}

// Whether the byte at `address` can be read. Windows: the page's state and protection as VirtualQuery reports them
// (Wine's ReadProcessMemory reads PAGE_NOACCESS pages of its own process, so a copy proves nothing there).
// Elsewhere: a copy through the kernel, which fails on an unreadable page.
const pageReadable = ((): ((address: bigint) => boolean) => {
  if (process.platform !== 'win32') return (address) => readIfMapped(address, 1) !== undefined;
  const MEM_COMMIT = 0x1000;
  const PAGE_NOACCESS = 0x01;
  const PAGE_GUARD = 0x100;
  const info = koffi.struct('GuardTestMemoryBasicInformation', {
    BaseAddress: 'void *',
    AllocationBase: 'void *',
    AllocationProtect: 'uint32_t',
    PartitionId: 'uint16_t',
    RegionSize: 'size_t',
    State: 'uint32_t',
    Protect: 'uint32_t',
    Type: 'uint32_t',
  });
  const virtualQuery = koffi
    .load('kernel32.dll')
    .func('VirtualQuery', 'size_t', ['void *', koffi.out(koffi.pointer(info)), 'size_t']);
  return (address) => {
    const out: { State: number; Protect: number }[] = [{ State: 0, Protect: 0 }];
    if (!virtualQuery(address, out, koffi.sizeof(info))) return false;
    const { State, Protect } = out[0]!;
    return State === MEM_COMMIT && !(Protect & (PAGE_NOACCESS | PAGE_GUARD));
  };
})();

function path(n: number, bytes: number): Uint8Array {
  const head = `\\device\\harddiskvolume3\\apps\\tool${n}\\`;
  return new Uint8Array(Buffer.from(head.padEnd(bytes / 2 - 4, 'x') + '.exe', 'utf16le'));
}

describe('application id blobs delivered by the simulator', () => {
  let engine: WfpEngine;
  let handle: unknown;
  let callback: unknown;
  const seen: Seen[] = [];
  let previous: { data: bigint; size: number } | undefined;

  beforeAll(async () => {
    sim.reset();
    engine = await WfpEngine.open(lib, { dynamic: true });
    callback = koffi.register((_context: unknown, event: unknown) => {
      const size = koffi.decode(event, APP_ID_SIZE, 'uint32_t') as number;
      const data = koffi.decode(event, APP_ID_DATA, 'void *') as bigint;
      seen.push({
        bytes: readIfMapped(data, size),
        pastEndReadable: pageReadable(data + BigInt(size)),
        previousAfterReturn: previous && readIfMapped(previous.data, previous.size),
      });
      previous = { data, size };
    }, koffi.pointer(FWPM_NET_EVENT_CALLBACK));
    const out: unknown[] = [null];
    const code = lib.fn.FwpmNetEventSubscribe4(
      engine.handle,
      { enumTemplate: null, flags: 0, sessionKey: ZERO_GUID },
      callback,
      null,
      out,
    ) as number;
    expect(code).toBe(0);
    handle = out[0];
  });

  afterAll(async () => {
    await callAsync(lib.fn.FwpmNetEventUnsubscribe0, engine.handle, handle);
    koffi.unregister(callback as bigint);
    await engine.close();
  });

  it('end at an unreadable page, in reused slots and in mappings of their own, and are gone after the callback', async () => {
    // Twelve ordinary paths go round the slots three times; then the largest blob a slot holds, two that need a
    // mapping of their own, and ordinary ones again.
    const sizes = [...Array<number>(12).fill(120), 8192, 12_000, 70_000, 120, 120];
    const blobs = sizes.map((bytes, i) => path(i, bytes));
    for (const appId of blobs) sim.injectEvent({ type: T.CLASSIFY_DROP, flags: F.APP_ID_SET, appId });
    await waitFor(() => seen.length >= blobs.length, 5000, 'every event');

    expect(seen.map((s, i) => s.bytes !== undefined && Buffer.from(s.bytes).equals(blobs[i]!))).toEqual(
      blobs.map(() => true),
    );
    expect(seen.map((s) => s.pastEndReadable)).toEqual(blobs.map(() => false));
    const stillThere = seen
      .slice(1)
      .map((s, i) => s.previousAfterReturn !== undefined && Buffer.from(s.previousAfterReturn).equals(blobs[i]!));
    expect(stillThere).toEqual(blobs.slice(1).map(() => false));
  });
});
