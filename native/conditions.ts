// AppFilterSpec -> the FWPM_FILTER0 objects koffi writes: which layers, which conditions.
import type { AppFilterSpec, PortMatch } from './api.js';
import { parseAddressOrPrefix, type ParsedRemote } from './decode/address.js';
import { encodeSid, matchFilterDescriptor } from './security-descriptor.js';
import { FWP_ACTION, FWP_CONDITION_FLAG, FWP_DATA_TYPE, FWP_MATCH_TYPE, FWPM_FILTER_FLAG } from './wfp/constants.js';
import { FWPM_CONDITION, FWPM_LAYER, guidToStruct, type GuidStruct } from './wfp/guids.js';

export const MAX_TAG_LENGTH = 200;
export const MAX_FILTER_WEIGHT = 15;
const ZERO_GUID: GuidStruct = { Data1: 0, Data2: 0, Data3: 0, Data4: [0, 0, 0, 0, 0, 0, 0, 0] };

export interface FilterTarget {
  layerKey: string;
  layerName: keyof typeof FWPM_LAYER;
  ipVersion: 4 | 6;
}

/**
 * The layers a spec needs: connect (out) and/or recv-accept (in), v4 and/or v6 as its addresses allow. Inbound is
 * ALE_AUTH_RECV_ACCEPT only: Enforce blocks nothing at ALE_AUTH_LISTEN, so a permit there would override nothing
 * of ours, and ALE_AUTH_LISTEN has no remote address or protocol conditions.
 */
export function layersFor(spec: AppFilterSpec, remote?: ParsedRemote): FilterTarget[] {
  const out: FilterTarget[] = [];
  const local = spec.localAddress !== undefined ? parseAddressOrPrefix(spec.localAddress) : undefined;
  const version = remote?.version ?? local?.version;
  const versions: (4 | 6)[] = version ? [version] : [4, 6];
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
  checkPort('localPort', spec.localPort, 0);
  checkPort('remotePort', spec.remotePort, 1);
  if (spec.loopback !== undefined && typeof spec.loopback !== 'boolean') throw new TypeError('loopback is a boolean');
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
  const remote = spec.remoteAddress !== undefined ? parseAddressOrPrefix(spec.remoteAddress) : undefined;
  const local = spec.localAddress !== undefined ? parseAddressOrPrefix(spec.localAddress) : undefined;
  if (remote && local && remote.version !== local.version)
    throw new TypeError(
      `localAddress ${spec.localAddress} and remoteAddress ${spec.remoteAddress} are of different IP versions`,
    );
  return remote;
}

/** Ports are 1..65535; the local port also carries ICMP types (0..255), so it may be 0. */
function checkPort(name: string, port: PortMatch | undefined, min: number): void {
  if (port === undefined) return;
  const ok = (n: unknown): boolean => Number.isInteger(n) && (n as number) >= min && (n as number) <= 65535;
  if (typeof port === 'number') {
    if (!ok(port)) throw new TypeError(`${name} must be ${min}..65535, got ${port}`);
    return;
  }
  if (!ok(port.from) || !ok(port.to) || port.from > port.to)
    throw new TypeError(`${name} range must be ${min}..65535 with from <= to, got ${port.from}..${port.to}`);
}

function portCondition(fieldKey: string, port: PortMatch): object {
  if (typeof port === 'number') return condition(fieldKey, FWP_DATA_TYPE.UINT16, 'uint16', port);
  return {
    fieldKey: guidToStruct(fieldKey),
    matchType: FWP_MATCH_TYPE.RANGE,
    conditionValue: {
      type: FWP_DATA_TYPE.RANGE_TYPE,
      u: {
        rangeValue: {
          valueLow: { type: FWP_DATA_TYPE.UINT16, u: { uint16: port.from } },
          valueHigh: { type: FWP_DATA_TYPE.UINT16, u: { uint16: port.to } },
        },
      },
    },
  };
}

function addressCondition(fieldKey: string, address: ParsedRemote): object {
  if (address.version === 4) {
    return address.prefix === 32
      ? condition(fieldKey, FWP_DATA_TYPE.UINT32, 'uint32', address.addr)
      : condition(fieldKey, FWP_DATA_TYPE.V4_ADDR_MASK, 'v4AddrMask', { addr: address.addr, mask: address.mask });
  }
  return address.prefix === 128
    ? condition(fieldKey, FWP_DATA_TYPE.BYTE_ARRAY16_TYPE, 'byteArray16', { byteArray16: address.addr })
    : condition(fieldKey, FWP_DATA_TYPE.V6_ADDR_MASK, 'v6AddrMask', {
        addr: address.addr,
        prefixLength: address.prefix,
      });
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
  // Ports by what they are, on every layer: IP_LOCAL_PORT is this computer's port (an inbound service's), and
  // IP_REMOTE_PORT the other side's (on an inbound layer, the sender's own source port). wireguard-windows
  // tunnel/firewall/rules.go permitDHCPIPv4 permits the inbound DHCP reply with local 68, remote 67.
  if (spec.localPort !== undefined) list.push(portCondition(FWPM_CONDITION.IP_LOCAL_PORT, spec.localPort));
  if (spec.remotePort !== undefined) list.push(portCondition(FWPM_CONDITION.IP_REMOTE_PORT, spec.remotePort));
  if (remote) list.push(addressCondition(FWPM_CONDITION.IP_REMOTE_ADDRESS, remote));
  if (spec.localAddress !== undefined)
    list.push(addressCondition(FWPM_CONDITION.IP_LOCAL_ADDRESS, parseAddressOrPrefix(spec.localAddress)));
  // Loopback by the flag Windows sets, not by 127.0.0.0/8 (wireguard-windows rules.go permitLoopback).
  if (spec.loopback)
    list.push({
      fieldKey: guidToStruct(FWPM_CONDITION.FLAGS),
      matchType: FWP_MATCH_TYPE.FLAGS_ALL_SET,
      conditionValue: { type: FWP_DATA_TYPE.UINT32, u: { uint32: FWP_CONDITION_FLAG.IS_LOOPBACK } },
    });
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
  // A plain permit is soft: a block in any other sublayer (Windows Defender Firewall, app isolation, a VPN's kill
  // switch) still wins ("Filter Arbitration", learn.microsoft.com). Hard only where the user asked on that rule:
  // a hard permit yields to nothing but a callout's veto, and would lift every other product's block with it.
  if (spec.action === 'permit' && spec.hard === true) flags |= FWPM_FILTER_FLAG.CLEAR_ACTION_RIGHT;
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
