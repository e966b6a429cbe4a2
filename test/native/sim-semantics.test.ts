// The simulator's filter semantics, each a rule of Windows with its source in native/sim/FIDELITY.md: arbitration
// across sublayers as "Filter Arbitration" states it, ports and addresses by side, the loopback flag, tokens.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppFilterSpec } from '../../native/api';
import { conditionsFor, filterObject, layersFor, validateSpec } from '../../native/conditions';
import { WfpEngine } from '../../native/engine';
import { matchFilterDescriptor } from '../../native/security-descriptor';
import type { SimConnection } from '../../native/sim-control';
import { FWP_DATA_TYPE, FWP_MATCH_TYPE, FWPM_FILTER_FLAG } from '../../native/wfp/constants';
import { FWPM_CONDITION, guidToStruct } from '../../native/wfp/guids';
import { serviceSid } from '../../electron/core/apps/service-sids';
import { simulator } from './helpers';

const { sim, lib } = simulator();
const PROVIDER = '6f1c3c2e-91a4-4e52-b1de-5a7d2f1e0a01';
const APP = 'C:\\Apps\\probe.exe';
const out = (extra: Partial<SimConnection> = {}): SimConnection => ({
  appPath: APP,
  localAddress: '192.168.1.10',
  remoteAddress: '203.0.113.9',
  localPort: 50000,
  remotePort: 443,
  protocol: 6,
  direction: 'out',
  ...extra,
});

describe('the simulator as Windows arbitrates and matches', () => {
  let engine: WfpEngine;
  let sublayers = 0;
  beforeEach(async () => {
    sim.reset();
    engine = await WfpEngine.open(lib, { dynamic: true, name: 'sim-semantics' });
    const code = lib.fn.FwpmProviderAdd0(
      engine.handle,
      {
        providerKey: guidToStruct(PROVIDER),
        displayData: { name: 'test', description: null },
        flags: 0,
        providerData: { size: 0, data: null },
        serviceName: null,
      },
      null,
    );
    expect(code).toBe(0);
  });
  afterEach(async () => {
    await engine.close();
  });

  /** A sublayer of this weight; returns its key. */
  function sublayer(weight: number): string {
    const key = `6f1c3c2e-91a4-4e52-b1de-5a7d2f1e0b${(++sublayers).toString(16).padStart(2, '0')}`;
    const code = lib.fn.FwpmSubLayerAdd0(
      engine.handle,
      {
        subLayerKey: guidToStruct(key),
        displayData: { name: `weight ${weight}`, description: null },
        flags: 0,
        providerKey: guidToStruct(PROVIDER),
        providerData: { size: 0, data: null },
        weight,
      },
      null,
    );
    expect(code).toBe(0);
    return key;
  }

  /** One outbound IPv4 filter for probe.exe in `sub`, hard (CLEAR_ACTION_RIGHT) or not; returns its id. */
  function add(
    sub: string,
    action: 'permit' | 'block',
    hard: boolean,
    extra: object[] = [],
    direction: 'out' | 'in' = 'out',
  ): number {
    const spec: AppFilterSpec = { action, direction, name: `${action}${hard ? ' hard' : ''}`, weight: 8 };
    const target = layersFor(spec).find((t) => t.ipVersion === 4)!;
    const filter = {
      ...filterObject({ spec, target, conditions: extra, providerKey: PROVIDER, subLayerKey: sub, persistent: false }),
      flags: hard ? FWPM_FILTER_FLAG.CLEAR_ACTION_RIGHT : 0,
    };
    const id: unknown[] = [0];
    expect(lib.fn.FwpmFilterAdd0(engine.handle, filter, null, id)).toBe(0);
    return Number(id[0]);
  }

  it('arbitrates sublayers by weight and filters by weight', () => {
    const high = sublayer(0x9000);
    const permit = add(high, 'permit', false);
    expect(sim.connect(out())).toEqual({ action: 'permit', filterId: permit });
  });

  it('a soft permit loses to a block in a lower sublayer', () => {
    add(sublayer(0xf000), 'permit', false);
    const block = add(sublayer(0x1000), 'block', false);
    expect(sim.connect(out())).toEqual({ action: 'block', filterId: block });
  });

  it('a hard permit is final over lower sublayers, soft or hard blocks alike', () => {
    const permit = add(sublayer(0xf000), 'permit', true);
    add(sublayer(0x1000), 'block', true);
    expect(sim.connect(out())).toEqual({ action: 'permit', filterId: permit });
  });

  it('a hard permit overrides a soft block of a higher sublayer; a hard block stays', () => {
    const softBlock = sublayer(0xfff0);
    add(softBlock, 'block', false);
    const permit = add(sublayer(0x1000), 'permit', true);
    expect(sim.connect(out())).toEqual({ action: 'permit', filterId: permit });
    const hardBlock = add(sublayer(0xffff), 'block', true);
    expect(sim.connect(out())).toEqual({ action: 'block', filterId: hardBlock });
  });

  const port = (field: string, value: number) => ({
    fieldKey: guidToStruct(field),
    matchType: FWP_MATCH_TYPE.EQUAL,
    conditionValue: { type: FWP_DATA_TYPE.UINT16, u: { uint16: value } },
  });

  it('local and remote ports keep their side on the inbound layer', () => {
    const sub = sublayer(0x9000);
    const byLocal = add(sub, 'block', false, [port(FWPM_CONDITION.IP_LOCAL_PORT, 445)], 'in');
    const inbound = (localPort: number, remotePort: number): SimConnection =>
      out({ direction: 'in', localPort, remotePort, remoteAddress: '192.168.1.77' });
    expect(sim.connect(inbound(445, 50123))).toEqual({ action: 'block', filterId: byLocal });
    // Sent FROM port 445 to another local port: the local-port condition does not match.
    expect(sim.connect(inbound(5357, 445)).filterId).not.toBe(byLocal);
    const byRemote = add(sub, 'block', false, [port(FWPM_CONDITION.IP_REMOTE_PORT, 445)], 'in');
    expect(sim.connect(inbound(5357, 445)).filterId).toBe(byRemote);
  });

  it('ICMPv6 types match the local port at the ALE layers', () => {
    const sub = sublayer(0x9000);
    const spec: AppFilterSpec = {
      action: 'block',
      direction: 'out',
      name: 'ndp',
      protocol: 58,
      localPort: { from: 133, to: 137 },
    };
    const target = layersFor(spec).find((t) => t.ipVersion === 6)!;
    const id: unknown[] = [0];
    const filter = filterObject({
      spec,
      target,
      conditions: conditionsFor(spec, undefined, validateSpec(spec)),
      providerKey: PROVIDER,
      subLayerKey: sub,
      persistent: false,
    });
    expect(lib.fn.FwpmFilterAdd0(engine.handle, filter, null, id)).toBe(0);
    const icmp = (type: number): SimConnection => ({
      ...out(),
      protocol: 58,
      localAddress: 'fe80::10',
      remoteAddress: 'ff02::2',
      localPort: type,
      remotePort: 0,
    });
    expect(sim.connect(icmp(133)).filterId).toBe(Number(id[0]));
    expect(sim.connect(icmp(128)).action).toBe('permit');
  });

  it('the loopback flag is set for 127.0.0.0/8 and ::1 only', () => {
    const sub = sublayer(0x9000);
    const flags = (match: number) => ({
      fieldKey: guidToStruct(FWPM_CONDITION.FLAGS),
      matchType: match,
      conditionValue: { type: FWP_DATA_TYPE.UINT32, u: { uint32: 1 } },
    });
    const loop = add(sub, 'block', false, [flags(FWP_MATCH_TYPE.FLAGS_ALL_SET)]);
    expect(sim.connect(out({ remoteAddress: '127.0.0.5' })).filterId).toBe(loop);
    expect(sim.connect(out()).action).toBe('permit');
    const notLoop = add(sublayer(0x8000), 'block', false, [flags(FWP_MATCH_TYPE.FLAGS_NONE_SET)]);
    expect(sim.connect(out()).filterId).toBe(notLoop);
  });

  it('a local address prefix matches the local side only', () => {
    const spec: AppFilterSpec = { action: 'block', direction: 'out', name: 'local', localAddress: '192.168.1.0/24' };
    const target = layersFor(spec)[0]!;
    const id: unknown[] = [0];
    const filter = filterObject({
      spec,
      target,
      conditions: conditionsFor(spec, undefined, validateSpec(spec)),
      providerKey: PROVIDER,
      subLayerKey: sublayer(0x9000),
      persistent: false,
    });
    expect(lib.fn.FwpmFilterAdd0(engine.handle, filter, null, id)).toBe(0);
    expect(sim.connect(out()).filterId).toBe(Number(id[0]));
    expect(sim.connect(out({ localAddress: '10.0.0.2', remoteAddress: '192.168.1.9' })).action).toBe('permit');
  });

  it("a service SID in the token's groups matches; the account alone, or an impersonation token, does not", () => {
    const sd = matchFilterDescriptor(serviceSid('BITS'));
    const byService = add(sublayer(0x9000), 'block', false, [
      {
        fieldKey: guidToStruct(FWPM_CONDITION.ALE_USER_ID),
        matchType: FWP_MATCH_TYPE.EQUAL,
        conditionValue: { type: FWP_DATA_TYPE.SECURITY_DESCRIPTOR_TYPE, u: { sd: { size: sd.length, data: sd } } },
      },
    ]);
    const bits = { userSid: 'S-1-5-18', token: { groupSids: [serviceSid('BITS')] } };
    expect(sim.connect(out(bits)).filterId).toBe(byService);
    expect(sim.connect(out({ userSid: 'S-1-5-18' })).action).toBe('permit');
    expect(
      sim.connect(out({ ...bits, token: { ...bits.token, impersonate: { userSid: 'S-1-5-21-1-2-3-1001' } } })).action,
    ).toBe('permit');
  });
});
