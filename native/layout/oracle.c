/*
 * Layout oracle: x64 Windows sizes, alignments and field offsets of the WFP structs, as the mingw-w64
 * compiler lays them out from the mingw-w64 headers (plus sdk_newer.h for the structs those lack).
 * The numbers cannot be read by running this (it is a Windows object); they are emitted into the
 * assembly as "#@layout" comment lines by `-S`, which scripts/gen-layout-golden.mjs parses.
 *
 * Field names: anonymous unions and structs are transparent, as in C (header.localAddrV4, not
 * header.u.localAddrV4); members embedded by value are expanded with a dot (header.appId.size).
 */
#include <stddef.h>
#include <windows.h>
#include <fwpmu.h>
#include <wintrust.h>
#include <mscat.h>
#include <evntrace.h>
#include <evntcons.h>
#include <ntsecapi.h>
#include <winevt.h>
#include <winsvc.h>
#include "sdk_newer.h"

#define STRUCT(S) __asm__ volatile("#@layout struct " #S " %c0 %c1" : : "i"(sizeof(S)), "i"(_Alignof(S)));
#define F(S, D) __asm__ volatile("#@layout field " #S " " #D " %c0" : : "i"(offsetof(S, D)));

/* P is a member path prefix: empty, or tokens like `header.` */
#define L_GUID(S, P) F(S, P Data1) F(S, P Data2) F(S, P Data3) F(S, P Data4)
#define L_FILETIME(S, P) F(S, P dwLowDateTime) F(S, P dwHighDateTime)
#define L_FWP_BYTE_BLOB(S, P) F(S, P size) F(S, P data)
#define L_FWP_BYTE_ARRAY16(S, P) F(S, P byteArray16)
#define L_FWP_BYTE_ARRAY6(S, P) F(S, P byteArray6)
#define L_VALUE_UNION(S, P)                                                                              \
  F(S, P uint8) F(S, P uint16) F(S, P uint32) F(S, P uint64) F(S, P int8) F(S, P int16) F(S, P int32)   \
  F(S, P int64) F(S, P float32) F(S, P double64) F(S, P byteArray16) F(S, P byteBlob) F(S, P sid)      \
  F(S, P sd) F(S, P tokenInformation) F(S, P tokenAccessInformation) F(S, P unicodeString)             \
  F(S, P byteArray6)
#define L_FWP_VALUE0(S, P) F(S, P type) L_VALUE_UNION(S, P)
#define L_FWP_CONDITION_VALUE0(S, P) \
  F(S, P type) L_VALUE_UNION(S, P) F(S, P v4AddrMask) F(S, P v6AddrMask) F(S, P rangeValue)
#define L_FWP_V4_ADDR_AND_MASK(S, P) F(S, P addr) F(S, P mask)
#define L_FWP_V6_ADDR_AND_MASK(S, P) F(S, P addr) F(S, P prefixLength)
#define L_FWP_RANGE0(S, P) \
  F(S, P valueLow) L_FWP_VALUE0(S, P valueLow.) F(S, P valueHigh) L_FWP_VALUE0(S, P valueHigh.)
#define L_FWPM_DISPLAY_DATA0(S, P) F(S, P name) F(S, P description)

#define L_HEADER_COMMON(S, P)                                                                            \
  F(S, P timeStamp) L_FILETIME(S, P timeStamp.) F(S, P flags) F(S, P ipVersion) F(S, P ipProtocol)      \
  F(S, P localAddrV4) F(S, P localAddrV6) L_FWP_BYTE_ARRAY16(S, P localAddrV6.)                        \
  F(S, P remoteAddrV4) F(S, P remoteAddrV6) L_FWP_BYTE_ARRAY16(S, P remoteAddrV6.)                     \
  F(S, P localPort) F(S, P remotePort) F(S, P scopeId) F(S, P appId) L_FWP_BYTE_BLOB(S, P appId.)      \
  F(S, P userId)
#define L_HEADER1(S, P)                                                                                  \
  L_HEADER_COMMON(S, P) F(S, P addressFamily) F(S, P dstAddrEth) L_FWP_BYTE_ARRAY6(S, P dstAddrEth.)  \
  F(S, P srcAddrEth) L_FWP_BYTE_ARRAY6(S, P srcAddrEth.) F(S, P addrType) F(S, P encapMethod)           \
  F(S, P etherType) F(S, P snapControl) F(S, P snapOui) F(S, P vlanTag) F(S, P ifLuid)
#define L_HEADER2(S, P) L_HEADER_COMMON(S, P) F(S, P addressFamily) F(S, P packageSid)
#define L_HEADER3(S, P) \
  L_HEADER2(S, P) F(S, P enterpriseId) F(S, P policyFlags) F(S, P effectiveName) L_FWP_BYTE_BLOB(S, P effectiveName.)

#define L_CLASSIFY1(S, P)                                                                                \
  F(S, P filterId) F(S, P layerId) F(S, P reauthReason) F(S, P originalProfile) F(S, P currentProfile)  \
  F(S, P msFwpDirection) F(S, P isLoopback)
#define L_CLASSIFY_DROP2(S, P) \
  L_CLASSIFY1(S, P) F(S, P vSwitchId) L_FWP_BYTE_BLOB(S, P vSwitchId.) F(S, P vSwitchSourcePort) F(S, P vSwitchDestinationPort)
#define L_CAPABILITY0(S, P) F(S, P networkCapabilityId) F(S, P filterId) F(S, P isLoopback)

#define L_EVENT_UNION1(S, P) \
  F(S, P ikeMmFailure) F(S, P ikeQmFailure) F(S, P ikeEmFailure) F(S, P classifyDrop) F(S, P ipsecDrop) F(S, P idpDrop)
#define L_EVENT_UNION2(S, P) \
  L_EVENT_UNION1(S, P) F(S, P classifyAllow) F(S, P capabilityDrop) F(S, P capabilityAllow) F(S, P classifyDropMac)

#define L_FWPM_ACTION0(S, P) F(S, P type) F(S, P filterType) L_GUID(S, P filterType.) F(S, P calloutKey) L_GUID(S, P calloutKey.)
#define L_FWPM_FILTER_CONDITION0(S, P) \
  F(S, P fieldKey) L_GUID(S, P fieldKey.) F(S, P matchType) F(S, P conditionValue) L_FWP_CONDITION_VALUE0(S, P conditionValue.)

void portcullis_layout_oracle(void);
void portcullis_layout_oracle(void) {
  STRUCT(GUID) L_GUID(GUID, )
  STRUCT(FILETIME) L_FILETIME(FILETIME, )
  STRUCT(FWP_BYTE_BLOB) L_FWP_BYTE_BLOB(FWP_BYTE_BLOB, )
  STRUCT(FWP_BYTE_ARRAY6) L_FWP_BYTE_ARRAY6(FWP_BYTE_ARRAY6, )
  STRUCT(FWP_BYTE_ARRAY16) L_FWP_BYTE_ARRAY16(FWP_BYTE_ARRAY16, )
  STRUCT(FWP_VALUE0) L_FWP_VALUE0(FWP_VALUE0, )
  STRUCT(FWP_CONDITION_VALUE0) L_FWP_CONDITION_VALUE0(FWP_CONDITION_VALUE0, )
  STRUCT(FWP_V4_ADDR_AND_MASK) L_FWP_V4_ADDR_AND_MASK(FWP_V4_ADDR_AND_MASK, )
  STRUCT(FWP_V6_ADDR_AND_MASK) L_FWP_V6_ADDR_AND_MASK(FWP_V6_ADDR_AND_MASK, )
  STRUCT(FWP_RANGE0) L_FWP_RANGE0(FWP_RANGE0, )
  STRUCT(FWPM_DISPLAY_DATA0) L_FWPM_DISPLAY_DATA0(FWPM_DISPLAY_DATA0, )

  STRUCT(FWPM_NET_EVENT_HEADER1) L_HEADER1(FWPM_NET_EVENT_HEADER1, )
  STRUCT(FWPM_NET_EVENT_HEADER2) L_HEADER2(FWPM_NET_EVENT_HEADER2, )
  STRUCT(FWPM_NET_EVENT_HEADER3) L_HEADER3(FWPM_NET_EVENT_HEADER3, )

  STRUCT(FWPM_NET_EVENT_CLASSIFY_DROP1) L_CLASSIFY1(FWPM_NET_EVENT_CLASSIFY_DROP1, )
  STRUCT(FWPM_NET_EVENT_CLASSIFY_DROP2) L_CLASSIFY_DROP2(FWPM_NET_EVENT_CLASSIFY_DROP2, )
  STRUCT(FWPM_NET_EVENT_CLASSIFY_ALLOW0) L_CLASSIFY1(FWPM_NET_EVENT_CLASSIFY_ALLOW0, )
  STRUCT(FWPM_NET_EVENT_CAPABILITY_DROP0) L_CAPABILITY0(FWPM_NET_EVENT_CAPABILITY_DROP0, )
  STRUCT(FWPM_NET_EVENT_CAPABILITY_ALLOW0) L_CAPABILITY0(FWPM_NET_EVENT_CAPABILITY_ALLOW0, )

  STRUCT(FWPM_NET_EVENT1)
  F(FWPM_NET_EVENT1, header) L_HEADER1(FWPM_NET_EVENT1, header.) F(FWPM_NET_EVENT1, type) L_EVENT_UNION1(FWPM_NET_EVENT1, )
  STRUCT(FWPM_NET_EVENT2)
  F(FWPM_NET_EVENT2, header) L_HEADER2(FWPM_NET_EVENT2, header.) F(FWPM_NET_EVENT2, type) L_EVENT_UNION2(FWPM_NET_EVENT2, )
  STRUCT(FWPM_NET_EVENT3)
  F(FWPM_NET_EVENT3, header) L_HEADER3(FWPM_NET_EVENT3, header.) F(FWPM_NET_EVENT3, type) L_EVENT_UNION2(FWPM_NET_EVENT3, )
  STRUCT(FWPM_NET_EVENT4)
  F(FWPM_NET_EVENT4, header) L_HEADER3(FWPM_NET_EVENT4, header.) F(FWPM_NET_EVENT4, type) L_EVENT_UNION2(FWPM_NET_EVENT4, )
  STRUCT(FWPM_NET_EVENT5)
  F(FWPM_NET_EVENT5, header) L_HEADER3(FWPM_NET_EVENT5, header.) F(FWPM_NET_EVENT5, type) L_EVENT_UNION2(FWPM_NET_EVENT5, )
  F(FWPM_NET_EVENT5, lpmPacketArrival)

  STRUCT(FWPM_NET_EVENT_ENUM_TEMPLATE0)
  F(FWPM_NET_EVENT_ENUM_TEMPLATE0, startTime) L_FILETIME(FWPM_NET_EVENT_ENUM_TEMPLATE0, startTime.)
  F(FWPM_NET_EVENT_ENUM_TEMPLATE0, endTime) L_FILETIME(FWPM_NET_EVENT_ENUM_TEMPLATE0, endTime.)
  F(FWPM_NET_EVENT_ENUM_TEMPLATE0, numFilterConditions) F(FWPM_NET_EVENT_ENUM_TEMPLATE0, filterCondition)

  STRUCT(FWPM_NET_EVENT_SUBSCRIPTION0)
  F(FWPM_NET_EVENT_SUBSCRIPTION0, enumTemplate) F(FWPM_NET_EVENT_SUBSCRIPTION0, flags)
  F(FWPM_NET_EVENT_SUBSCRIPTION0, sessionKey) L_GUID(FWPM_NET_EVENT_SUBSCRIPTION0, sessionKey.)

  STRUCT(FWPM_SESSION0)
  F(FWPM_SESSION0, sessionKey) L_GUID(FWPM_SESSION0, sessionKey.)
  F(FWPM_SESSION0, displayData) L_FWPM_DISPLAY_DATA0(FWPM_SESSION0, displayData.)
  F(FWPM_SESSION0, flags) F(FWPM_SESSION0, txnWaitTimeoutInMSec) F(FWPM_SESSION0, processId)
  F(FWPM_SESSION0, sid) F(FWPM_SESSION0, username) F(FWPM_SESSION0, kernelMode)

  STRUCT(FWPM_PROVIDER0)
  F(FWPM_PROVIDER0, providerKey) L_GUID(FWPM_PROVIDER0, providerKey.)
  F(FWPM_PROVIDER0, displayData) L_FWPM_DISPLAY_DATA0(FWPM_PROVIDER0, displayData.)
  F(FWPM_PROVIDER0, flags) F(FWPM_PROVIDER0, providerData) L_FWP_BYTE_BLOB(FWPM_PROVIDER0, providerData.)
  F(FWPM_PROVIDER0, serviceName)

  STRUCT(FWPM_SUBLAYER0)
  F(FWPM_SUBLAYER0, subLayerKey) L_GUID(FWPM_SUBLAYER0, subLayerKey.)
  F(FWPM_SUBLAYER0, displayData) L_FWPM_DISPLAY_DATA0(FWPM_SUBLAYER0, displayData.)
  F(FWPM_SUBLAYER0, flags) F(FWPM_SUBLAYER0, providerKey)
  F(FWPM_SUBLAYER0, providerData) L_FWP_BYTE_BLOB(FWPM_SUBLAYER0, providerData.) F(FWPM_SUBLAYER0, weight)

  STRUCT(FWPM_LAYER0)
  F(FWPM_LAYER0, layerKey) L_GUID(FWPM_LAYER0, layerKey.)
  F(FWPM_LAYER0, displayData) L_FWPM_DISPLAY_DATA0(FWPM_LAYER0, displayData.)
  F(FWPM_LAYER0, flags) F(FWPM_LAYER0, numFields) F(FWPM_LAYER0, field)
  F(FWPM_LAYER0, defaultSubLayerKey) L_GUID(FWPM_LAYER0, defaultSubLayerKey.) F(FWPM_LAYER0, layerId)

  STRUCT(FWPM_FILTER_CONDITION0) L_FWPM_FILTER_CONDITION0(FWPM_FILTER_CONDITION0, )
  STRUCT(FWPM_ACTION0) L_FWPM_ACTION0(FWPM_ACTION0, )

  STRUCT(FWPM_FILTER0)
  F(FWPM_FILTER0, filterKey) L_GUID(FWPM_FILTER0, filterKey.)
  F(FWPM_FILTER0, displayData) L_FWPM_DISPLAY_DATA0(FWPM_FILTER0, displayData.)
  F(FWPM_FILTER0, flags) F(FWPM_FILTER0, providerKey)
  F(FWPM_FILTER0, providerData) L_FWP_BYTE_BLOB(FWPM_FILTER0, providerData.)
  F(FWPM_FILTER0, layerKey) L_GUID(FWPM_FILTER0, layerKey.)
  F(FWPM_FILTER0, subLayerKey) L_GUID(FWPM_FILTER0, subLayerKey.)
  F(FWPM_FILTER0, weight) L_FWP_VALUE0(FWPM_FILTER0, weight.)
  F(FWPM_FILTER0, numFilterConditions) F(FWPM_FILTER0, filterCondition)
  F(FWPM_FILTER0, action) L_FWPM_ACTION0(FWPM_FILTER0, action.)
  F(FWPM_FILTER0, rawContext) F(FWPM_FILTER0, providerContextKey) L_GUID(FWPM_FILTER0, providerContextKey.)
  F(FWPM_FILTER0, reserved) F(FWPM_FILTER0, filterId)
  F(FWPM_FILTER0, effectiveWeight) L_FWP_VALUE0(FWPM_FILTER0, effectiveWeight.)

  STRUCT(FWPM_FILTER_ENUM_TEMPLATE0)
  F(FWPM_FILTER_ENUM_TEMPLATE0, providerKey) F(FWPM_FILTER_ENUM_TEMPLATE0, layerKey)
  L_GUID(FWPM_FILTER_ENUM_TEMPLATE0, layerKey.) F(FWPM_FILTER_ENUM_TEMPLATE0, enumType)
  F(FWPM_FILTER_ENUM_TEMPLATE0, flags) F(FWPM_FILTER_ENUM_TEMPLATE0, providerContextTemplate)
  F(FWPM_FILTER_ENUM_TEMPLATE0, numFilterConditions) F(FWPM_FILTER_ENUM_TEMPLATE0, filterCondition)
  F(FWPM_FILTER_ENUM_TEMPLATE0, actionMask) F(FWPM_FILTER_ENUM_TEMPLATE0, calloutKey)

  /* wintrust.h, mscat.h: Authenticode verification (native/wintrust) */
  STRUCT(WINTRUST_FILE_INFO)
  F(WINTRUST_FILE_INFO, cbStruct) F(WINTRUST_FILE_INFO, pcwszFilePath) F(WINTRUST_FILE_INFO, hFile)
  F(WINTRUST_FILE_INFO, pgKnownSubject)
  STRUCT(WINTRUST_CATALOG_INFO)
  F(WINTRUST_CATALOG_INFO, cbStruct) F(WINTRUST_CATALOG_INFO, dwCatalogVersion)
  F(WINTRUST_CATALOG_INFO, pcwszCatalogFilePath) F(WINTRUST_CATALOG_INFO, pcwszMemberTag)
  F(WINTRUST_CATALOG_INFO, pcwszMemberFilePath) F(WINTRUST_CATALOG_INFO, hMemberFile)
  F(WINTRUST_CATALOG_INFO, pbCalculatedFileHash) F(WINTRUST_CATALOG_INFO, cbCalculatedFileHash)
  F(WINTRUST_CATALOG_INFO, pcCatalogContext) F(WINTRUST_CATALOG_INFO, hCatAdmin)
  STRUCT(WINTRUST_DATA)
  F(WINTRUST_DATA, cbStruct) F(WINTRUST_DATA, pPolicyCallbackData) F(WINTRUST_DATA, pSIPClientData)
  F(WINTRUST_DATA, dwUIChoice) F(WINTRUST_DATA, fdwRevocationChecks) F(WINTRUST_DATA, dwUnionChoice)
  F(WINTRUST_DATA, pFile) F(WINTRUST_DATA, pCatalog) F(WINTRUST_DATA, pBlob) F(WINTRUST_DATA, pSgnr)
  F(WINTRUST_DATA, pCert) F(WINTRUST_DATA, dwStateAction) F(WINTRUST_DATA, hWVTStateData)
  F(WINTRUST_DATA, pwszURLReference) F(WINTRUST_DATA, dwProvFlags) F(WINTRUST_DATA, dwUIContext)
  STRUCT(CRYPT_PROVIDER_CERT)
  F(CRYPT_PROVIDER_CERT, cbStruct) F(CRYPT_PROVIDER_CERT, pCert) F(CRYPT_PROVIDER_CERT, fCommercial)
  F(CRYPT_PROVIDER_CERT, fTrustedRoot) F(CRYPT_PROVIDER_CERT, fSelfSigned) F(CRYPT_PROVIDER_CERT, fTestCert)
  F(CRYPT_PROVIDER_CERT, dwRevokedReason) F(CRYPT_PROVIDER_CERT, dwConfidence) F(CRYPT_PROVIDER_CERT, dwError)
  F(CRYPT_PROVIDER_CERT, pTrustListContext) F(CRYPT_PROVIDER_CERT, fTrustListSignerCert)
  F(CRYPT_PROVIDER_CERT, pCtlContext) F(CRYPT_PROVIDER_CERT, dwCtlError) F(CRYPT_PROVIDER_CERT, fIsCyclic)
  F(CRYPT_PROVIDER_CERT, pChainElement)
  STRUCT(CATALOG_INFO) F(CATALOG_INFO, cbStruct) F(CATALOG_INFO, wszCatalogFile)

  /* minwinbase.h: FindFirstFileW's answer (native/files/real-case.ts) */
  STRUCT(WIN32_FIND_DATAW)
  F(WIN32_FIND_DATAW, dwFileAttributes) F(WIN32_FIND_DATAW, ftCreationTime) L_FILETIME(WIN32_FIND_DATAW, ftCreationTime.)
  F(WIN32_FIND_DATAW, ftLastAccessTime) L_FILETIME(WIN32_FIND_DATAW, ftLastAccessTime.)
  F(WIN32_FIND_DATAW, ftLastWriteTime) L_FILETIME(WIN32_FIND_DATAW, ftLastWriteTime.)
  F(WIN32_FIND_DATAW, nFileSizeHigh) F(WIN32_FIND_DATAW, nFileSizeLow) F(WIN32_FIND_DATAW, dwReserved0)
  F(WIN32_FIND_DATAW, dwReserved1) F(WIN32_FIND_DATAW, cFileName) F(WIN32_FIND_DATAW, cAlternateFileName)

  /* evntrace.h, evntcons.h, evntprov.h, wmistr.h: a real-time ETW consumer (native/etw) */
  STRUCT(WNODE_HEADER)
  F(WNODE_HEADER, BufferSize) F(WNODE_HEADER, ProviderId) F(WNODE_HEADER, HistoricalContext) F(WNODE_HEADER, Version)
  F(WNODE_HEADER, Linkage) F(WNODE_HEADER, CountLost) F(WNODE_HEADER, KernelHandle) F(WNODE_HEADER, TimeStamp)
  F(WNODE_HEADER, Guid) L_GUID(WNODE_HEADER, Guid.) F(WNODE_HEADER, ClientContext) F(WNODE_HEADER, Flags)
  STRUCT(EVENT_TRACE_PROPERTIES)
  F(EVENT_TRACE_PROPERTIES, Wnode) F(EVENT_TRACE_PROPERTIES, Wnode.BufferSize) F(EVENT_TRACE_PROPERTIES, Wnode.ProviderId)
  F(EVENT_TRACE_PROPERTIES, Wnode.HistoricalContext) F(EVENT_TRACE_PROPERTIES, Wnode.Version)
  F(EVENT_TRACE_PROPERTIES, Wnode.Linkage) F(EVENT_TRACE_PROPERTIES, Wnode.CountLost)
  F(EVENT_TRACE_PROPERTIES, Wnode.KernelHandle) F(EVENT_TRACE_PROPERTIES, Wnode.TimeStamp)
  F(EVENT_TRACE_PROPERTIES, Wnode.Guid) L_GUID(EVENT_TRACE_PROPERTIES, Wnode.Guid.)
  F(EVENT_TRACE_PROPERTIES, Wnode.ClientContext) F(EVENT_TRACE_PROPERTIES, Wnode.Flags)
  F(EVENT_TRACE_PROPERTIES, BufferSize) F(EVENT_TRACE_PROPERTIES, MinimumBuffers) F(EVENT_TRACE_PROPERTIES, MaximumBuffers)
  F(EVENT_TRACE_PROPERTIES, MaximumFileSize) F(EVENT_TRACE_PROPERTIES, LogFileMode) F(EVENT_TRACE_PROPERTIES, FlushTimer)
  F(EVENT_TRACE_PROPERTIES, EnableFlags) F(EVENT_TRACE_PROPERTIES, AgeLimit) F(EVENT_TRACE_PROPERTIES, NumberOfBuffers)
  F(EVENT_TRACE_PROPERTIES, FreeBuffers) F(EVENT_TRACE_PROPERTIES, EventsLost) F(EVENT_TRACE_PROPERTIES, BuffersWritten)
  F(EVENT_TRACE_PROPERTIES, LogBuffersLost) F(EVENT_TRACE_PROPERTIES, RealTimeBuffersLost)
  F(EVENT_TRACE_PROPERTIES, LoggerThreadId) F(EVENT_TRACE_PROPERTIES, LogFileNameOffset)
  F(EVENT_TRACE_PROPERTIES, LoggerNameOffset)
  STRUCT(EVENT_DESCRIPTOR)
  F(EVENT_DESCRIPTOR, Id) F(EVENT_DESCRIPTOR, Version) F(EVENT_DESCRIPTOR, Channel) F(EVENT_DESCRIPTOR, Level)
  F(EVENT_DESCRIPTOR, Opcode) F(EVENT_DESCRIPTOR, Task) F(EVENT_DESCRIPTOR, Keyword)
  STRUCT(EVENT_HEADER)
  F(EVENT_HEADER, Size) F(EVENT_HEADER, HeaderType) F(EVENT_HEADER, Flags) F(EVENT_HEADER, EventProperty)
  F(EVENT_HEADER, ThreadId) F(EVENT_HEADER, ProcessId) F(EVENT_HEADER, TimeStamp)
  F(EVENT_HEADER, ProviderId) L_GUID(EVENT_HEADER, ProviderId.)
  F(EVENT_HEADER, EventDescriptor) F(EVENT_HEADER, EventDescriptor.Id) F(EVENT_HEADER, EventDescriptor.Version)
  F(EVENT_HEADER, EventDescriptor.Channel) F(EVENT_HEADER, EventDescriptor.Level) F(EVENT_HEADER, EventDescriptor.Opcode)
  F(EVENT_HEADER, EventDescriptor.Task) F(EVENT_HEADER, EventDescriptor.Keyword)
  F(EVENT_HEADER, KernelTime) F(EVENT_HEADER, UserTime) F(EVENT_HEADER, ProcessorTime)
  F(EVENT_HEADER, ActivityId) L_GUID(EVENT_HEADER, ActivityId.)
  STRUCT(ETW_BUFFER_CONTEXT)
  F(ETW_BUFFER_CONTEXT, ProcessorNumber) F(ETW_BUFFER_CONTEXT, Alignment) F(ETW_BUFFER_CONTEXT, ProcessorIndex)
  F(ETW_BUFFER_CONTEXT, LoggerId)
  STRUCT(EVENT_RECORD)
  F(EVENT_RECORD, EventHeader) F(EVENT_RECORD, EventHeader.Size) F(EVENT_RECORD, EventHeader.HeaderType)
  F(EVENT_RECORD, EventHeader.Flags) F(EVENT_RECORD, EventHeader.EventProperty) F(EVENT_RECORD, EventHeader.ThreadId)
  F(EVENT_RECORD, EventHeader.ProcessId) F(EVENT_RECORD, EventHeader.TimeStamp)
  F(EVENT_RECORD, EventHeader.ProviderId) L_GUID(EVENT_RECORD, EventHeader.ProviderId.)
  F(EVENT_RECORD, EventHeader.EventDescriptor) F(EVENT_RECORD, EventHeader.EventDescriptor.Id)
  F(EVENT_RECORD, EventHeader.EventDescriptor.Version) F(EVENT_RECORD, EventHeader.EventDescriptor.Channel)
  F(EVENT_RECORD, EventHeader.EventDescriptor.Level) F(EVENT_RECORD, EventHeader.EventDescriptor.Opcode)
  F(EVENT_RECORD, EventHeader.EventDescriptor.Task) F(EVENT_RECORD, EventHeader.EventDescriptor.Keyword)
  F(EVENT_RECORD, EventHeader.KernelTime) F(EVENT_RECORD, EventHeader.UserTime) F(EVENT_RECORD, EventHeader.ProcessorTime)
  F(EVENT_RECORD, EventHeader.ActivityId) L_GUID(EVENT_RECORD, EventHeader.ActivityId.)
  F(EVENT_RECORD, BufferContext) F(EVENT_RECORD, BufferContext.ProcessorNumber) F(EVENT_RECORD, BufferContext.Alignment)
  F(EVENT_RECORD, BufferContext.ProcessorIndex) F(EVENT_RECORD, BufferContext.LoggerId)
  F(EVENT_RECORD, ExtendedDataCount) F(EVENT_RECORD, UserDataLength) F(EVENT_RECORD, ExtendedData)
  F(EVENT_RECORD, UserData) F(EVENT_RECORD, UserContext)
  STRUCT(EVENT_TRACE_LOGFILEW)
  F(EVENT_TRACE_LOGFILEW, LogFileName) F(EVENT_TRACE_LOGFILEW, LoggerName) F(EVENT_TRACE_LOGFILEW, CurrentTime)
  F(EVENT_TRACE_LOGFILEW, BuffersRead) F(EVENT_TRACE_LOGFILEW, LogFileMode) F(EVENT_TRACE_LOGFILEW, ProcessTraceMode)
  F(EVENT_TRACE_LOGFILEW, CurrentEvent) F(EVENT_TRACE_LOGFILEW, LogfileHeader) F(EVENT_TRACE_LOGFILEW, BufferCallback)
  F(EVENT_TRACE_LOGFILEW, BufferSize) F(EVENT_TRACE_LOGFILEW, Filled) F(EVENT_TRACE_LOGFILEW, EventsLost)
  F(EVENT_TRACE_LOGFILEW, EventCallback) F(EVENT_TRACE_LOGFILEW, EventRecordCallback)
  F(EVENT_TRACE_LOGFILEW, IsKernelTrace) F(EVENT_TRACE_LOGFILEW, Context)
  /* ntsecapi.h, winevt.h, winsvc.h: the Security log's audit records and the services behind a process
     (native/audit, native/services). EVT_VARIANT's union is listed by the members Portcullis reads. */
  STRUCT(LUID) F(LUID, LowPart) F(LUID, HighPart)
  STRUCT(LUID_AND_ATTRIBUTES) F(LUID_AND_ATTRIBUTES, Luid) F(LUID_AND_ATTRIBUTES, Luid.LowPart)
  F(LUID_AND_ATTRIBUTES, Luid.HighPart) F(LUID_AND_ATTRIBUTES, Attributes)
  STRUCT(TOKEN_PRIVILEGES) F(TOKEN_PRIVILEGES, PrivilegeCount) F(TOKEN_PRIVILEGES, Privileges)
  STRUCT(AUDIT_POLICY_INFORMATION)
  F(AUDIT_POLICY_INFORMATION, AuditSubCategoryGuid) L_GUID(AUDIT_POLICY_INFORMATION, AuditSubCategoryGuid.)
  F(AUDIT_POLICY_INFORMATION, AuditingInformation)
  F(AUDIT_POLICY_INFORMATION, AuditCategoryGuid) L_GUID(AUDIT_POLICY_INFORMATION, AuditCategoryGuid.)
  STRUCT(EVT_VARIANT)
  F(EVT_VARIANT, UInt64Val) F(EVT_VARIANT, UInt32Val) F(EVT_VARIANT, UInt16Val) F(EVT_VARIANT, StringVal)
  F(EVT_VARIANT, SizeTVal) F(EVT_VARIANT, Count) F(EVT_VARIANT, Type)
  STRUCT(SERVICE_STATUS_PROCESS)
  F(SERVICE_STATUS_PROCESS, dwServiceType) F(SERVICE_STATUS_PROCESS, dwCurrentState)
  F(SERVICE_STATUS_PROCESS, dwControlsAccepted) F(SERVICE_STATUS_PROCESS, dwWin32ExitCode)
  F(SERVICE_STATUS_PROCESS, dwServiceSpecificExitCode) F(SERVICE_STATUS_PROCESS, dwCheckPoint)
  F(SERVICE_STATUS_PROCESS, dwWaitHint) F(SERVICE_STATUS_PROCESS, dwProcessId) F(SERVICE_STATUS_PROCESS, dwServiceFlags)
  STRUCT(ENUM_SERVICE_STATUS_PROCESSW)
  F(ENUM_SERVICE_STATUS_PROCESSW, lpServiceName) F(ENUM_SERVICE_STATUS_PROCESSW, lpDisplayName)
  F(ENUM_SERVICE_STATUS_PROCESSW, ServiceStatusProcess)
  F(ENUM_SERVICE_STATUS_PROCESSW, ServiceStatusProcess.dwServiceType)
  F(ENUM_SERVICE_STATUS_PROCESSW, ServiceStatusProcess.dwCurrentState)
  F(ENUM_SERVICE_STATUS_PROCESSW, ServiceStatusProcess.dwControlsAccepted)
  F(ENUM_SERVICE_STATUS_PROCESSW, ServiceStatusProcess.dwWin32ExitCode)
  F(ENUM_SERVICE_STATUS_PROCESSW, ServiceStatusProcess.dwServiceSpecificExitCode)
  F(ENUM_SERVICE_STATUS_PROCESSW, ServiceStatusProcess.dwCheckPoint)
  F(ENUM_SERVICE_STATUS_PROCESSW, ServiceStatusProcess.dwWaitHint)
  F(ENUM_SERVICE_STATUS_PROCESSW, ServiceStatusProcess.dwProcessId)
  F(ENUM_SERVICE_STATUS_PROCESSW, ServiceStatusProcess.dwServiceFlags)
}
