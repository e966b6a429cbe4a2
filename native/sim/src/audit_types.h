/*
 * The ntsecapi.h / winevt.h / winsvc.h structures the simulator's audit policy, Security-log subscription and
 * service control manager read and write, with the SDK's names and x64 layouts (held against
 * native/layout/golden.json by build/layout_asserts.h), and the hooks between those files and the classifier.
 */
#ifndef PORTCULLIS_SIM_AUDIT_TYPES_H
#define PORTCULLIS_SIM_AUDIT_TYPES_H

#include "sim.h"

typedef struct AUDIT_POLICY_INFORMATION {
  GUID AuditSubCategoryGuid;
  uint32_t AuditingInformation;
  GUID AuditCategoryGuid;
} AUDIT_POLICY_INFORMATION;

typedef struct EVT_VARIANT {
  union {
    uint64_t UInt64Val;
    uint32_t UInt32Val;
    uint16_t UInt16Val;
    const char16_t *StringVal;
    size_t SizeTVal;
  };
  uint32_t Count;
  uint32_t Type;
} EVT_VARIANT;

typedef struct SERVICE_STATUS_PROCESS {
  uint32_t dwServiceType;
  uint32_t dwCurrentState;
  uint32_t dwControlsAccepted;
  uint32_t dwWin32ExitCode;
  uint32_t dwServiceSpecificExitCode;
  uint32_t dwCheckPoint;
  uint32_t dwWaitHint;
  uint32_t dwProcessId;
  uint32_t dwServiceFlags;
} SERVICE_STATUS_PROCESS;

typedef struct ENUM_SERVICE_STATUS_PROCESSW {
  char16_t *lpServiceName;
  char16_t *lpDisplayName;
  SERVICE_STATUS_PROCESS ServiceStatusProcess;
} ENUM_SERVICE_STATUS_PROCESSW;

typedef struct LUID {
  uint32_t LowPart;
  int32_t HighPart;
} LUID;

typedef struct LUID_AND_ATTRIBUTES {
  LUID Luid;
  uint32_t Attributes;
} LUID_AND_ATTRIBUTES;

typedef struct TOKEN_PRIVILEGES {
  uint32_t PrivilegeCount;
  LUID_AND_ATTRIBUTES Privileges[1];
} TOKEN_PRIVILEGES;

/* POLICY_AUDIT_EVENT_* (ntsecapi.h) */
#define POLICY_AUDIT_EVENT_UNCHANGED 0x0u
#define POLICY_AUDIT_EVENT_SUCCESS 0x1u
#define POLICY_AUDIT_EVENT_FAILURE 0x2u
#define POLICY_AUDIT_EVENT_NONE 0x4u

/* audit_policy.c: the current setting of a subcategory (POLICY_AUDIT_EVENT_SUCCESS | _FAILURE bits). */
uint32_t audit_subcategory_setting(const GUID *subcategory);
extern const GUID AUDIT_FILTERING_PLATFORM_CONNECTION;
extern const GUID AUDIT_FILTERING_PLATFORM_PACKET_DROP;

/* Last-error for the functions that report through GetLastError (audit, wevtapi, SCM); per thread. */
void sim_set_last_error(uint32_t code);

/* evt.c: a connection was blocked; while "Filtering Platform Connection" audits failures, each of `count` attempts
   writes event 5157 to the Security log (to every subscription that asked for it). pid 0: the app's process. */
void audit_connection_blocked(const conn_ctx *x, const SIM_CONNECTION *c, const verdict *v, uint32_t pid,
                              uint32_t count);

/* etw.c: the process id the simulator gave a program (registering one when it has none). */
uint32_t sim_pid_of_app(const char16_t *path);

/* audit_policy.c: a token handle from OpenProcessToken; 0 when it is none. */
int32_t audit_close_token(void *handle);

/* evt.c / scm.c: kernel32 and SCM handles besides files and processes; CloseHandle asks here. */
int32_t evt_close_kernel_handle(void *handle);

#endif
