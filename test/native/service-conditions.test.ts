// Rules for one svchost service or one packaged app, through koffi into the simulator: the service SID and the
// package SID narrow a filter, so allowing the DNS client does not allow every other service hosted in svchost.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serviceSid } from '../../electron/core/apps/service-sids';
import { conditionsFor, filterObject, layersFor, validateSpec } from '../../native/conditions';
import { WfpEngine } from '../../native/engine';
import { check, isWfpError } from '../../native/errors';
import { createFilterManager } from '../../native/filters';
import { buildSecurityDescriptor, encodeSid, matchFilterDescriptor } from '../../native/security-descriptor';
import { FWP_ACTRL_MATCH_FILTER, FWP_DATA_TYPE, FWP_MATCH_TYPE } from '../../native/wfp/constants';
import { FWPM_CONDITION, guidToStruct, PORTCULLIS_PROVIDER_KEY, PORTCULLIS_SUBLAYER_KEY } from '../../native/wfp/guids';
import type { AppFilterSpec } from '../../native/api';
import {
  enumerateOurs,
  eventsIn,
  outbound,
  simulator,
  startCore,
  SVCHOST,
  waitFor,
  type RunningCore,
} from './core/support';

const { sim, lib } = simulator();
const DNSCACHE = serviceSid('Dnscache');
const DIAGTRACK = serviceSid('DiagTrack');
const WEATHER = 'S-1-15-2-3251537155-1984446955-2931258699-841473695-1938553385-934012149-2713786562';
const OTHER_PACKAGE = 'S-1-15-2-1-2-3-4-5-6-7';
const weatherExe = (version: string) =>
  `C:\\Program Files\\WindowsApps\\Contoso.Weather_${version}_x64__8wekyb3d8bbwe\\Weather.exe`;
// DNS over TLS: no essential opens it, so only a rule can.
const dot = (userSid?: string) => ({ ...outbound(SVCHOST, '198.51.100.53', 853), ...(userSid ? { userSid } : {}) });

describe('service and package rules in Enforce', () => {
  let r: RunningCore | undefined;
  beforeEach(() => sim.reset());
  afterEach(async () => {
    await r?.core.stop();
    r = undefined;
  });

  it('allowing service:dnscache lets the DNS client through and keeps another svchost service blocked', async () => {
    r = await startCore();
    const { core } = r;
    await core.handlers['mode.set']({ mode: 'enforce' });
    expect(sim.connect(dot(DNSCACHE)).action).toBe('block');

    const rule = await core.handlers['rules.create']({
      appKey: 'service:dnscache',
      action: 'allow',
      direction: 'out',
      duration: { kind: 'forever' },
    });
    const ruleFilters = (await enumerateOurs()).filters.filter((f) => f.tag?.startsWith(`r:${rule.id}:`));
    expect(ruleFilters).toHaveLength(2);

    const dns = sim.connect(dot(DNSCACHE));
    expect(dns.action).toBe('permit');
    expect(ruleFilters.map((f) => f.filterId)).toContain(dns.filterId);
    // Same executable, same destination, another service: the rule does not apply.
    expect(sim.connect(dot(DIAGTRACK)).action).toBe('block');
    expect(sim.connect(dot()).action).toBe('block');
    expect(sim.connect(dot('S-1-5-20')).action).toBe('block');
  });

  it('the DNS essential opens port 53 for the DNS client only', async () => {
    r = await startCore();
    await r.core.handlers['mode.set']({ mode: 'enforce' });
    const dns53 = (userSid: string) => ({ ...outbound(SVCHOST, '192.168.1.1', 53, 17), userSid });
    expect(sim.connect(dns53(DNSCACHE)).action).toBe('permit');
    expect(sim.connect(dns53(DIAGTRACK)).action).toBe('block');
  });

  it('HTTPS is open to every svchost service (impersonation defeats service SIDs); a service rule still blocks one', async () => {
    r = await startCore();
    const { core } = r;
    await core.handlers['mode.set']({ mode: 'enforce' });
    const https = (userSid: string) => ({ ...outbound(SVCHOST, '13.107.4.50', 443), userSid });
    expect(sim.connect(https(serviceSid('wuauserv'))).action).toBe('permit');
    expect(sim.connect(https(DIAGTRACK)).action).toBe('permit');
    await core.handlers['rules.create']({
      appKey: 'service:diagtrack',
      action: 'block',
      direction: 'out',
      duration: { kind: 'forever' },
    });
    expect(sim.connect(https(DIAGTRACK)).action).toBe('block');
    expect(sim.connect(https(serviceSid('wuauserv'))).action).toBe('permit');
  });

  it('a package rule permits that package only, across app updates', async () => {
    r = await startCore();
    const { core } = r;
    await core.handlers['mode.set']({ mode: 'enforce' });
    const weather = { ...outbound(weatherExe('1.2.3.0')), packageSid: WEATHER };
    expect(sim.connect(weather).action).toBe('block');
    const key = `package:${WEATHER.toUpperCase()}`;
    await eventsIn(core, 1);
    await waitFor(() => core.snapshot().apps.some((a) => a.identity.key === key), 5000, 'the package in the app list');

    await core.handlers['rules.create']({
      appKey: key,
      action: 'allow',
      direction: 'out',
      duration: { kind: 'forever' },
    });
    expect(sim.connect(weather).action).toBe('permit');
    // An update moves the app to a new versioned folder; the package SID stays.
    expect(sim.connect({ ...weather, appPath: weatherExe('1.3.0.0') }).action).toBe('permit');
    // Another package, and the same executable outside its app container, are not covered.
    expect(sim.connect({ ...weather, packageSid: OTHER_PACKAGE }).action).toBe('block');
    expect(sim.connect(outbound(weatherExe('1.2.3.0'))).action).toBe('block');
  });
});

describe('ALE_USER_ID and ALE_PACKAGE_ID filters in the simulator', () => {
  let engine: WfpEngine;
  beforeEach(async () => {
    sim.reset();
    engine = await WfpEngine.open(lib, { dynamic: true, name: 'service-conditions' });
  });
  afterEach(async () => {
    await engine.close();
  });

  it('a block for one service SID blocks that service only', async () => {
    const filters = createFilterManager(engine);
    const { added } = await filters.apply({
      add: [{ appPath: SVCHOST, serviceSid: DIAGTRACK, action: 'block', direction: 'out', name: 'Block telemetry' }],
      remove: [],
    });
    const blocked = sim.connect(dot(DIAGTRACK));
    expect(blocked.action).toBe('block');
    expect(added[0]).toContain(blocked.filterId);
    expect(filters.filterInfo(blocked.filterId)).toMatchObject({ owner: 'portcullis', name: 'Block telemetry' });
    expect(sim.connect(dot(DNSCACHE)).action).toBe('permit');
    // The service SID alone is not enough: another executable carrying it is not svchost.
    expect(sim.connect({ ...outbound('C:\\Apps\\tool2.exe', '198.51.100.53', 853), userSid: DIAGTRACK }).action).toBe(
      'permit',
    );
  });

  it('a package SID condition matches that package, and the NULL SID matches processes outside any package', async () => {
    const filters = createFilterManager(engine);
    await filters.apply({
      add: [
        { packageSid: WEATHER, action: 'block', direction: 'out', name: 'Block Weather' },
        { appPath: 'C:\\Apps\\desktop.exe', packageSid: 'S-1-0-0', action: 'block', direction: 'out', name: 'Desktop' },
      ],
      remove: [],
    });
    expect(sim.connect({ ...outbound(weatherExe('1.2.3.0')), packageSid: WEATHER }).action).toBe('block');
    expect(sim.connect({ ...outbound(weatherExe('1.2.3.0')), packageSid: OTHER_PACKAGE }).action).toBe('permit');
    expect(sim.connect(outbound('C:\\Apps\\desktop.exe')).action).toBe('block');
    expect(sim.connect({ ...outbound('C:\\Apps\\desktop.exe'), packageSid: OTHER_PACKAGE }).action).toBe('permit');
  });

  /** FwpmFilterAdd0 of one outbound v4 filter whose conditions are replaced by `extra`. */
  async function addRaw(extra: object[], action: AppFilterSpec['action'] = 'permit'): Promise<number> {
    await createFilterManager(engine).ensureProviderAndSublayer();
    const spec: AppFilterSpec = { appPath: SVCHOST, action, direction: 'out', name: 'raw' };
    const filter = filterObject({
      spec,
      target: layersFor(spec)[0]!,
      conditions: [...conditionsFor(spec, undefined, validateSpec(spec)), ...extra],
      providerKey: PORTCULLIS_PROVIDER_KEY,
      subLayerKey: PORTCULLIS_SUBLAYER_KEY,
      persistent: false,
    });
    return lib.fn.FwpmFilterAdd0(engine.handle, filter, null, [0]) as number;
  }
  const userId = (data: Uint8Array, type: number = FWP_DATA_TYPE.SECURITY_DESCRIPTOR_TYPE) => ({
    fieldKey: guidToStruct(FWPM_CONDITION.ALE_USER_ID),
    matchType: FWP_MATCH_TYPE.EQUAL,
    conditionValue: { type, u: type === FWP_DATA_TYPE.SID ? { sid: data } : { sd: { size: data.length, data } } },
  });
  const refused = (code: number) => {
    try {
      check('FwpmFilterAdd0', code, 'service filter');
    } catch (e) {
      return isWfpError(e) ? e.symbol : `not a WfpError: ${String(e)}`;
    }
    return 'accepted';
  };

  it('reads the DACL in order: a deny ACE ahead of an Everyone allow leaves out one service', async () => {
    const sd = Buffer.from(
      buildSecurityDescriptor({
        allow: [
          { sid: DIAGTRACK, mask: FWP_ACTRL_MATCH_FILTER },
          { sid: 'S-1-1-0', mask: FWP_ACTRL_MATCH_FILTER },
        ],
      }),
    );
    sd[20 + 8] = 1; // the first ACE becomes ACCESS_DENIED_ACE_TYPE: "D:(D;;CC;;;<DiagTrack>)(A;;CC;;;WD)"
    expect(refused(await addRaw([userId(new Uint8Array(sd))], 'block'))).toBe('accepted');
    expect(sim.connect(dot(DNSCACHE)).action).toBe('block');
    expect(sim.connect(dot()).action).toBe('block');
    expect(sim.connect(dot(DIAGTRACK)).action).toBe('permit');
  });

  it('refuses a malformed security descriptor with FWP_E_INVALID_PARAMETER, and adds nothing', async () => {
    const good = matchFilterDescriptor(DNSCACHE);
    expect(refused(await addRaw([userId(good)]))).toBe('accepted');
    const before = (await createFilterManager(engine).listOurs()).length;

    const edit = (f: (b: Buffer) => void, bytes: Uint8Array = good) => {
      const b = Buffer.from(bytes);
      f(b);
      return new Uint8Array(b);
    };
    const malformed: Record<string, Uint8Array> = {
      'shorter than its header': good.subarray(0, 19),
      'cut inside the owner SID': good.subarray(0, good.length - 4),
      'absolute, not self-relative': edit((b) => b.writeUInt16LE(0x0004, 2)),
      'DACL offset past the end': edit((b) => b.writeUInt32LE(good.length + 8, 16)),
      'DACL offset inside the header': edit((b) => b.writeUInt32LE(4, 16)),
      'AclSize larger than the descriptor': edit((b) => b.writeUInt16LE(0x400, 22)),
      'ACE larger than its ACL': edit((b) => b.writeUInt16LE(0x40, 30)),
      'ACE SID claiming 16 sub-authorities': edit((b) => (b[37] = 16)),
      'wrong revision': edit((b) => (b[0] = 2)),
      'AceCount beyond the ACEs present': edit((b) => b.writeUInt16LE(3, 24)),
    };
    for (const [what, bytes] of Object.entries(malformed)) {
      expect(refused(await addRaw([userId(bytes)])), what).toBe('FWP_E_INVALID_PARAMETER');
    }
    expect(refused(await addRaw([userId(encodeSid(DNSCACHE), FWP_DATA_TYPE.SID)]))).toBe('FWP_E_TYPE_MISMATCH');
    const badPackage = {
      fieldKey: guidToStruct(FWPM_CONDITION.ALE_PACKAGE_ID),
      matchType: FWP_MATCH_TYPE.EQUAL,
      conditionValue: { type: FWP_DATA_TYPE.SID, u: { sid: edit((b) => (b[0] = 3), encodeSid(WEATHER)) } },
    };
    expect(refused(await addRaw([badPackage]))).toBe('FWP_E_INVALID_PARAMETER');
    expect((await createFilterManager(engine).listOurs()).length).toBe(before);
  });

  it('names the failing call and the code in the error', async () => {
    const code = await addRaw([userId(new Uint8Array(8))]);
    expect(() => check('FwpmFilterAdd0', code, 'service filter')).toThrow(
      /FwpmFilterAdd0 \(service filter\) failed: FWP_E_INVALID_PARAMETER \(0x80320035\)/,
    );
  });
});
