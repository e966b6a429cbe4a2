/*
 * The Event Tracing for Windows structures a real-time consumer passes to advapi32 and receives from it
 * (evntrace.h, evntcons.h, evntprov.h, wmistr.h), with the SDK's names and x64 layout; build/layout_asserts.h checks
 * them against native/layout/golden.json.
 */
#ifndef PORTCULLIS_SIM_ETW_TYPES_H
#define PORTCULLIS_SIM_ETW_TYPES_H

#include "wfp_types.h"

typedef struct WNODE_HEADER {
  uint32_t BufferSize;
  uint32_t ProviderId;
  union {
    uint64_t HistoricalContext;
    struct {
      uint32_t Version;
      uint32_t Linkage;
    };
  };
  union {
    uint32_t CountLost;
    HANDLE KernelHandle;
    int64_t TimeStamp;
  };
  GUID Guid;
  uint32_t ClientContext;
  uint32_t Flags;
} WNODE_HEADER;

typedef struct EVENT_TRACE_PROPERTIES {
  WNODE_HEADER Wnode;
  uint32_t BufferSize;
  uint32_t MinimumBuffers;
  uint32_t MaximumBuffers;
  uint32_t MaximumFileSize;
  uint32_t LogFileMode;
  uint32_t FlushTimer;
  uint32_t EnableFlags;
  int32_t AgeLimit;
  uint32_t NumberOfBuffers;
  uint32_t FreeBuffers;
  uint32_t EventsLost;
  uint32_t BuffersWritten;
  uint32_t LogBuffersLost;
  uint32_t RealTimeBuffersLost;
  HANDLE LoggerThreadId;
  uint32_t LogFileNameOffset;
  uint32_t LoggerNameOffset;
} EVENT_TRACE_PROPERTIES;

typedef struct EVENT_DESCRIPTOR {
  uint16_t Id;
  uint8_t Version;
  uint8_t Channel;
  uint8_t Level;
  uint8_t Opcode;
  uint16_t Task;
  uint64_t Keyword;
} EVENT_DESCRIPTOR;

typedef struct EVENT_HEADER {
  uint16_t Size;
  uint16_t HeaderType;
  uint16_t Flags;
  uint16_t EventProperty;
  uint32_t ThreadId;
  uint32_t ProcessId;
  int64_t TimeStamp;
  GUID ProviderId;
  EVENT_DESCRIPTOR EventDescriptor;
  union {
    struct {
      uint32_t KernelTime;
      uint32_t UserTime;
    };
    uint64_t ProcessorTime;
  };
  GUID ActivityId;
} EVENT_HEADER;

typedef struct ETW_BUFFER_CONTEXT {
  union {
    struct {
      uint8_t ProcessorNumber;
      uint8_t Alignment;
    };
    uint16_t ProcessorIndex;
  };
  uint16_t LoggerId;
} ETW_BUFFER_CONTEXT;

typedef struct EVENT_RECORD {
  EVENT_HEADER EventHeader;
  ETW_BUFFER_CONTEXT BufferContext;
  uint16_t ExtendedDataCount;
  uint16_t UserDataLength;
  void *ExtendedData;
  void *UserData;
  void *UserContext;
} EVENT_RECORD;

typedef void(SIM_WINAPI *PEVENT_RECORD_CALLBACK)(EVENT_RECORD *record);

typedef struct EVENT_TRACE_LOGFILEW {
  WCHAR *LogFileName;
  WCHAR *LoggerName;
  int64_t CurrentTime;
  uint32_t BuffersRead;
  union {
    uint32_t LogFileMode;
    uint32_t ProcessTraceMode;
  };
  uint64_t CurrentEvent[11];  /* EVENT_TRACE, 88 bytes */
  uint64_t LogfileHeader[35]; /* TRACE_LOGFILE_HEADER, 280 bytes */
  void *BufferCallback;
  uint32_t BufferSize;
  uint32_t Filled;
  uint32_t EventsLost;
  union {
    void *EventCallback;
    PEVENT_RECORD_CALLBACK EventRecordCallback;
  };
  uint32_t IsKernelTrace;
  void *Context;
} EVENT_TRACE_LOGFILEW;

/* kernel32 handles the simulator hands out besides files (etw.c: processes); CloseHandle (wintrust.c) asks here. */
int32_t sim_close_other_handle(void *handle);

#endif
