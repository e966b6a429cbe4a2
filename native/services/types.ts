// The structures the services source passes to and reads from Windows (ntsecapi.h, winevt.h, winsvc.h), in the
// SDK's order and with its names; test/unit/layout.test.ts holds them against the mingw-w64 golden file. EVT_VARIANT's
// anonymous union is named `u` (transparent to the layout check, as in C) and lists the members Portcullis reads.
import koffi from 'koffi';
import { GUID } from '../wfp/base-types.js';

export const AUDIT_POLICY_INFORMATION = koffi.struct('AUDIT_POLICY_INFORMATION', {
  AuditSubCategoryGuid: GUID,
  AuditingInformation: 'uint32_t',
  AuditCategoryGuid: GUID,
});

export const LUID = koffi.struct('LUID', { LowPart: 'uint32_t', HighPart: 'int32_t' });

export const LUID_AND_ATTRIBUTES = koffi.struct('LUID_AND_ATTRIBUTES', { Luid: LUID, Attributes: 'uint32_t' });

/** With one privilege, as AdjustTokenPrivileges is called here (ANYSIZE_ARRAY is 1). */
export const TOKEN_PRIVILEGES = koffi.struct('TOKEN_PRIVILEGES', {
  PrivilegeCount: 'uint32_t',
  Privileges: koffi.array(LUID_AND_ATTRIBUTES, 1),
});

export const EVT_VARIANT = koffi.struct('EVT_VARIANT', {
  u: koffi.union({
    UInt64Val: 'uint64_t',
    UInt32Val: 'uint32_t',
    UInt16Val: 'uint16_t',
    StringVal: 'char16_t *',
    SizeTVal: 'uint64_t',
  }),
  Count: 'uint32_t',
  Type: 'uint32_t',
});

export const SERVICE_STATUS_PROCESS = koffi.struct('SERVICE_STATUS_PROCESS', {
  dwServiceType: 'uint32_t',
  dwCurrentState: 'uint32_t',
  dwControlsAccepted: 'uint32_t',
  dwWin32ExitCode: 'uint32_t',
  dwServiceSpecificExitCode: 'uint32_t',
  dwCheckPoint: 'uint32_t',
  dwWaitHint: 'uint32_t',
  dwProcessId: 'uint32_t',
  dwServiceFlags: 'uint32_t',
});

export const ENUM_SERVICE_STATUS_PROCESSW = koffi.struct('ENUM_SERVICE_STATUS_PROCESSW', {
  lpServiceName: 'char16_t *',
  lpDisplayName: 'char16_t *',
  ServiceStatusProcess: SERVICE_STATUS_PROCESS,
});

export const SERVICES_STRUCTS = {
  LUID,
  LUID_AND_ATTRIBUTES,
  TOKEN_PRIVILEGES,
  AUDIT_POLICY_INFORMATION,
  EVT_VARIANT,
  SERVICE_STATUS_PROCESS,
  ENUM_SERVICE_STATUS_PROCESSW,
} as const;

/** "Filtering Platform Connection" {0CCE9226-69AE-11D9-BED3-505054503030}: events 5154..5159 (5157: blocked). */
export const AUDIT_FILTERING_PLATFORM_CONNECTION = {
  Data1: 0x0cce9226,
  Data2: 0x69ae,
  Data3: 0x11d9,
  Data4: [0xbe, 0xd3, 0x50, 0x50, 0x54, 0x50, 0x30, 0x30],
};

// ntsecapi.h
export const POLICY_AUDIT_EVENT_SUCCESS = 0x1;
export const POLICY_AUDIT_EVENT_FAILURE = 0x2;
export const POLICY_AUDIT_EVENT_NONE = 0x4;

// winsvc.h
export const SC_MANAGER_CONNECT = 0x1;
export const SC_MANAGER_ENUMERATE_SERVICE = 0x4;
export const SC_ENUM_PROCESS_INFO = 0;
export const SERVICE_WIN32_OWN_PROCESS = 0x10;
export const SERVICE_WIN32_SHARE_PROCESS = 0x20;
export const SERVICE_WIN32 = 0x30;
export const SERVICE_ACTIVE = 1;

// winevt.h
export const EVT_SUBSCRIBE_TO_FUTURE_EVENTS = 1;
export const EVT_RENDER_CONTEXT_VALUES = 0;
export const EVT_RENDER_EVENT_VALUES = 0;
export const EVT_VAR_TYPE = {
  Null: 0,
  String: 1,
  UInt16: 6,
  Int32: 7,
  UInt32: 8,
  Int64: 9,
  UInt64: 10,
  SizeT: 16,
  FileTime: 17,
  HexInt32: 20,
  HexInt64: 21,
} as const;

// winerror.h
export const SERVICES_ERRORS = {
  ERROR_FILE_NOT_FOUND: 2,
  ERROR_ACCESS_DENIED: 5,
  ERROR_INVALID_HANDLE: 6,
  ERROR_NOT_SUPPORTED: 50,
  ERROR_INVALID_PARAMETER: 87,
  ERROR_INSUFFICIENT_BUFFER: 122,
  ERROR_INVALID_LEVEL: 124,
  ERROR_MORE_DATA: 234,
  ERROR_NO_MORE_ITEMS: 259,
  ERROR_DATABASE_DOES_NOT_EXIST: 1065,
  ERROR_NOT_ALL_ASSIGNED: 1300,
  ERROR_NO_SUCH_PRIVILEGE: 1313,
  ERROR_PRIVILEGE_NOT_HELD: 1314,
  ERROR_EVT_INVALID_QUERY: 15001,
  ERROR_EVT_CHANNEL_NOT_FOUND: 15007,
} as const;

const NAMES = new Map<number, string>(Object.entries(SERVICES_ERRORS).map(([k, v]) => [v, k]));
export function servicesErrorSymbol(code: number): string {
  return NAMES.get(code) ?? `error ${code}`;
}
