// The Windows Filtering Platform value and management structures (fwptypes.h, fwpmtypes.h), in the SDK's order
// and with its names. The net event structures are in event-types.ts; types.ts exports both.
// koffi needs a name for every member: the SDK's anonymous unions and structs are named `u`, `s`, `localAddr` and
// `remoteAddr` here, and ANONYMOUS_MEMBERS says so, so layout checks see them as C does (transparent).
import koffi from 'koffi';

export const ANONYMOUS_MEMBERS: ReadonlySet<string> = new Set(['u', 'u2', 's', 'localAddr', 'remoteAddr']);

export const GUID = koffi.struct('GUID', {
  Data1: 'uint32_t',
  Data2: 'uint16_t',
  Data3: 'uint16_t',
  Data4: koffi.array('uint8_t', 8),
});

export const FILETIME = koffi.struct('FILETIME', {
  dwLowDateTime: 'uint32_t',
  dwHighDateTime: 'uint32_t',
});

// Enums are 4-byte ints on Windows x64; koffi sees them as uint32.
export const FWP_DATA_TYPE = koffi.alias('FWP_DATA_TYPE', 'uint32_t');
export const FWP_MATCH_TYPE = koffi.alias('FWP_MATCH_TYPE', 'uint32_t');
export const FWP_ACTION_TYPE = koffi.alias('FWP_ACTION_TYPE', 'uint32_t');
export const FWP_IP_VERSION = koffi.alias('FWP_IP_VERSION', 'uint32_t');
export const FWP_AF = koffi.alias('FWP_AF', 'uint32_t');
export const FWP_FILTER_ENUM_TYPE = koffi.alias('FWP_FILTER_ENUM_TYPE', 'uint32_t');
export const BOOL = koffi.alias('BOOL', 'int32_t');

// Variable length (8 + 4 * SubAuthorityCount bytes): passed as the bytes of one, never laid out by koffi.
export const SID = koffi.opaque('SID');

export const FWP_BYTE_ARRAY6 = koffi.struct('FWP_BYTE_ARRAY6', {
  byteArray6: koffi.array('uint8_t', 6),
});

export const FWP_BYTE_ARRAY16 = koffi.struct('FWP_BYTE_ARRAY16', {
  byteArray16: koffi.array('uint8_t', 16),
});

export const FWP_BYTE_BLOB = koffi.struct('FWP_BYTE_BLOB', {
  size: 'uint32_t',
  data: 'uint8_t *',
});

export const FWP_V4_ADDR_AND_MASK = koffi.struct('FWP_V4_ADDR_AND_MASK', {
  addr: 'uint32_t',
  mask: 'uint32_t',
});

export const FWP_V6_ADDR_AND_MASK = koffi.struct('FWP_V6_ADDR_AND_MASK', {
  addr: koffi.array('uint8_t', 16),
  prefixLength: 'uint8_t',
});

const valueMembers = {
  uint8: 'uint8_t',
  uint16: 'uint16_t',
  uint32: 'uint32_t',
  uint64: 'uint64_t *',
  int8: 'int8_t',
  int16: 'int16_t',
  int32: 'int32_t',
  int64: 'int64_t *',
  float32: 'float',
  double64: 'double *',
  byteArray16: 'FWP_BYTE_ARRAY16 *',
  byteBlob: 'FWP_BYTE_BLOB *',
  sid: 'SID *',
  /** A self-relative SECURITY_DESCRIPTOR in a blob (FWP_SECURITY_DESCRIPTOR_TYPE). */
  sd: 'FWP_BYTE_BLOB *',
  tokenInformation: 'void *',
  tokenAccessInformation: 'FWP_BYTE_BLOB *',
  unicodeString: 'char16_t *',
  byteArray6: 'FWP_BYTE_ARRAY6 *',
} as const;

export const FWP_VALUE0 = koffi.struct('FWP_VALUE0', {
  type: FWP_DATA_TYPE,
  u: koffi.union(valueMembers),
});

export const FWP_RANGE0 = koffi.struct('FWP_RANGE0', {
  valueLow: FWP_VALUE0,
  valueHigh: FWP_VALUE0,
});

export const FWP_CONDITION_VALUE0 = koffi.struct('FWP_CONDITION_VALUE0', {
  type: FWP_DATA_TYPE,
  u: koffi.union({
    ...valueMembers,
    v4AddrMask: 'FWP_V4_ADDR_AND_MASK *',
    v6AddrMask: 'FWP_V6_ADDR_AND_MASK *',
    rangeValue: 'FWP_RANGE0 *',
  }),
});

export const FWPM_DISPLAY_DATA0 = koffi.struct('FWPM_DISPLAY_DATA0', {
  name: 'char16_t *',
  description: 'char16_t *',
});

export const FWPM_FILTER_CONDITION0 = koffi.struct('FWPM_FILTER_CONDITION0', {
  fieldKey: GUID,
  matchType: FWP_MATCH_TYPE,
  conditionValue: FWP_CONDITION_VALUE0,
});

export const FWPM_ACTION0 = koffi.struct('FWPM_ACTION0', {
  type: FWP_ACTION_TYPE,
  u: koffi.union({ filterType: GUID, calloutKey: GUID }),
});

export const FWPM_SESSION0 = koffi.struct('FWPM_SESSION0', {
  sessionKey: GUID,
  displayData: FWPM_DISPLAY_DATA0,
  flags: 'uint32_t',
  txnWaitTimeoutInMSec: 'uint32_t',
  processId: 'uint32_t',
  sid: 'void *',
  username: 'char16_t *',
  kernelMode: BOOL,
});

export const FWPM_PROVIDER0 = koffi.struct('FWPM_PROVIDER0', {
  providerKey: GUID,
  displayData: FWPM_DISPLAY_DATA0,
  flags: 'uint32_t',
  providerData: FWP_BYTE_BLOB,
  serviceName: 'char16_t *',
});

export const FWPM_SUBLAYER0 = koffi.struct('FWPM_SUBLAYER0', {
  subLayerKey: GUID,
  displayData: FWPM_DISPLAY_DATA0,
  flags: 'uint32_t',
  providerKey: 'GUID *',
  providerData: FWP_BYTE_BLOB,
  weight: 'uint16_t',
});

export const FWPM_LAYER0 = koffi.struct('FWPM_LAYER0', {
  layerKey: GUID,
  displayData: FWPM_DISPLAY_DATA0,
  flags: 'uint32_t',
  numFields: 'uint32_t',
  field: 'void *',
  defaultSubLayerKey: GUID,
  layerId: 'uint16_t',
});

export const FWPM_FILTER0 = koffi.struct('FWPM_FILTER0', {
  filterKey: GUID,
  displayData: FWPM_DISPLAY_DATA0,
  flags: 'uint32_t',
  providerKey: 'GUID *',
  providerData: FWP_BYTE_BLOB,
  layerKey: GUID,
  subLayerKey: GUID,
  weight: FWP_VALUE0,
  numFilterConditions: 'uint32_t',
  filterCondition: 'FWPM_FILTER_CONDITION0 *',
  action: FWPM_ACTION0,
  u: koffi.union({ rawContext: 'uint64_t', providerContextKey: GUID }),
  reserved: 'GUID *',
  filterId: 'uint64_t',
  effectiveWeight: FWP_VALUE0,
});

export const FWPM_FILTER_ENUM_TEMPLATE0 = koffi.struct('FWPM_FILTER_ENUM_TEMPLATE0', {
  providerKey: 'GUID *',
  layerKey: GUID,
  enumType: FWP_FILTER_ENUM_TYPE,
  flags: 'uint32_t',
  providerContextTemplate: 'void *',
  numFilterConditions: 'uint32_t',
  filterCondition: 'FWPM_FILTER_CONDITION0 *',
  actionMask: 'uint32_t',
  calloutKey: 'GUID *',
});
