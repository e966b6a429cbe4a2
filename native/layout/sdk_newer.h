/*
 * Net-event structs of the Windows SDK's fwpmtypes.h that the mingw-w64 headers do not carry
 * (Windows 8 and later). Field lists transcribed from the SDK, names unchanged; compiled with the same
 * mingw-w64 compiler as the older structs so their x64 layouts come from the same rules.
 * Include after <fwpmu.h>.
 */
#ifndef PORTCULLIS_LAYOUT_SDK_NEWER_H
#define PORTCULLIS_LAYOUT_SDK_NEWER_H

/* Only pointed to by the event unions below; their contents do not matter for the layouts. */
struct FWPM_NET_EVENT_IKEEXT_MM_FAILURE2_;
struct FWPM_NET_EVENT_IKEEXT_QM_FAILURE1_;
struct FWPM_NET_EVENT_CLASSIFY_DROP_MAC0_;
struct FWPM_NET_EVENT_LPM_PACKET_ARRIVAL0_;

typedef enum FWPM_APPC_NETWORK_CAPABILITY_TYPE_ {
  FWPM_APPC_NETWORK_CAPABILITY_INTERNET_CLIENT = 0,
  FWPM_APPC_NETWORK_CAPABILITY_INTERNET_CLIENT_SERVER = 1,
  FWPM_APPC_NETWORK_CAPABILITY_INTERNET_PRIVATE_NETWORK = 2
} FWPM_APPC_NETWORK_CAPABILITY_TYPE;

typedef struct FWPM_NET_EVENT_HEADER2_ {
  FILETIME timeStamp;
  UINT32 flags;
  FWP_IP_VERSION ipVersion;
  UINT8 ipProtocol;
  __C89_NAMELESS union {
    UINT32 localAddrV4;
    FWP_BYTE_ARRAY16 localAddrV6;
  };
  __C89_NAMELESS union {
    UINT32 remoteAddrV4;
    FWP_BYTE_ARRAY16 remoteAddrV6;
  };
  UINT16 localPort;
  UINT16 remotePort;
  UINT32 scopeId;
  FWP_BYTE_BLOB appId;
  SID *userId;
  FWP_AF addressFamily;
  SID *packageSid;
} FWPM_NET_EVENT_HEADER2;

typedef struct FWPM_NET_EVENT_HEADER3_ {
  FILETIME timeStamp;
  UINT32 flags;
  FWP_IP_VERSION ipVersion;
  UINT8 ipProtocol;
  __C89_NAMELESS union {
    UINT32 localAddrV4;
    FWP_BYTE_ARRAY16 localAddrV6;
  };
  __C89_NAMELESS union {
    UINT32 remoteAddrV4;
    FWP_BYTE_ARRAY16 remoteAddrV6;
  };
  UINT16 localPort;
  UINT16 remotePort;
  UINT32 scopeId;
  FWP_BYTE_BLOB appId;
  SID *userId;
  FWP_AF addressFamily;
  SID *packageSid;
  wchar_t *enterpriseId;
  UINT64 policyFlags;
  FWP_BYTE_BLOB effectiveName;
} FWPM_NET_EVENT_HEADER3;

typedef struct FWPM_NET_EVENT_CLASSIFY_DROP2_ {
  UINT64 filterId;
  UINT16 layerId;
  UINT32 reauthReason;
  UINT32 originalProfile;
  UINT32 currentProfile;
  UINT32 msFwpDirection;
  BOOL isLoopback;
  FWP_BYTE_BLOB vSwitchId;
  UINT32 vSwitchSourcePort;
  UINT32 vSwitchDestinationPort;
} FWPM_NET_EVENT_CLASSIFY_DROP2;

typedef struct FWPM_NET_EVENT_CLASSIFY_ALLOW0_ {
  UINT64 filterId;
  UINT16 layerId;
  UINT32 reauthReason;
  UINT32 originalProfile;
  UINT32 currentProfile;
  UINT32 msFwpDirection;
  BOOL isLoopback;
} FWPM_NET_EVENT_CLASSIFY_ALLOW0;

typedef struct FWPM_NET_EVENT_CAPABILITY_DROP0_ {
  FWPM_APPC_NETWORK_CAPABILITY_TYPE networkCapabilityId;
  UINT64 filterId;
  BOOL isLoopback;
} FWPM_NET_EVENT_CAPABILITY_DROP0;

typedef struct FWPM_NET_EVENT_CAPABILITY_ALLOW0_ {
  FWPM_APPC_NETWORK_CAPABILITY_TYPE networkCapabilityId;
  UINT64 filterId;
  BOOL isLoopback;
} FWPM_NET_EVENT_CAPABILITY_ALLOW0;

/* EVENT2 and EVENT3 share the union; EVENT4 changes two pointee types; EVENT5 adds lpmPacketArrival. */
typedef struct FWPM_NET_EVENT2_ {
  FWPM_NET_EVENT_HEADER2 header;
  FWPM_NET_EVENT_TYPE type;
  __C89_NAMELESS union {
    FWPM_NET_EVENT_IKEEXT_MM_FAILURE1 *ikeMmFailure;
    FWPM_NET_EVENT_IKEEXT_QM_FAILURE0 *ikeQmFailure;
    FWPM_NET_EVENT_IKEEXT_EM_FAILURE1 *ikeEmFailure;
    FWPM_NET_EVENT_CLASSIFY_DROP2 *classifyDrop;
    FWPM_NET_EVENT_IPSEC_KERNEL_DROP0 *ipsecDrop;
    FWPM_NET_EVENT_IPSEC_DOSP_DROP0 *idpDrop;
    FWPM_NET_EVENT_CLASSIFY_ALLOW0 *classifyAllow;
    FWPM_NET_EVENT_CAPABILITY_DROP0 *capabilityDrop;
    FWPM_NET_EVENT_CAPABILITY_ALLOW0 *capabilityAllow;
    struct FWPM_NET_EVENT_CLASSIFY_DROP_MAC0_ *classifyDropMac;
  };
} FWPM_NET_EVENT2;

typedef struct FWPM_NET_EVENT3_ {
  FWPM_NET_EVENT_HEADER3 header;
  FWPM_NET_EVENT_TYPE type;
  __C89_NAMELESS union {
    FWPM_NET_EVENT_IKEEXT_MM_FAILURE1 *ikeMmFailure;
    FWPM_NET_EVENT_IKEEXT_QM_FAILURE0 *ikeQmFailure;
    FWPM_NET_EVENT_IKEEXT_EM_FAILURE1 *ikeEmFailure;
    FWPM_NET_EVENT_CLASSIFY_DROP2 *classifyDrop;
    FWPM_NET_EVENT_IPSEC_KERNEL_DROP0 *ipsecDrop;
    FWPM_NET_EVENT_IPSEC_DOSP_DROP0 *idpDrop;
    FWPM_NET_EVENT_CLASSIFY_ALLOW0 *classifyAllow;
    FWPM_NET_EVENT_CAPABILITY_DROP0 *capabilityDrop;
    FWPM_NET_EVENT_CAPABILITY_ALLOW0 *capabilityAllow;
    struct FWPM_NET_EVENT_CLASSIFY_DROP_MAC0_ *classifyDropMac;
  };
} FWPM_NET_EVENT3;

typedef struct FWPM_NET_EVENT4_ {
  FWPM_NET_EVENT_HEADER3 header;
  FWPM_NET_EVENT_TYPE type;
  __C89_NAMELESS union {
    struct FWPM_NET_EVENT_IKEEXT_MM_FAILURE2_ *ikeMmFailure;
    struct FWPM_NET_EVENT_IKEEXT_QM_FAILURE1_ *ikeQmFailure;
    FWPM_NET_EVENT_IKEEXT_EM_FAILURE1 *ikeEmFailure;
    FWPM_NET_EVENT_CLASSIFY_DROP2 *classifyDrop;
    FWPM_NET_EVENT_IPSEC_KERNEL_DROP0 *ipsecDrop;
    FWPM_NET_EVENT_IPSEC_DOSP_DROP0 *idpDrop;
    FWPM_NET_EVENT_CLASSIFY_ALLOW0 *classifyAllow;
    FWPM_NET_EVENT_CAPABILITY_DROP0 *capabilityDrop;
    FWPM_NET_EVENT_CAPABILITY_ALLOW0 *capabilityAllow;
    struct FWPM_NET_EVENT_CLASSIFY_DROP_MAC0_ *classifyDropMac;
  };
} FWPM_NET_EVENT4;

typedef struct FWPM_NET_EVENT5_ {
  FWPM_NET_EVENT_HEADER3 header;
  FWPM_NET_EVENT_TYPE type;
  __C89_NAMELESS union {
    struct FWPM_NET_EVENT_IKEEXT_MM_FAILURE2_ *ikeMmFailure;
    struct FWPM_NET_EVENT_IKEEXT_QM_FAILURE1_ *ikeQmFailure;
    FWPM_NET_EVENT_IKEEXT_EM_FAILURE1 *ikeEmFailure;
    FWPM_NET_EVENT_CLASSIFY_DROP2 *classifyDrop;
    FWPM_NET_EVENT_IPSEC_KERNEL_DROP0 *ipsecDrop;
    FWPM_NET_EVENT_IPSEC_DOSP_DROP0 *idpDrop;
    FWPM_NET_EVENT_CLASSIFY_ALLOW0 *classifyAllow;
    FWPM_NET_EVENT_CAPABILITY_DROP0 *capabilityDrop;
    FWPM_NET_EVENT_CAPABILITY_ALLOW0 *capabilityAllow;
    struct FWPM_NET_EVENT_CLASSIFY_DROP_MAC0_ *classifyDropMac;
    struct FWPM_NET_EVENT_LPM_PACKET_ARRIVAL0_ *lpmPacketArrival;
  };
} FWPM_NET_EVENT5;

#endif
