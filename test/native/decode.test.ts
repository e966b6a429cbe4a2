// Decoding of every event structure version, driven through each FwpmNetEventSubscribeN of the simulator.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NetEvent } from '../../native/api.js';
import { WfpEngine } from '../../native/engine.js';
import { createPathMapper } from '../../native/paths.js';
import { FWPM_NET_EVENT_FLAG as F, FWPM_NET_EVENT_TYPE as T } from '../../native/wfp/constants.js';
import type { SimEventSpec } from '../../native/sim-control.js';
import { collect, filetime, runtimeLayerId, simulator, sleep, type Collector } from './helpers.js';

const { sim, lib } = simulator();
const CONNECT_V4 = await runtimeLayerId(lib, 'connect');
const RECV_ACCEPT_V4 = await runtimeLayerId(lib, 'recv-accept');
const FLOW_V4 = await runtimeLayerId(lib, 'flow-established');
const LISTEN_V6 = await runtimeLayerId(lib, 'listen', 6);
// Drive letters come from the simulator here and from Wine's own kernel32 in the Windows lane.
const mapDrive: (drive: string, device: string | null) => void =
  process.platform === 'win32' ? (await import('../wine/dos-devices.js')).setDrive : (d, v) => sim.mapDrive(d, v);
const APP_NT = '\\device\\harddiskvolume3\\apps\\tool.exe';
const utf16 = (s: string) => new Uint8Array(Buffer.from(s, 'utf16le'));
const TIME = Date.UTC(2025, 0, 2, 3, 4, 5, 678);

const COMMON_FLAGS =
  F.IP_PROTOCOL_SET |
  F.LOCAL_ADDR_SET |
  F.REMOTE_ADDR_SET |
  F.LOCAL_PORT_SET |
  F.REMOTE_PORT_SET |
  F.APP_ID_SET |
  F.USER_ID_SET |
  F.IP_VERSION_SET;

function v4Drop(extra: Partial<SimEventSpec> = {}): SimEventSpec {
  return {
    type: T.CLASSIFY_DROP,
    flags: COMMON_FLAGS,
    timeStamp: filetime(TIME),
    ipVersion: 0,
    ipProtocol: 6,
    localAddress: '192.168.1.10',
    remoteAddress: '93.184.216.34',
    localPort: 50123,
    remotePort: 443,
    appId: utf16(`${APP_NT}\0`),
    userSid: 'S-1-5-21-1004336348-1177238915-682003330-512',
    filterId: 71234,
    layerId: CONNECT_V4,
    msFwpDirection: 0x3901,
    isLoopback: false,
    ...extra,
  };
}

const V4_EXPECTED: NetEvent = {
  time: TIME,
  type: 'drop',
  rawType: T.CLASSIFY_DROP,
  flags: COMMON_FLAGS,
  ipVersion: 4,
  protocol: 6,
  localAddress: '192.168.1.10',
  remoteAddress: '93.184.216.34',
  localPort: 50123,
  remotePort: 443,
  appId: APP_NT,
  appPath: 'C:\\apps\\tool.exe',
  userSid: 'S-1-5-21-1004336348-1177238915-682003330-512',
  filterId: 71234,
  layerId: CONNECT_V4,
  layer: 'connect',
  direction: 'out',
  isLoopback: false,
};

// Which NetEvent fields each header flag governs.
const FIELDS_OF_FLAG: [number, (keyof NetEvent)[]][] = [
  [F.IP_PROTOCOL_SET, ['protocol']],
  [F.LOCAL_ADDR_SET, ['localAddress']],
  [F.REMOTE_ADDR_SET, ['remoteAddress']],
  [F.LOCAL_PORT_SET, ['localPort']],
  [F.REMOTE_PORT_SET, ['remotePort']],
  [F.APP_ID_SET, ['appId', 'appPath']],
  [F.USER_ID_SET, ['userSid']],
];

for (const fn of [0, 1, 2, 3, 4] as const) {
  const version = fn + 1;
  describe(`FwpmNetEventSubscribe${fn} (FWPM_NET_EVENT${version})`, () => {
    let engine: WfpEngine;
    let c: Collector;

    beforeAll(() => sim.reset());
    beforeEach(async () => {
      engine = await WfpEngine.open(lib, { dynamic: true });
      c = await collect(engine, { subscribeFunction: fn });
      expect(c.subscription.stats.version).toBe(version);
    });
    afterEach(async () => {
      await c.subscription.stop();
      await engine.close();
    });

    const one = async (spec: SimEventSpec): Promise<NetEvent> => {
      const before = c.events.length + c.malformed.length;
      sim.injectEvent(spec);
      await c.next(c.events.length + 1).catch(() => undefined);
      expect(c.malformed).toEqual([]);
      expect(c.events.length + c.malformed.length).toBe(before + 1);
      return c.events[c.events.length - 1]!;
    };

    it('IPv4 drop with every flag set gives exactly the values put in (192.168.1.10 stays 192.168.1.10)', async () => {
      expect(await one(v4Drop())).toEqual(V4_EXPECTED);
    });

    it('IPv6 addresses are read in network order, with the scope id', async () => {
      const e = await one(
        v4Drop({
          ipVersion: 1,
          localAddress: 'fe80::1c2d:3e4f',
          remoteAddress: '2001:db8::53',
          flags: COMMON_FLAGS | F.SCOPE_ID_SET,
          scopeId: 7,
        }),
      );
      expect(e.ipVersion).toBe(6);
      expect(e.localAddress).toBe('fe80::1c2d:3e4f%7');
      expect(e.remoteAddress).toBe('2001:db8::53%7');
    });

    it('IPv6 without SCOPE_ID_SET: no scope suffix', async () => {
      const e = await one(v4Drop({ ipVersion: 1, localAddress: 'fe80::1', remoteAddress: '2001:db8::53', scopeId: 7 }));
      expect([e.localAddress, e.remoteAddress]).toEqual(['fe80::1', '2001:db8::53']);
    });

    if (version === 5) {
      // The decoder hands back the same string for the same bytes (native/decode/intern.ts): interleaved apps,
      // addresses and users must each still come out as exactly the one the event carried.
      it('interleaved apps, addresses (v4, v6 with and without scope) and users decode to exactly their own', async () => {
        const apps = [APP_NT, '\\device\\harddiskvolume3\\b.exe', '\\device\\harddiskvolume3\\apps\\tool2.exe'];
        const remotes: [0 | 1, string, number | undefined, string][] = [
          [0, '93.184.216.34', undefined, '93.184.216.34'],
          [0, '93.184.216.35', undefined, '93.184.216.35'],
          [1, '2001:db8::53', 7, '2001:db8::53%7'],
          [1, '2001:db8::53', 8, '2001:db8::53%8'],
          [1, '2001:db8::53', undefined, '2001:db8::53'],
        ];
        const users = [
          'S-1-5-18',
          'S-1-5-21-1004336348-1177238915-682003330-512',
          'S-1-5-21-1004336348-1177238915-682003330-513',
        ];
        for (let i = 0; i < 30; i++) {
          const [ipVersion, remoteAddress, scopeId, shown] = remotes[(i * 7) % remotes.length]!;
          const appNt = apps[(i * 5) % apps.length]!;
          const userSid = users[i % users.length]!;
          const e = await one(
            v4Drop({
              appId: utf16(`${appNt}\0`),
              ipVersion,
              localAddress: ipVersion === 1 ? 'fe80::1' : '192.168.1.10',
              remoteAddress,
              userSid,
              ...(scopeId !== undefined ? { scopeId, flags: COMMON_FLAGS | F.SCOPE_ID_SET } : {}),
            }),
          );
          expect([e.appId, e.appPath, e.remoteAddress, e.userSid]).toEqual([
            appNt,
            `C:${appNt.slice('\\device\\harddiskvolume3'.length)}`,
            shown,
            userSid,
          ]);
        }
      });

      it('a drive letter moved: the app is named by its new letter from the first event a second later', async () => {
        const nt = '\\device\\harddiskvolume19\\portable\\app.exe';
        mapDrive('Q:', '\\Device\\HarddiskVolume19');
        createPathMapper(lib).refresh();
        try {
          const first = await one(v4Drop({ appId: utf16(`${nt}\0`), timeStamp: filetime(TIME) }));
          expect(first.appPath).toBe('Q:\\portable\\app.exe');
          mapDrive('Q:', null);
          mapDrive('R:', '\\Device\\HarddiskVolume19');
          createPathMapper(lib).refresh();
          const later = await one(v4Drop({ appId: utf16(`${nt}\0`), timeStamp: filetime(TIME + 1_000) }));
          expect(later.appPath).toBe('R:\\portable\\app.exe');
        } finally {
          mapDrive('Q:', null);
          mapDrive('R:', null);
          createPathMapper(lib).refresh();
        }
      });
    }

    it('IP_VERSION_SET unset: no ipVersion, and addresses of unknown family are left out rather than guessed', async () => {
      const flags = COMMON_FLAGS & ~F.IP_VERSION_SET;
      const e = await one(v4Drop({ flags }));
      const expected: Record<string, unknown> = { ...V4_EXPECTED, flags };
      delete expected['ipVersion'];
      delete expected['localAddress'];
      delete expected['remoteAddress'];
      expect(e).toEqual(expected);
    });

    for (const [flag, fields] of FIELDS_OF_FLAG) {
      it(`flag 0x${flag.toString(16)} unset: ${fields.join(', ')} absent, everything else intact`, async () => {
        const e = await one(v4Drop({ flags: COMMON_FLAGS & ~flag }));
        const expected: Record<string, unknown> = { ...V4_EXPECTED, flags: COMMON_FLAGS & ~flag };
        for (const f of fields) delete expected[f];
        expect(e).toEqual(expected);
        for (const f of fields) expect(e[f]).toBeUndefined();
      });
    }

    it('no flags at all: no address, no port, no application, no 0.0.0.0', async () => {
      const e = await one(v4Drop({ flags: 0 }));
      expect(e).toEqual({
        time: TIME,
        type: 'drop',
        rawType: T.CLASSIFY_DROP,
        flags: 0,
        filterId: 71234,
        layerId: CONNECT_V4,
        layer: 'connect',
        direction: 'out',
        isLoopback: false,
      });
    });

    it('without a layer (layer id 0), reads direction from msFwpDirection in both encodings, and the loopback flag', async () => {
      const dirs: [number, string][] = [
        [0x3900, 'in'],
        [0x3901, 'out'],
        [0x3902, 'forward'],
        [0, 'out'],
        [1, 'in'],
      ];
      for (const [msFwpDirection, direction] of dirs) {
        const e = await one(v4Drop({ msFwpDirection, isLoopback: true, layerId: 0 }));
        expect([msFwpDirection, e.direction, e.isLoopback]).toEqual([msFwpDirection, direction, true]);
        expect(e.layer).toBeUndefined();
      }
    });

    it('takes direction from the layer where the layer decides one, whatever msFwpDirection says', async () => {
      // At receive/accept Windows has reported outbound (simplewall #474, #581): the layer is the witness.
      for (const msFwpDirection of [0, 0x3901, 0x3900]) {
        const inbound = await one(v4Drop({ layerId: RECV_ACCEPT_V4, msFwpDirection }));
        expect([inbound.layer, inbound.direction]).toEqual(['recv-accept', 'in']);
        const outbound = await one(v4Drop({ layerId: CONNECT_V4, msFwpDirection: msFwpDirection === 0x3900 ? 1 : 0 }));
        expect([outbound.layer, outbound.direction]).toEqual(['connect', 'out']);
      }
    });

    it('the listen layer is inbound too', async () => {
      const e = await one(v4Drop({ layerId: LISTEN_V6, msFwpDirection: 0x3901 }));
      expect([e.layer, e.direction]).toEqual(['listen', 'in']);
    });

    it('a layer that decides no direction (flow established) keeps msFwpDirection; an unknown id is another layer', async () => {
      const flow = await one(v4Drop({ layerId: FLOW_V4, msFwpDirection: 0x3900 }));
      expect([flow.layer, flow.direction]).toEqual(['flow-established', 'in']);
      // The FWPS constant of connect v4 is not this machine's runtime id for it.
      const constant = await one(v4Drop({ layerId: 48, msFwpDirection: 0x3900 }));
      expect(CONNECT_V4).not.toBe(48);
      expect([constant.layer, constant.direction]).toEqual(['other', 'in']);
    });

    describe('application id blob', () => {
      it('without a terminating NUL', async () => {
        expect((await one(v4Drop({ appId: utf16(APP_NT) }))).appId).toBe(APP_NT);
      });
      it('with trailing NULs', async () => {
        expect((await one(v4Drop({ appId: utf16(`${APP_NT}\0\0\0`) }))).appId).toBe(APP_NT);
      });
      it('empty: absent', async () => {
        const e = await one(v4Drop({ appId: new Uint8Array(0), appIdDeclaredSize: 0 }));
        expect(e.appId).toBeUndefined();
        expect(e.appPath).toBeUndefined();
      });
      it('declared size larger than its buffer (a guard page follows it): read up to the buffer only', async () => {
        const e = await one(v4Drop({ appId: utf16(APP_NT), appIdDeclaredSize: utf16(APP_NT).length + 4096 }));
        expect(e.appId).toBe(APP_NT);
      });
      it('declared size smaller than the path: cut at the declared size, never beyond', async () => {
        expect((await one(v4Drop({ appId: utf16(APP_NT), appIdDeclaredSize: 16 }))).appId).toBe(APP_NT.slice(0, 8));
      });
    });

    it('an unknown event type arrives as other, with its number', async () => {
      const e = await one(v4Drop({ type: 42 }));
      expect(e.type).toBe('other');
      expect(e.rawType).toBe(42);
      expect(e.remoteAddress).toBe('93.184.216.34');
      expect(e.filterId).toBeUndefined();
    });

    if (version >= 2) {
      it('allow events carry their filter, layer and direction', async () => {
        const e = await one(v4Drop({ type: T.CLASSIFY_ALLOW, filterId: 99, msFwpDirection: 0x3900 }));
        expect(e).toMatchObject({ type: 'allow', rawType: 6, filterId: 99, layerId: CONNECT_V4, direction: 'out' });
      });
      it('capability drops and allows carry their filter and loopback flag', async () => {
        const drop = await one(v4Drop({ type: T.CAPABILITY_DROP, filterId: 501, isLoopback: true }));
        expect(drop).toMatchObject({ type: 'capabilityDrop', filterId: 501, isLoopback: true });
        const allow = await one(v4Drop({ type: T.CAPABILITY_ALLOW, filterId: 502 }));
        expect(allow).toMatchObject({ type: 'capabilityAllow', filterId: 502, isLoopback: false });
      });
      it('an app container package SID is reported', async () => {
        const packageSid = 'S-1-15-2-2967553933-3217682302-1494388902-1325952689-2436944208-2231955435-3253855425';
        const e = await one(v4Drop({ flags: COMMON_FLAGS | F.PACKAGE_ID_SET, packageSid }));
        expect(e.packageSid).toBe(packageSid);
      });
    }
  });
}

describe('malformed events are counted and skipped', () => {
  let engine: WfpEngine;
  beforeAll(async () => {
    sim.reset();
    engine = await WfpEngine.open(lib, { dynamic: true });
  });
  afterAll(() => engine.close());

  for (const fn of [0, 4] as const) {
    it(`a drop without its details and a header promising a NULL user SID (FWPM_NET_EVENT${fn + 1})`, async () => {
      const c = await collect(engine, { subscribeFunction: fn });
      const size = fn === 0 ? 160 : 152;
      const typeOffset = fn === 0 ? 144 : 136;
      // A drop whose classifyDrop pointer is NULL.
      const noDetails = new Uint8Array(size);
      new DataView(noDetails.buffer).setUint32(typeOffset, T.CLASSIFY_DROP, true);
      sim.injectRaw(noDetails, (fn + 1) as 1 | 5);
      // USER_ID_SET with a NULL SID pointer, type "other" so no details are needed.
      const nullSid = new Uint8Array(size);
      new DataView(nullSid.buffer).setUint32(8, F.USER_ID_SET, true);
      new DataView(nullSid.buffer).setUint32(typeOffset, 77, true);
      sim.injectRaw(nullSid, (fn + 1) as 1 | 5);
      // And a good event after them still arrives.
      sim.injectEvent(v4Drop());
      await c.next(1);
      await sleep(20);
      expect(c.subscription.stats.malformed).toBe(2);
      expect(c.malformed).toEqual([expect.stringMatching(/details/), expect.stringMatching(/user SID/)]);
      expect(c.events).toHaveLength(1);
      expect(c.events[0]!.remoteAddress).toBe('93.184.216.34');
      await c.subscription.stop();
    });
  }
});
