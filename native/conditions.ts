// AppFilterSpec -> the FWPM_FILTER0 objects koffi writes: which layers, which conditions.
import type { AppFilterSpec } from './api.js';
import { parseAddressOrPrefix, type ParsedRemote } from './decode/address.js';
import { encodeSid, matchFilterDescriptor } from './security-descriptor.js';
import { FWP_ACTION, FWP_DATA_TYPE, FWP_MATCH_TYPE, FWPM_FILTER_FLAG } from './wfp/constants.js';
import { FWPM_CONDITION, FWPM_LAYER, guidToStruct, type GuidStruct } from './wfp/guids.js';

export const MAX_TAG_LENGTH = 200;
export const MAX_FILTER_WEIGHT = 15;
const ZERO_GUID: GuidStruct = { Data1: 0, Data2: 0, Data3: 0, Data4: [0, 0, 0, 0, 0, 0, 0, 0] };

export interface FilterTarget {
  layerKey: string;
  layerName: keyof typeof FWPM_LAYER;
  ipVersion: 4 | 6;
}

/** The layers a spec needs: connect (out) and/or recv-accept (in), v4 and/or v6 as its address allows. */
export function layersFor(spec: AppFilterSpec, remote?: ParsedRemote): FilterTarget[] {
  const out: FilterTarget[] = [];
  const versions: (4 | 6)[] = remote ? [remote.version] : [4, 6];
  const dirs = spec.direction === 'both' ? (['out', 'in'] as const) : [spec.direction];
  for (const dir of dirs) {
    for (const v of versions) {
      const layerName = `${dir === 'out' ? 'ALE_AUTH_CONNECT' : 'ALE_AUTH_RECV_ACCEPT'}_V${v}` as const;
      out.push({ layerKey: FWPM_LAYER[layerName], layerName, ipVersion: v });
    }
  }
  return out;
}

/** Checks what WFP would reject later with a vaguer error; returns the parsed remote address. */
export function validateSpec(spec: AppFilterSpec): ParsedRemote | undefined {
  if (spec.action !== 'permit' && spec.action !== 'block') throw new TypeError(`unknown action ${String(spec.action)}`);
  if (!['out', 'in', 'both'].includes(spec.direction))
    throw new TypeError(`unknown direction ${String(spec.direction)}`);
  if (spec.protocol !== undefined && !(Number.isInteger(spec.protocol) && spec.protocol >= 0 && spec.protocol <= 255)) {
    throw new TypeError(`protocol must be 0..255, got ${spec.protocol}`);
  }
  if (
    spec.remotePort !== undefined &&
    !(Number.isInteger(spec.remotePort) && spec.remotePort >= 1 && spec.remotePort <= 65535)
  ) {
    throw new TypeError(`remotePort must be 1..65535, got ${spec.remotePort}`);
  }
  if (
    spec.weight !== undefined &&
    !(Number.isInteger(spec.weight) && spec.weight >= 0 && spec.weight <= MAX_FILTER_WEIGHT)
  ) {
    throw new TypeError(`weight must be 0..${MAX_FILTER_WEIGHT}, got ${spec.weight}`);
  }
  if (spec.tag !== undefined && spec.tag.length > MAX_TAG_LENGTH) {
    throw new TypeError(`tag is longer than ${MAX_TAG_LENGTH} characters`);
  }
  if (!spec.name) throw new TypeError('a filter needs a name');
  if (spec.serviceSid !== undefined) encodeSid(spec.serviceSid);
  if (spec.packageSid !== undefined) encodeSid(spec.packageSid);
  return spec.remoteAddress !== undefined ? parseAddressOrPrefix(spec.remoteAddress) : undefined;
}

function condition(fieldKey: string, type: number, member: string, value: unknown): object {
  return {
    fieldKey: guidToStruct(fieldKey),
    matchType: FWP_MATCH_TYPE.EQUAL,
    conditionValue: { type, u: { [member]: value } },
  };
}

export function conditionsFor(
  spec: AppFilterSpec,
  appId: Uint8Array | undefined,
  remote: ParsedRemote | undefined,
): object[] {
  const list: object[] = [];
  if (appId)
    list.push(
      condition(FWPM_CONDITION.ALE_APP_ID, FWP_DATA_TYPE.BYTE_BLOB_TYPE, 'byteBlob', {
        size: appId.length,
        data: appId,
      }),
    );
  if (spec.serviceSid !== undefined) {
    const sd = matchFilterDescriptor(spec.serviceSid);
    list.push(
      condition(FWPM_CONDITION.ALE_USER_ID, FWP_DATA_TYPE.SECURITY_DESCRIPTOR_TYPE, 'sd', {
        size: sd.length,
        data: sd,
      }),
    );
  }
  if (spec.packageSid !== undefined)
    list.push(condition(FWPM_CONDITION.ALE_PACKAGE_ID, FWP_DATA_TYPE.SID, 'sid', encodeSid(spec.packageSid)));
  if (spec.protocol !== undefined)
    list.push(condition(FWPM_CONDITION.IP_PROTOCOL, FWP_DATA_TYPE.UINT8, 'uint8', spec.protocol));
  if (spec.remotePort !== undefined)
    list.push(condition(FWPM_CONDITION.IP_REMOTE_PORT, FWP_DATA_TYPE.UINT16, 'uint16', spec.remotePort));
  if (remote?.version === 4) {
    list.push(
      remote.prefix === 32
        ? condition(FWPM_CONDITION.IP_REMOTE_ADDRESS, FWP_DATA_TYPE.UINT32, 'uint32', remote.addr)
        : condition(FWPM_CONDITION.IP_REMOTE_ADDRESS, FWP_DATA_TYPE.V4_ADDR_MASK, 'v4AddrMask', {
            addr: remote.addr,
            mask: remote.mask,
          }),
    );
  } else if (remote?.version === 6) {
    list.push(
      remote.prefix === 128
        ? condition(FWPM_CONDITION.IP_REMOTE_ADDRESS, FWP_DATA_TYPE.BYTE_ARRAY16_TYPE, 'byteArray16', {
            byteArray16: remote.addr,
          })
        : condition(FWPM_CONDITION.IP_REMOTE_ADDRESS, FWP_DATA_TYPE.V6_ADDR_MASK, 'v6AddrMask', {
            addr: remote.addr,
            prefixLength: remote.prefix,
          }),
    );
  }
  return list;
}

export interface FilterObjectInput {
  spec: AppFilterSpec;
  target: FilterTarget;
  conditions: object[];
  providerKey: string;
  subLayerKey: string;
  persistent: boolean;
}

/** The JS object koffi encodes as FWPM_FILTER0. */
export function filterObject(input: FilterObjectInput): object {
  const { spec, target, conditions } = input;
  let flags = input.persistent ? FWPM_FILTER_FLAG.PERSISTENT : FWPM_FILTER_FLAG.NONE;
  // A plain permit is soft: a block in Windows Firewall's sublayer would still win. Ours must be hard.
  if (spec.action === 'permit') flags |= FWPM_FILTER_FLAG.CLEAR_ACTION_RIGHT;
  const tag = spec.tag !== undefined ? Buffer.from(spec.tag, 'utf8') : undefined;
  return {
    filterKey: ZERO_GUID,
    displayData: { name: spec.name, description: spec.description ?? null },
    flags,
    providerKey: guidToStruct(input.providerKey),
    providerData: tag && tag.length > 0 ? { size: tag.length, data: tag } : { size: 0, data: null },
    layerKey: guidToStruct(target.layerKey),
    subLayerKey: guidToStruct(input.subLayerKey),
    weight:
      spec.weight !== undefined
        ? { type: FWP_DATA_TYPE.UINT8, u: { uint8: spec.weight } }
        : { type: FWP_DATA_TYPE.EMPTY, u: { uint8: 0 } },
    numFilterConditions: conditions.length,
    filterCondition: conditions.length > 0 ? conditions : null,
    action: { type: spec.action === 'permit' ? FWP_ACTION.PERMIT : FWP_ACTION.BLOCK, u: { filterType: ZERO_GUID } },
    u: { rawContext: 0 },
    reserved: null,
    filterId: 0,
    effectiveWeight: { type: FWP_DATA_TYPE.EMPTY, u: { uint8: 0 } },
  };
}
