/*
 * The fwpuclnt.dll types the simulator implements, with the SDK's names and the x64 Windows layout on
 * every 64-bit platform: WCHAR is char16_t (never wchar_t, 4 bytes on Linux), DWORD/UINT32 are uint32_t
 * (never long), enums are 4 bytes, GUID is 4-byte aligned. build/layout_asserts.h, generated from
 * native/layout/golden.json, checks every size and offset here at compile time.
 */
#ifndef PORTCULLIS_SIM_WFP_TYPES_H
#define PORTCULLIS_SIM_WFP_TYPES_H

#include <stddef.h>
#include <stdint.h>
#include <uchar.h>

#include "../include/sim_control.h"

/* x64 has one calling convention; __stdcall only keeps 32-bit mingw builds honest. */
#ifdef _WIN32
#define SIM_WINAPI __stdcall
#else
#define SIM_WINAPI
#endif

typedef uint8_t UINT8;
typedef uint16_t UINT16;
typedef uint32_t UINT32;
typedef uint64_t UINT64;
typedef int8_t INT8;
typedef int16_t INT16;
typedef int32_t INT32;
typedef int64_t INT64;
typedef uint32_t DWORD;
typedef int32_t BOOL;
typedef char16_t WCHAR;
typedef void *HANDLE;

typedef struct GUID {
  uint32_t Data1;
  uint16_t Data2;
  uint16_t Data3;
  uint8_t Data4[8];
} GUID;

typedef struct FILETIME {
  uint32_t dwLowDateTime;
  uint32_t dwHighDateTime;
} FILETIME;

/* Variable length in reality; the simulator builds them byte by byte. */
typedef struct SID SID;
typedef struct FWP_TOKEN_INFORMATION FWP_TOKEN_INFORMATION;

typedef uint32_t FWP_DATA_TYPE;
typedef uint32_t FWP_MATCH_TYPE;
typedef uint32_t FWP_ACTION_TYPE;
typedef uint32_t FWP_IP_VERSION;
typedef uint32_t FWP_AF;
typedef uint32_t FWPM_NET_EVENT_TYPE;
typedef uint32_t FWP_FILTER_ENUM_TYPE;
typedef uint32_t FWPM_APPC_NETWORK_CAPABILITY_TYPE;
typedef uint32_t DL_ADDRESS_TYPE;
typedef uint32_t FWP_ETHER_ENCAP_METHOD;

typedef struct FWP_BYTE_ARRAY6 { UINT8 byteArray6[6]; } FWP_BYTE_ARRAY6;
typedef struct FWP_BYTE_ARRAY16 { UINT8 byteArray16[16]; } FWP_BYTE_ARRAY16;
typedef struct FWP_BYTE_BLOB { UINT32 size; UINT8 *data; } FWP_BYTE_BLOB;
typedef struct FWP_V4_ADDR_AND_MASK { UINT32 addr; UINT32 mask; } FWP_V4_ADDR_AND_MASK;
typedef struct FWP_V6_ADDR_AND_MASK { UINT8 addr[16]; UINT8 prefixLength; } FWP_V6_ADDR_AND_MASK;

#define FWP_VALUE_MEMBERS                                                                      \
  UINT8 uint8;                                                                                 \
  UINT16 uint16;                                                                               \
  UINT32 uint32;                                                                               \
  UINT64 *uint64;                                                                              \
  INT8 int8;                                                                                   \
  INT16 int16;                                                                                 \
  INT32 int32;                                                                                 \
  INT64 *int64;                                                                                \
  float float32;                                                                               \
  double *double64;                                                                            \
  FWP_BYTE_ARRAY16 *byteArray16;                                                               \
  FWP_BYTE_BLOB *byteBlob;                                                                     \
  SID *sid;                                                                                    \
  FWP_BYTE_BLOB *sd;                                                                           \
  FWP_TOKEN_INFORMATION *tokenInformation;                                                     \
  FWP_BYTE_BLOB *tokenAccessInformation;                                                       \
  WCHAR *unicodeString;                                                                        \
  FWP_BYTE_ARRAY6 *byteArray6;

typedef struct FWP_VALUE0 {
  FWP_DATA_TYPE type;
  union {
    FWP_VALUE_MEMBERS
  };
} FWP_VALUE0;

typedef struct FWP_RANGE0 { FWP_VALUE0 valueLow; FWP_VALUE0 valueHigh; } FWP_RANGE0;

typedef struct FWP_CONDITION_VALUE0 {
  FWP_DATA_TYPE type;
  union {
    FWP_VALUE_MEMBERS
    FWP_V4_ADDR_AND_MASK *v4AddrMask;
    FWP_V6_ADDR_AND_MASK *v6AddrMask;
    FWP_RANGE0 *rangeValue;
  };
} FWP_CONDITION_VALUE0;

typedef struct FWPM_DISPLAY_DATA0 { WCHAR *name; WCHAR *description; } FWPM_DISPLAY_DATA0;

/* SIM_LAYOUT_DRIFT_FOR_TEST moves localPort to where remotePort belongs, as a wrong transcription would. Only
   scripts/wine-lane/drift-check.mjs defines it, compiling without layout_asserts.h, to prove that the Windows
   lane fails on a layout the static asserts would have refused. */
#ifdef SIM_LAYOUT_DRIFT_FOR_TEST
#define NET_EVENT_HEADER_PORTS UINT16 remotePort; UINT16 localPort;
#else
#define NET_EVENT_HEADER_PORTS UINT16 localPort; UINT16 remotePort;
#endif

#define NET_EVENT_HEADER_COMMON                                                                \
  FILETIME timeStamp;                                                                          \
  UINT32 flags;                                                                                \
  FWP_IP_VERSION ipVersion;                                                                    \
  UINT8 ipProtocol;                                                                            \
  union {                                                                                      \
    UINT32 localAddrV4;                                                                        \
    FWP_BYTE_ARRAY16 localAddrV6;                                                              \
  };                                                                                           \
  union {                                                                                      \
    UINT32 remoteAddrV4;                                                                       \
    FWP_BYTE_ARRAY16 remoteAddrV6;                                                             \
  };                                                                                           \
  NET_EVENT_HEADER_PORTS                                                                       \
  UINT32 scopeId;                                                                              \
  FWP_BYTE_BLOB appId;                                                                         \
  SID *userId;

typedef struct FWPM_NET_EVENT_HEADER1 {
  NET_EVENT_HEADER_COMMON
  union {
    struct {
      FWP_AF addressFamily;
      union {
        struct {
          FWP_BYTE_ARRAY6 dstAddrEth;
          FWP_BYTE_ARRAY6 srcAddrEth;
          DL_ADDRESS_TYPE addrType;
          FWP_ETHER_ENCAP_METHOD encapMethod;
          UINT16 etherType;
          UINT32 snapControl;
          UINT32 snapOui;
          UINT16 vlanTag;
          UINT64 ifLuid;
        };
      };
    };
  };
} FWPM_NET_EVENT_HEADER1;

typedef struct FWPM_NET_EVENT_HEADER2 {
  NET_EVENT_HEADER_COMMON
  FWP_AF addressFamily;
  SID *packageSid;
} FWPM_NET_EVENT_HEADER2;

typedef struct FWPM_NET_EVENT_HEADER3 {
  NET_EVENT_HEADER_COMMON
  FWP_AF addressFamily;
  SID *packageSid;
  WCHAR *enterpriseId;
  UINT64 policyFlags;
  FWP_BYTE_BLOB effectiveName;
} FWPM_NET_EVENT_HEADER3;

#define CLASSIFY_COMMON                                                                        \
  UINT64 filterId;                                                                             \
  UINT16 layerId;                                                                              \
  UINT32 reauthReason;                                                                         \
  UINT32 originalProfile;                                                                      \
  UINT32 currentProfile;                                                                       \
  UINT32 msFwpDirection;                                                                       \
  BOOL isLoopback;

typedef struct FWPM_NET_EVENT_CLASSIFY_DROP1 { CLASSIFY_COMMON } FWPM_NET_EVENT_CLASSIFY_DROP1;
typedef struct FWPM_NET_EVENT_CLASSIFY_DROP2 {
  CLASSIFY_COMMON
  FWP_BYTE_BLOB vSwitchId;
  UINT32 vSwitchSourcePort;
  UINT32 vSwitchDestinationPort;
} FWPM_NET_EVENT_CLASSIFY_DROP2;
typedef struct FWPM_NET_EVENT_CLASSIFY_ALLOW0 { CLASSIFY_COMMON } FWPM_NET_EVENT_CLASSIFY_ALLOW0;
typedef struct FWPM_NET_EVENT_CAPABILITY_DROP0 {
  FWPM_APPC_NETWORK_CAPABILITY_TYPE networkCapabilityId;
  UINT64 filterId;
  BOOL isLoopback;
} FWPM_NET_EVENT_CAPABILITY_DROP0;
typedef FWPM_NET_EVENT_CAPABILITY_DROP0 FWPM_NET_EVENT_CAPABILITY_ALLOW0;

/* Pointees the simulator never fills: IKE/IPsec failures. */
typedef struct OPAQUE_EVENT_PART OPAQUE_EVENT_PART;

#define NET_EVENT_UNION1                                                                       \
  OPAQUE_EVENT_PART *ikeMmFailure;                                                             \
  OPAQUE_EVENT_PART *ikeQmFailure;                                                             \
  OPAQUE_EVENT_PART *ikeEmFailure;                                                             \
  void *classifyDrop;                                                                          \
  OPAQUE_EVENT_PART *ipsecDrop;                                                                \
  OPAQUE_EVENT_PART *idpDrop;
#define NET_EVENT_UNION2                                                                       \
  NET_EVENT_UNION1                                                                             \
  FWPM_NET_EVENT_CLASSIFY_ALLOW0 *classifyAllow;                                               \
  FWPM_NET_EVENT_CAPABILITY_DROP0 *capabilityDrop;                                             \
  FWPM_NET_EVENT_CAPABILITY_ALLOW0 *capabilityAllow;                                           \
  OPAQUE_EVENT_PART *classifyDropMac;

typedef struct FWPM_NET_EVENT1 {
  FWPM_NET_EVENT_HEADER1 header;
  FWPM_NET_EVENT_TYPE type;
  union { NET_EVENT_UNION1 };
} FWPM_NET_EVENT1;
typedef struct FWPM_NET_EVENT2 {
  FWPM_NET_EVENT_HEADER2 header;
  FWPM_NET_EVENT_TYPE type;
  union { NET_EVENT_UNION2 };
} FWPM_NET_EVENT2;
typedef struct FWPM_NET_EVENT3 {
  FWPM_NET_EVENT_HEADER3 header;
  FWPM_NET_EVENT_TYPE type;
  union { NET_EVENT_UNION2 };
} FWPM_NET_EVENT3;
typedef FWPM_NET_EVENT3 FWPM_NET_EVENT4;
typedef struct FWPM_NET_EVENT5 {
  FWPM_NET_EVENT_HEADER3 header;
  FWPM_NET_EVENT_TYPE type;
  union {
    NET_EVENT_UNION2
    OPAQUE_EVENT_PART *lpmPacketArrival;
  };
} FWPM_NET_EVENT5;

typedef struct FWPM_FILTER_CONDITION0 {
  GUID fieldKey;
  FWP_MATCH_TYPE matchType;
  FWP_CONDITION_VALUE0 conditionValue;
} FWPM_FILTER_CONDITION0;

typedef struct FWPM_NET_EVENT_ENUM_TEMPLATE0 {
  FILETIME startTime;
  FILETIME endTime;
  UINT32 numFilterConditions;
  FWPM_FILTER_CONDITION0 *filterCondition;
} FWPM_NET_EVENT_ENUM_TEMPLATE0;

typedef struct FWPM_NET_EVENT_SUBSCRIPTION0 {
  FWPM_NET_EVENT_ENUM_TEMPLATE0 *enumTemplate;
  UINT32 flags;
  GUID sessionKey;
} FWPM_NET_EVENT_SUBSCRIPTION0;

typedef struct FWPM_SESSION0 {
  GUID sessionKey;
  FWPM_DISPLAY_DATA0 displayData;
  UINT32 flags;
  UINT32 txnWaitTimeoutInMSec;
  DWORD processId;
  SID *sid;
  WCHAR *username;
  BOOL kernelMode;
} FWPM_SESSION0;

typedef struct FWPM_PROVIDER0 {
  GUID providerKey;
  FWPM_DISPLAY_DATA0 displayData;
  UINT32 flags;
  FWP_BYTE_BLOB providerData;
  WCHAR *serviceName;
} FWPM_PROVIDER0;

typedef struct FWPM_SUBLAYER0 {
  GUID subLayerKey;
  FWPM_DISPLAY_DATA0 displayData;
  UINT32 flags;
  GUID *providerKey;
  FWP_BYTE_BLOB providerData;
  UINT16 weight;
} FWPM_SUBLAYER0;

typedef struct FWPM_FIELD0 FWPM_FIELD0; /* never filled in here: numFields is 0 */

typedef struct FWPM_LAYER0 {
  GUID layerKey;
  FWPM_DISPLAY_DATA0 displayData;
  UINT32 flags;
  UINT32 numFields;
  FWPM_FIELD0 *field;
  GUID defaultSubLayerKey;
  UINT16 layerId;
} FWPM_LAYER0;

typedef struct FWPM_ACTION0 {
  FWP_ACTION_TYPE type;
  union {
    GUID filterType;
    GUID calloutKey;
  };
} FWPM_ACTION0;

typedef struct FWPM_FILTER0 {
  GUID filterKey;
  FWPM_DISPLAY_DATA0 displayData;
  UINT32 flags;
  GUID *providerKey;
  FWP_BYTE_BLOB providerData;
  GUID layerKey;
  GUID subLayerKey;
  FWP_VALUE0 weight;
  UINT32 numFilterConditions;
  FWPM_FILTER_CONDITION0 *filterCondition;
  FWPM_ACTION0 action;
  union {
    UINT64 rawContext;
    GUID providerContextKey;
  };
  GUID *reserved;
  UINT64 filterId;
  FWP_VALUE0 effectiveWeight;
} FWPM_FILTER0;

typedef struct FWPM_PROVIDER_CONTEXT_ENUM_TEMPLATE0 FWPM_PROVIDER_CONTEXT_ENUM_TEMPLATE0;
typedef struct FWPM_FILTER_ENUM_TEMPLATE0 {
  GUID *providerKey;
  GUID layerKey;
  FWP_FILTER_ENUM_TYPE enumType;
  UINT32 flags;
  FWPM_PROVIDER_CONTEXT_ENUM_TEMPLATE0 *providerContextTemplate;
  UINT32 numFilterConditions;
  FWPM_FILTER_CONDITION0 *filterCondition;
  UINT32 actionMask;
  GUID *calloutKey;
} FWPM_FILTER_ENUM_TEMPLATE0;

typedef void(SIM_WINAPI *FWPM_NET_EVENT_CALLBACK)(void *context, const void *event);

/* ---- values (SDK) ---- */
enum {
  FWP_EMPTY = 0, FWP_UINT8 = 1, FWP_UINT16 = 2, FWP_UINT32 = 3, FWP_UINT64 = 4,
  FWP_BYTE_ARRAY16_TYPE = 11, FWP_BYTE_BLOB_TYPE = 12, FWP_SID = 13, FWP_SECURITY_DESCRIPTOR_TYPE = 14,
  FWP_V4_ADDR_MASK = 0x100, FWP_V6_ADDR_MASK = 0x101, FWP_RANGE_TYPE = 0x102
};
enum {
  FWP_MATCH_EQUAL = 0,
  FWP_MATCH_RANGE = 5,
  FWP_MATCH_FLAGS_ALL_SET = 6,
  FWP_MATCH_FLAGS_ANY_SET = 7,
  FWP_MATCH_FLAGS_NONE_SET = 8,
  FWP_MATCH_NOT_EQUAL = 10
};
#define FWP_CONDITION_FLAG_IS_LOOPBACK 0x00000001u
#define FWP_ACTRL_MATCH_FILTER 0x00000001u
enum {
  FWP_ACTION_BLOCK = 0x1001, FWP_ACTION_PERMIT = 0x1002, FWP_ACTION_CALLOUT_TERMINATING = 0x5003,
  FWP_ACTION_CALLOUT_INSPECTION = 0x6004, FWP_ACTION_CALLOUT_UNKNOWN = 0x4005, FWP_ACTION_CONTINUE = 0x2006
};
enum { FWP_IP_VERSION_V4 = 0, FWP_IP_VERSION_V6 = 1, FWP_IP_VERSION_NONE = 2 };
enum { FWP_AF_INET = 0, FWP_AF_INET6 = 1 };
enum {
  FWPM_NET_EVENT_TYPE_CLASSIFY_DROP = 3, FWPM_NET_EVENT_TYPE_CLASSIFY_ALLOW = 6,
  FWPM_NET_EVENT_TYPE_CAPABILITY_DROP = 7, FWPM_NET_EVENT_TYPE_CAPABILITY_ALLOW = 8
};
enum {
  FWPM_NET_EVENT_FLAG_IP_PROTOCOL_SET = 0x1, FWPM_NET_EVENT_FLAG_LOCAL_ADDR_SET = 0x2,
  FWPM_NET_EVENT_FLAG_REMOTE_ADDR_SET = 0x4, FWPM_NET_EVENT_FLAG_LOCAL_PORT_SET = 0x8,
  FWPM_NET_EVENT_FLAG_REMOTE_PORT_SET = 0x10, FWPM_NET_EVENT_FLAG_APP_ID_SET = 0x20,
  FWPM_NET_EVENT_FLAG_USER_ID_SET = 0x40, FWPM_NET_EVENT_FLAG_SCOPE_ID_SET = 0x80,
  FWPM_NET_EVENT_FLAG_IP_VERSION_SET = 0x100, FWPM_NET_EVENT_FLAG_REAUTH_REASON_SET = 0x200,
  FWPM_NET_EVENT_FLAG_PACKAGE_ID_SET = 0x400, FWPM_NET_EVENT_FLAG_ENTERPRISE_ID_SET = 0x800,
  FWPM_NET_EVENT_FLAG_POLICY_FLAGS_SET = 0x1000, FWPM_NET_EVENT_FLAG_EFFECTIVE_NAME_SET = 0x2000
};
enum { FWPM_NET_EVENT_KEYWORD_CAPABILITY_DROP = 0x4, FWPM_NET_EVENT_KEYWORD_CAPABILITY_ALLOW = 0x8,
       FWPM_NET_EVENT_KEYWORD_CLASSIFY_ALLOW = 0x10 };
enum {
  FWPM_ENGINE_COLLECT_NET_EVENTS = 0, FWPM_ENGINE_NET_EVENT_MATCH_ANY_KEYWORDS = 1,
  FWPM_ENGINE_NAME_CACHE = 2, FWPM_ENGINE_MONITOR_IPSEC_CONNECTIONS = 3, FWPM_ENGINE_PACKET_QUEUING = 4,
  FWPM_ENGINE_TXN_WATCHDOG_TIMEOUT_IN_MSEC = 5, FWPM_ENGINE_OPTION_MAX = 6
};
enum { FWPM_SESSION_FLAG_DYNAMIC = 0x1 };
enum { FWPM_PROVIDER_FLAG_PERSISTENT = 0x1, FWPM_SUBLAYER_FLAG_PERSISTENT = 0x1 };
enum {
  FWPM_FILTER_FLAG_PERSISTENT = 0x1, FWPM_FILTER_FLAG_BOOTTIME = 0x2,
  FWPM_FILTER_FLAG_CLEAR_ACTION_RIGHT = 0x8, FWPM_FILTER_FLAG_DISABLED = 0x20
};
enum { FWP_DIRECTION_IN = 0x3900, FWP_DIRECTION_OUT = 0x3901 };
enum {
  FWPS_LAYER_ALE_AUTH_RECV_ACCEPT_V4 = 44, FWPS_LAYER_ALE_AUTH_RECV_ACCEPT_V6 = 46,
  FWPS_LAYER_ALE_AUTH_CONNECT_V4 = 48, FWPS_LAYER_ALE_AUTH_CONNECT_V6 = 50
};
#define RPC_C_AUTHN_WINNT 10u
#define RPC_C_AUTHN_DEFAULT 0xFFFFFFFFu

/* ---- errors (winerror.h) ---- */
#define ERROR_SUCCESS 0u
#define ERROR_FILE_NOT_FOUND 2u
#define ERROR_PATH_NOT_FOUND 3u
#define ERROR_ACCESS_DENIED 5u
#define ERROR_INVALID_HANDLE 6u
#define ERROR_NOT_ENOUGH_MEMORY 8u
#define ERROR_INVALID_DATA 13u
#define ERROR_INVALID_PARAMETER 87u
#define ERROR_INSUFFICIENT_BUFFER 122u
#define RPC_S_SERVER_UNAVAILABLE 1722u
#define RPC_S_CALL_FAILED 1726u
#define RPC_S_UNKNOWN_AUTHN_SERVICE 1747u
#define EPT_S_NOT_REGISTERED 1753u
#define FWP_E_CONDITION_NOT_FOUND 0x80320002u
#define FWP_E_FILTER_NOT_FOUND 0x80320003u
#define FWP_E_LAYER_NOT_FOUND 0x80320004u
#define FWP_E_PROVIDER_NOT_FOUND 0x80320005u
#define FWP_E_SUBLAYER_NOT_FOUND 0x80320007u
#define FWP_E_NOT_FOUND 0x80320008u
#define FWP_E_ALREADY_EXISTS 0x80320009u
#define FWP_E_IN_USE 0x8032000Au
#define FWP_E_DYNAMIC_SESSION_IN_PROGRESS 0x8032000Bu
#define FWP_E_NO_TXN_IN_PROGRESS 0x8032000Du
#define FWP_E_TXN_IN_PROGRESS 0x8032000Eu
#define FWP_E_TIMEOUT 0x80320012u
#define FWP_E_LIFETIME_MISMATCH 0x80320016u
#define FWP_E_NULL_POINTER 0x8032001Cu
#define FWP_E_INVALID_ENUMERATOR 0x8032001Du
#define FWP_E_INVALID_FLAGS 0x8032001Eu
#define FWP_E_INVALID_NET_MASK 0x8032001Fu
#define FWP_E_INVALID_RANGE 0x80320020u
#define FWP_E_NULL_DISPLAY_NAME 0x80320023u
#define FWP_E_INVALID_ACTION_TYPE 0x80320024u
#define FWP_E_INVALID_WEIGHT 0x80320025u
#define FWP_E_MATCH_TYPE_MISMATCH 0x80320026u
#define FWP_E_TYPE_MISMATCH 0x80320027u
#define FWP_E_CALLOUT_NOT_FOUND 0x80320001u
#define FWP_E_INVALID_PARAMETER 0x80320035u

#endif
