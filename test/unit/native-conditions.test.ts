import { describe, expect, it } from 'vitest';
import type { AppFilterSpec } from '../../native/api.js';
import { conditionsFor, filterObject, layersFor, validateSpec } from '../../native/conditions.js';
import { FWP_DATA_TYPE, FWPM_FILTER_FLAG } from '../../native/wfp/constants.js';
import {
  FWPM_LAYER,
  guidFromStruct,
  guidToStruct,
  PORTCULLIS_PROVIDER_KEY,
  PORTCULLIS_SUBLAYER_KEY,
} from '../../native/wfp/guids.js';

const base: AppFilterSpec = { appPath: 'C:\\Apps\\tool.exe', action: 'permit', direction: 'out', name: 'Allow tool' };

describe('filter conditions', () => {
  it('puts an outbound rule on both connect layers and an inbound one on both recv-accept layers', () => {
    expect(layersFor(base).map((t) => t.layerKey)).toEqual([
      FWPM_LAYER.ALE_AUTH_CONNECT_V4,
      FWPM_LAYER.ALE_AUTH_CONNECT_V6,
    ]);
    expect(layersFor({ ...base, direction: 'both' }).map((t) => t.layerName)).toEqual([
      'ALE_AUTH_CONNECT_V4',
      'ALE_AUTH_CONNECT_V6',
      'ALE_AUTH_RECV_ACCEPT_V4',
      'ALE_AUTH_RECV_ACCEPT_V6',
    ]);
  });

  it('narrows the layers to the family of the remote address', () => {
    const spec = { ...base, direction: 'both' as const, remoteAddress: '2001:db8::/32' };
    expect(layersFor(spec, validateSpec(spec)).map((t) => t.layerName)).toEqual([
      'ALE_AUTH_CONNECT_V6',
      'ALE_AUTH_RECV_ACCEPT_V6',
    ]);
  });

  it('builds typed conditions: v4 prefix as host-order address and mask', () => {
    const spec = { ...base, protocol: 6, remotePort: 443, remoteAddress: '10.0.0.0/8' };
    const list = conditionsFor(spec, new Uint8Array([1, 0]), validateSpec(spec)) as {
      conditionValue: { type: number; u: object };
    }[];
    expect(list.map((c) => c.conditionValue.type)).toEqual([
      FWP_DATA_TYPE.BYTE_BLOB_TYPE,
      FWP_DATA_TYPE.UINT8,
      FWP_DATA_TYPE.UINT16,
      FWP_DATA_TYPE.V4_ADDR_MASK,
    ]);
    expect(list[3]!.conditionValue.u).toEqual({ v4AddrMask: { addr: 0x0a000000, mask: 0xff000000 } });
  });

  it('makes permits soft unless the spec says hard, and stores the tag as UTF-8 provider data', () => {
    const hard = filterObject({
      spec: { ...base, hard: true },
      target: layersFor(base)[0]!,
      conditions: [],
      providerKey: PORTCULLIS_PROVIDER_KEY,
      subLayerKey: PORTCULLIS_SUBLAYER_KEY,
      persistent: false,
    }) as { flags: number };
    expect(hard.flags).toBe(FWPM_FILTER_FLAG.CLEAR_ACTION_RIGHT);
    const f = filterObject({
      spec: { ...base, tag: 'rule:42 ü' },
      target: layersFor(base)[0]!,
      conditions: [],
      providerKey: PORTCULLIS_PROVIDER_KEY,
      subLayerKey: PORTCULLIS_SUBLAYER_KEY,
      persistent: true,
    }) as { flags: number; providerData: { size: number; data: Buffer } };
    expect(f.flags).toBe(FWPM_FILTER_FLAG.PERSISTENT);
    expect(f.providerData.data.toString('utf8')).toBe('rule:42 ü');
    expect(f.providerData.size).toBe(Buffer.byteLength('rule:42 ü'));
  });

  it('rejects bad specs before anything reaches WFP', () => {
    expect(() => validateSpec({ ...base, remotePort: 0 })).toThrow(/remotePort/);
    expect(() => validateSpec({ ...base, weight: 16 })).toThrow(/weight/);
    expect(() => validateSpec({ ...base, tag: 'x'.repeat(201) })).toThrow(/tag/);
    expect(() => validateSpec({ ...base, remoteAddress: 'nope' })).toThrow(/not an address/);
  });

  it('round-trips GUID text through the struct form', () => {
    for (const g of Object.values(FWPM_LAYER)) expect(guidFromStruct(guidToStruct(g))).toBe(g);
    expect(guidToStruct('c38d57d1-05a7-4c33-904f-7fbceee60e82')).toEqual({
      Data1: 0xc38d57d1,
      Data2: 0x05a7,
      Data3: 0x4c33,
      Data4: [0x90, 0x4f, 0x7f, 0xbc, 0xee, 0xe6, 0x0e, 0x82],
    });
  });
});
