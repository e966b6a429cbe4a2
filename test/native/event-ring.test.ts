// The event ring (native/batch): WFP's callback in C copies each event on the delivery thread, JavaScript decodes
// the copies in batches. What a user would notice if it were wrong: different apps, addresses or ports than the
// per-event path shows, events vanishing without being counted, memory growing under a flood, a stop that hangs.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { NetEvent } from '../../native/api.js';
import { createEventRing, type EventRing } from '../../native/batch/event-ring.js';
import { RingDrain } from '../../native/batch/drain.js';
import { loadEventRingLibrary } from '../../native/batch/load.js';
import type { NetEventVersion } from '../../native/decode/net-event.js';
import { callAsync, WfpEngine } from '../../native/engine.js';
import { createPathMapper } from '../../native/paths.js';
import type { SimEventSpec } from '../../native/sim-control.js';
import { FWPM_NET_EVENT_FLAG as F, FWPM_NET_EVENT_TYPE as T } from '../../native/wfp/constants.js';
import { collect, filetime, simulator, waitFor } from './helpers.js';

const { sim, lib } = simulator();
const ZERO_GUID = { Data1: 0, Data2: 0, Data3: 0, Data4: [0, 0, 0, 0, 0, 0, 0, 0] };
const utf16 = (s: string) => new Uint8Array(Buffer.from(s, 'utf16le'));

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OPTIONAL_FLAGS = [
  F.IP_PROTOCOL_SET,
  F.LOCAL_ADDR_SET,
  F.REMOTE_ADDR_SET,
  F.LOCAL_PORT_SET,
  F.REMOTE_PORT_SET,
  F.APP_ID_SET,
  F.USER_ID_SET,
  F.SCOPE_ID_SET,
  F.IP_VERSION_SET,
  F.PACKAGE_ID_SET,
];

/** Random events of every kind the decoder meets: any flags, NULL pointers behind set flags, odd and wrong sizes. */
function randomSpec(r: () => number, i: number): SimEventSpec {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  let flags = 0;
  for (const f of OPTIONAL_FLAGS) if (r() < 0.75) flags |= f;
  const v6 = r() < 0.3;
  const path = `\\device\\harddiskvolume${1 + (i % 4)}\\program files\\app ${i}\\${pick(['tool', 'svc', 'ünï', 'x'])}.exe`;
  const text = r() < 0.05 ? `${path}\uD800tail` : path;
  const bytes = utf16(r() < 0.7 ? `${text}\0` : text);
  const sizeKind = r();
  const spec: SimEventSpec = {
    type: pick([
      T.CLASSIFY_DROP,
      T.CLASSIFY_DROP,
      T.CLASSIFY_DROP,
      T.CLASSIFY_ALLOW,
      T.CAPABILITY_DROP,
      T.CAPABILITY_ALLOW,
      0,
      9,
    ]),
    flags,
    timeStamp: filetime(Date.UTC(2025, 5, 1) + i * 1_001),
    ipVersion: v6 ? 1 : 0,
    ipProtocol: pick([6, 17, 1, 58]),
    localAddress: v6 ? 'fe80::1' : '192.168.1.10',
    remoteAddress: v6 ? `2001:db8::${(i % 65_535).toString(16)}` : `203.0.113.${i % 256}`,
    localPort: Math.floor(r() * 65_536),
    remotePort: Math.floor(r() * 65_536),
    scopeId: Math.floor(r() * 20),
    filterId: Math.floor(r() * 2 ** 40),
    layerId: Math.floor(r() * 60),
    msFwpDirection: pick([0x3900, 0x3901, 0x3902, 0, 1, 7]),
    isLoopback: r() < 0.2,
  };
  if (r() < 0.9) spec.appId = bytes;
  // Declared sizes as WFP has been seen to get them: exact, odd, shorter, or past the end of the blob.
  if (spec.appId && sizeKind < 0.1) spec.appIdDeclaredSize = bytes.length + 1;
  else if (spec.appId && sizeKind < 0.2) spec.appIdDeclaredSize = Math.floor(bytes.length / 3);
  else if (spec.appId && sizeKind < 0.25) spec.appIdDeclaredSize = bytes.length + 5_000;
  else if (spec.appId && sizeKind < 0.27) spec.appIdDeclaredSize = 70_000;
  if (r() < 0.9)
    spec.userSid = pick(['S-1-5-18', 'S-1-5-21-1004336348-1177238915-682003330-1001', 'S-1-5-80-1-2-3-4-5']);
  if (r() < 0.8) spec.packageSid = pick(['S-1-0-0', 'S-1-15-2-1-2-3-4-5-6-7']);
  return spec;
}

interface RingSubscription {
  ring: EventRing;
  events: NetEvent[];
  malformed: string[];
  handle: unknown;
}

function subscribeRing(engine: WfpEngine, version: NetEventVersion, capacity?: number): RingSubscription {
  const library = loadEventRingLibrary();
  if (!library.available) throw new Error(library.reason);
  const mapper = createPathMapper(lib);
  const ring = createEventRing(library.handle, version, { resolveAppPath: (nt) => mapper.ntToDos(nt) }, capacity);
  const out: unknown[] = [null];
  const name = `FwpmNetEventSubscribe${(version - 1) as 0 | 1 | 2 | 3 | 4}` as const;
  const code = lib.fn[name](
    engine.handle,
    { enumTemplate: null, flags: 0, sessionKey: ZERO_GUID },
    ring.callback,
    ring.context,
    out,
  ) as number;
  if (code !== 0) throw new Error(`${name} failed with ${code}`);
  return { ring, events: [], malformed: [], handle: out[0] };
}

async function unsubscribeRing(engine: WfpEngine, s: RingSubscription): Promise<void> {
  s.ring.close();
  expect(await callAsync(lib.fn.FwpmNetEventUnsubscribe0, engine.handle, s.handle)).toBe(0);
  s.ring.destroy();
}

describe('event ring', () => {
  let engine: WfpEngine | undefined;
  beforeAll(() => {
    const library = loadEventRingLibrary();
    if (!library.available) throw new Error(`the event ring library must be built for this suite: ${library.reason}`);
  });
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
    sim.reset();
  });

  for (const version of [1, 2, 3, 4, 5] as const) {
    it(`FWPM_NET_EVENT${version}: 1,500 random events decode exactly as the per-event callback decodes them`, async () => {
      engine = await WfpEngine.open(lib, { dynamic: true, name: 'event ring test' });
      const fn = (version - 1) as 0 | 1 | 2 | 3 | 4;
      const perEvent = await collect(engine, { subscribeFunction: fn, perEvent: true });
      const ring = await collect(engine, { subscribeFunction: fn });
      expect(perEvent.subscription.stats.delivery).toBe('per-event');
      expect(ring.subscription.stats.delivery).toBe('ring');
      const r = prng(version * 7_919);
      const N = 1_500;
      for (let i = 0; i < N; i++) sim.injectEvent(randomSpec(r, i));
      await waitFor(() => perEvent.events.length + perEvent.malformed.length >= N, 20_000, 'the per-event path');
      await waitFor(() => ring.events.length + ring.malformed.length >= N, 20_000, 'the ring path');
      await perEvent.subscription.stop();
      await ring.subscription.stop();
      // Both kinds occur, so the comparison covers decoded fields and rejected events alike.
      expect(perEvent.events.length).toBeGreaterThan(N / 3);
      expect(perEvent.malformed.length).toBeGreaterThan(10);
      expect(ring.malformed).toEqual(perEvent.malformed);
      expect(ring.events).toEqual(perEvent.events);
      expect(ring.subscription.stats.dropped).toBe(0);
    });
  }

  it('a full ring drops events and counts every one; its memory stays at its capacity', async () => {
    engine = await WfpEngine.open(lib, { dynamic: true, name: 'event ring test' });
    const capacity = 128 * 1024;
    const s = subscribeRing(engine, 5, capacity);
    const dropped: number[] = [];
    const drain = new RingDrain(s.ring, {
      onEvent: (e) => s.events.push(e),
      onMalformed: (m) => s.malformed.push(m),
      onDropped: (n) => dropped.push(n),
    });
    // Nobody reads while 5,000 events arrive (the JS thread is busy queueing them): the ring fills up.
    const attempt = {
      appPath: 'C:\\Program Files\\Contoso\\agent.exe',
      localAddress: '192.168.1.10',
      remoteAddress: '203.0.113.5',
      localPort: 3389,
      remotePort: 50_000,
      protocol: 6,
      direction: 'in' as const,
    };
    expect(sim.connectRepeat(attempt, 5_000).action).toBe('block');
    await waitFor(() => sim.pendingEvents() === 0, 20_000, 'the simulator to hand over every event');
    await waitFor(
      () => s.ring.stats().accepted + s.ring.stats().dropped >= 5_000,
      20_000,
      'the ring to see every event',
    );
    const stats = s.ring.stats();
    expect(stats.bytesInUse).toBeLessThanOrEqual(capacity);
    expect(stats.dropped).toBeGreaterThan(0);
    drain.drainNow();
    expect(s.events.length).toBe(stats.accepted);
    expect(dropped.reduce((a, b) => a + b, 0)).toBe(stats.dropped);
    expect(s.events.length + stats.dropped).toBe(5_000);
    expect(s.events.every((e) => e.appPath === 'C:\\program files\\contoso\\agent.exe' && e.localPort === 3389)).toBe(
      true,
    );
    drain.stop();
    await unsubscribeRing(engine, s);
  });

  it('events larger than one copy-out holds come through whole and in order (application ids of 40,000 bytes)', async () => {
    engine = await WfpEngine.open(lib, { dynamic: true, name: 'event ring test' });
    const s = subscribeRing(engine, 5);
    // 40 events of about 40 KiB each: more than one batch's buffer, so a take copies out more than once.
    const paths = Array.from(
      { length: 40 },
      (_, i) => `\\device\\harddiskvolume3\\deep\\${String(i).padStart(2, '0')}${'\\d'.repeat(9_990)}\\app.exe`,
    );
    for (const [i, path] of paths.entries())
      sim.injectEvent({
        type: T.CLASSIFY_DROP,
        flags: F.APP_ID_SET | F.LOCAL_PORT_SET,
        timeStamp: filetime(Date.UTC(2025, 5, 1) + i),
        localPort: 1_000 + i,
        appId: utf16(`${path}\0`),
        filterId: 7,
      });
    await waitFor(() => s.ring.stats().accepted >= paths.length, 20_000, 'the ring to take every event');
    const drain = new RingDrain(s.ring, {
      onEvent: (e) => s.events.push(e),
      onMalformed: (m) => s.malformed.push(m),
      onDropped: () => undefined,
    });
    expect(drain.drainNow()).toBe(paths.length);
    expect(s.malformed).toEqual([]);
    expect(s.events.map((e) => e.localPort)).toEqual(paths.map((_, i) => 1_000 + i));
    expect(s.events.map((e) => e.appId)).toEqual(paths);
    drain.stop();
    await unsubscribeRing(engine, s);
  });

  it('a listener that throws midway through a batch loses nothing: the next take goes on with the rest', async () => {
    engine = await WfpEngine.open(lib, { dynamic: true, name: 'event ring test' });
    const s = subscribeRing(engine, 5);
    for (let i = 0; i < 10; i++)
      sim.injectEvent({
        type: T.CLASSIFY_DROP,
        flags: F.LOCAL_PORT_SET,
        timeStamp: filetime(Date.UTC(2025, 5, 1) + i),
        localPort: 2_000 + i,
        filterId: 7,
      });
    await waitFor(() => s.ring.stats().accepted >= 10, 20_000, 'the ring to take every event');
    const ports: number[] = [];
    const deliver = (e: NetEvent) => {
      ports.push(e.localPort!);
      if (e.localPort === 2_003) throw new Error('listener failed');
    };
    expect(() => s.ring.take(deliver, () => undefined)).toThrow('listener failed');
    expect(s.ring.take(deliver, () => undefined)).toBe(6);
    expect(ports).toEqual(Array.from({ length: 10 }, (_, i) => 2_000 + i));
    await unsubscribeRing(engine, s);
  });

  it('unsubscribing while the ring is full and nobody reads returns promptly', async () => {
    engine = await WfpEngine.open(lib, { dynamic: true, name: 'event ring test' });
    const s = subscribeRing(engine, 5, 128 * 1024);
    sim.setQueueCapacity(200_000);
    const flood = sim.connectRepeatAsync(
      {
        appPath: 'C:\\x.exe',
        localAddress: '10.0.0.1',
        remoteAddress: '10.0.0.2',
        localPort: 22,
        remotePort: 9,
        protocol: 6,
        direction: 'in',
      },
      100_000,
    );
    await waitFor(() => s.ring.stats().dropped > 0, 20_000, 'the ring to overflow');
    const t0 = performance.now();
    await unsubscribeRing(engine, s);
    expect(performance.now() - t0).toBeLessThan(5_000);
    await flood;
  });
});
