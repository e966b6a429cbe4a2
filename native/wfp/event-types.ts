// The net event structures (fwpmtypes.h), FWPM_NET_EVENT1..5 and what their unions point to, in the SDK's order
// and with its names. Headers 2 and 3 and the newer details are transcribed from the current SDK.
import koffi from 'koffi';
import {
  BOOL,
  FILETIME,
  FWP_AF,
  FWP_BYTE_ARRAY16,
  FWP_BYTE_ARRAY6,
  FWP_BYTE_BLOB,
  FWP_IP_VERSION,
  GUID,
} from './base-types.js';

export const FWPM_NET_EVENT_TYPE = koffi.alias('FWPM_NET_EVENT_TYPE', 'uint32_t');
export const FWPM_APPC_NETWORK_CAPABILITY_TYPE = koffi.alias('FWPM_APPC_NETWORK_CAPABILITY_TYPE', 'uint32_t');

export const FWPM_NET_EVENT_ENUM_TEMPLATE0 = koffi.struct('FWPM_NET_EVENT_ENUM_TEMPLATE0', {
  startTime: FILETIME,
  endTime: FILETIME,
  numFilterConditions: 'uint32_t',
  filterCondition: 'FWPM_FILTER_CONDITION0 *',
});

export const FWPM_NET_EVENT_SUBSCRIPTION0 = koffi.struct('FWPM_NET_EVENT_SUBSCRIPTION0', {
  enumTemplate: 'FWPM_NET_EVENT_ENUM_TEMPLATE0 *',
  flags: 'uint32_t',
  sessionKey: GUID,
});

// The part every header version starts with (FWPM_NET_EVENT_HEADER0's fields).
const headerCommon = {
  timeStamp: FILETIME,
  flags: 'uint32_t',
  ipVersion: FWP_IP_VERSION,
  ipProtocol: 'uint8_t',
  localAddr: koffi.union({ localAddrV4: 'uint32_t', localAddrV6: FWP_BYTE_ARRAY16 }),
  remoteAddr: koffi.union({ remoteAddrV4: 'uint32_t', remoteAddrV6: FWP_BYTE_ARRAY16 }),
  localPort: 'uint16_t',
  remotePort: 'uint16_t',
  scopeId: 'uint32_t',
  appId: FWP_BYTE_BLOB,
  userId: 'void *',
} as const;

export const FWPM_NET_EVENT_HEADER1 = koffi.struct('FWPM_NET_EVENT_HEADER1', {
  ...headerCommon,
  u: koffi.union({
    s: koffi.struct({
      addressFamily: FWP_AF,
      u: koffi.union({
        s: koffi.struct({
          dstAddrEth: FWP_BYTE_ARRAY6,
          srcAddrEth: FWP_BYTE_ARRAY6,
          addrType: 'uint32_t',
          encapMethod: 'uint32_t',
          etherType: 'uint16_t',
          snapControl: 'uint32_t',
          snapOui: 'uint32_t',
          vlanTag: 'uint16_t',
          ifLuid: 'uint64_t',
        }),
      }),
    }),
  }),
});

export const FWPM_NET_EVENT_HEADER2 = koffi.struct('FWPM_NET_EVENT_HEADER2', {
  ...headerCommon,
  addressFamily: FWP_AF,
  packageSid: 'void *',
});

export const FWPM_NET_EVENT_HEADER3 = koffi.struct('FWPM_NET_EVENT_HEADER3', {
  ...headerCommon,
  addressFamily: FWP_AF,
  packageSid: 'void *',
  enterpriseId: 'char16_t *',
  policyFlags: 'uint64_t',
  effectiveName: FWP_BYTE_BLOB,
});

export const FWPM_NET_EVENT_CLASSIFY_DROP1 = koffi.struct('FWPM_NET_EVENT_CLASSIFY_DROP1', {
  filterId: 'uint64_t',
  layerId: 'uint16_t',
  reauthReason: 'uint32_t',
  originalProfile: 'uint32_t',
  currentProfile: 'uint32_t',
  msFwpDirection: 'uint32_t',
  isLoopback: BOOL,
});

export const FWPM_NET_EVENT_CLASSIFY_DROP2 = koffi.struct('FWPM_NET_EVENT_CLASSIFY_DROP2', {
  filterId: 'uint64_t',
  layerId: 'uint16_t',
  reauthReason: 'uint32_t',
  originalProfile: 'uint32_t',
  currentProfile: 'uint32_t',
  msFwpDirection: 'uint32_t',
  isLoopback: BOOL,
  vSwitchId: FWP_BYTE_BLOB,
  vSwitchSourcePort: 'uint32_t',
  vSwitchDestinationPort: 'uint32_t',
});

export const FWPM_NET_EVENT_CLASSIFY_ALLOW0 = koffi.struct('FWPM_NET_EVENT_CLASSIFY_ALLOW0', {
  filterId: 'uint64_t',
  layerId: 'uint16_t',
  reauthReason: 'uint32_t',
  originalProfile: 'uint32_t',
  currentProfile: 'uint32_t',
  msFwpDirection: 'uint32_t',
  isLoopback: BOOL,
});

export const FWPM_NET_EVENT_CAPABILITY_DROP0 = koffi.struct('FWPM_NET_EVENT_CAPABILITY_DROP0', {
  networkCapabilityId: FWPM_APPC_NETWORK_CAPABILITY_TYPE,
  filterId: 'uint64_t',
  isLoopback: BOOL,
});

export const FWPM_NET_EVENT_CAPABILITY_ALLOW0 = koffi.struct('FWPM_NET_EVENT_CAPABILITY_ALLOW0', {
  networkCapabilityId: FWPM_APPC_NETWORK_CAPABILITY_TYPE,
  filterId: 'uint64_t',
  isLoopback: BOOL,
});

// The event unions hold only pointers; members a firewall never reads stay untyped (void *).
export const FWPM_NET_EVENT1 = koffi.struct('FWPM_NET_EVENT1', {
  header: FWPM_NET_EVENT_HEADER1,
  type: FWPM_NET_EVENT_TYPE,
  u: koffi.union({
    ikeMmFailure: 'void *',
    ikeQmFailure: 'void *',
    ikeEmFailure: 'void *',
    classifyDrop: 'FWPM_NET_EVENT_CLASSIFY_DROP1 *',
    ipsecDrop: 'void *',
    idpDrop: 'void *',
  }),
});

const eventUnion2 = {
  ikeMmFailure: 'void *',
  ikeQmFailure: 'void *',
  ikeEmFailure: 'void *',
  classifyDrop: 'FWPM_NET_EVENT_CLASSIFY_DROP2 *',
  ipsecDrop: 'void *',
  idpDrop: 'void *',
  classifyAllow: 'FWPM_NET_EVENT_CLASSIFY_ALLOW0 *',
  capabilityDrop: 'FWPM_NET_EVENT_CAPABILITY_DROP0 *',
  capabilityAllow: 'FWPM_NET_EVENT_CAPABILITY_ALLOW0 *',
  classifyDropMac: 'void *',
} as const;

export const FWPM_NET_EVENT2 = koffi.struct('FWPM_NET_EVENT2', {
  header: FWPM_NET_EVENT_HEADER2,
  type: FWPM_NET_EVENT_TYPE,
  u: koffi.union(eventUnion2),
});

export const FWPM_NET_EVENT3 = koffi.struct('FWPM_NET_EVENT3', {
  header: FWPM_NET_EVENT_HEADER3,
  type: FWPM_NET_EVENT_TYPE,
  u: koffi.union(eventUnion2),
});

export const FWPM_NET_EVENT4 = koffi.struct('FWPM_NET_EVENT4', {
  header: FWPM_NET_EVENT_HEADER3,
  type: FWPM_NET_EVENT_TYPE,
  u: koffi.union(eventUnion2),
});

export const FWPM_NET_EVENT5 = koffi.struct('FWPM_NET_EVENT5', {
  header: FWPM_NET_EVENT_HEADER3,
  type: FWPM_NET_EVENT_TYPE,
  u: koffi.union({ ...eventUnion2, lpmPacketArrival: 'void *' }),
});
