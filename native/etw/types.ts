// Event Tracing for Windows as a real-time consumer uses it (evntrace.h, evntcons.h, evntprov.h, wmistr.h), in the
// SDK's order and with its names; test/unit/layout.test.ts holds them against the mingw-w64 golden file. Anonymous
// unions are named `u`/`u2` here (transparent to the layout check, as in C). EVENT_TRACE_LOGFILEW's CurrentEvent and
// LogfileHeader are filled in by Windows and never read by Portcullis: they are sized, aligned blocks.
import koffi from 'koffi';
import { GUID } from '../wfp/base-types.js';

export const WNODE_HEADER = koffi.struct('WNODE_HEADER', {
  BufferSize: 'uint32_t',
  ProviderId: 'uint32_t',
  u: koffi.union({ HistoricalContext: 'uint64_t', s: koffi.struct({ Version: 'uint32_t', Linkage: 'uint32_t' }) }),
  u2: koffi.union({ CountLost: 'uint32_t', KernelHandle: 'void *', TimeStamp: 'int64_t' }),
  Guid: GUID,
  ClientContext: 'uint32_t',
  Flags: 'uint32_t',
});

export const EVENT_TRACE_PROPERTIES = koffi.struct('EVENT_TRACE_PROPERTIES', {
  Wnode: WNODE_HEADER,
  BufferSize: 'uint32_t',
  MinimumBuffers: 'uint32_t',
  MaximumBuffers: 'uint32_t',
  MaximumFileSize: 'uint32_t',
  LogFileMode: 'uint32_t',
  FlushTimer: 'uint32_t',
  EnableFlags: 'uint32_t',
  AgeLimit: 'int32_t',
  NumberOfBuffers: 'uint32_t',
  FreeBuffers: 'uint32_t',
  EventsLost: 'uint32_t',
  BuffersWritten: 'uint32_t',
  LogBuffersLost: 'uint32_t',
  RealTimeBuffersLost: 'uint32_t',
  LoggerThreadId: 'void *',
  LogFileNameOffset: 'uint32_t',
  LoggerNameOffset: 'uint32_t',
});

export const EVENT_DESCRIPTOR = koffi.struct('EVENT_DESCRIPTOR', {
  Id: 'uint16_t',
  Version: 'uint8_t',
  Channel: 'uint8_t',
  Level: 'uint8_t',
  Opcode: 'uint8_t',
  Task: 'uint16_t',
  Keyword: 'uint64_t',
});

export const EVENT_HEADER = koffi.struct('EVENT_HEADER', {
  Size: 'uint16_t',
  HeaderType: 'uint16_t',
  Flags: 'uint16_t',
  EventProperty: 'uint16_t',
  ThreadId: 'uint32_t',
  ProcessId: 'uint32_t',
  TimeStamp: 'int64_t',
  ProviderId: GUID,
  EventDescriptor: EVENT_DESCRIPTOR,
  u: koffi.union({ s: koffi.struct({ KernelTime: 'uint32_t', UserTime: 'uint32_t' }), ProcessorTime: 'uint64_t' }),
  ActivityId: GUID,
});

export const ETW_BUFFER_CONTEXT = koffi.struct('ETW_BUFFER_CONTEXT', {
  u: koffi.union({ s: koffi.struct({ ProcessorNumber: 'uint8_t', Alignment: 'uint8_t' }), ProcessorIndex: 'uint16_t' }),
  LoggerId: 'uint16_t',
});

export const EVENT_RECORD = koffi.struct('EVENT_RECORD', {
  EventHeader: EVENT_HEADER,
  BufferContext: ETW_BUFFER_CONTEXT,
  ExtendedDataCount: 'uint16_t',
  UserDataLength: 'uint16_t',
  ExtendedData: 'void *',
  UserData: 'void *',
  UserContext: 'void *',
});

export const EVENT_RECORD_CALLBACK = koffi.proto('__stdcall', 'PEVENT_RECORD_CALLBACK', 'void', ['void *']);

export const EVENT_TRACE_LOGFILEW = koffi.struct('EVENT_TRACE_LOGFILEW', {
  LogFileName: 'char16_t *',
  LoggerName: 'char16_t *',
  CurrentTime: 'int64_t',
  BuffersRead: 'uint32_t',
  u: koffi.union({ LogFileMode: 'uint32_t', ProcessTraceMode: 'uint32_t' }),
  /** EVENT_TRACE, 88 bytes, filled in by Windows. */
  CurrentEvent: koffi.array('uint64_t', 11),
  /** TRACE_LOGFILE_HEADER, 280 bytes, filled in by Windows. */
  LogfileHeader: koffi.array('uint64_t', 35),
  BufferCallback: 'void *',
  BufferSize: 'uint32_t',
  Filled: 'uint32_t',
  EventsLost: 'uint32_t',
  u2: koffi.union({ EventCallback: 'void *', EventRecordCallback: koffi.pointer(EVENT_RECORD_CALLBACK) }),
  IsKernelTrace: 'uint32_t',
  Context: 'void *',
});

export const ETW_STRUCTS = {
  WNODE_HEADER,
  EVENT_TRACE_PROPERTIES,
  EVENT_DESCRIPTOR,
  EVENT_HEADER,
  ETW_BUFFER_CONTEXT,
  EVENT_RECORD,
  EVENT_TRACE_LOGFILEW,
} as const;

// evntrace.h / evntcons.h values.
export const WNODE_FLAG_TRACED_GUID = 0x00020000;
export const EVENT_TRACE_REAL_TIME_MODE = 0x00000100;
export const PROCESS_TRACE_MODE_REAL_TIME = 0x00000100;
export const PROCESS_TRACE_MODE_EVENT_RECORD = 0x10000000;
export const EVENT_CONTROL_CODE_ENABLE_PROVIDER = 1;
export const EVENT_TRACE_CONTROL_STOP = 1;
export const TRACE_LEVEL_INFORMATION = 4;
export const INVALID_PROCESSTRACE_HANDLE = 0xffffffffffffffffn;
export const ERROR_ALREADY_EXISTS = 183;

/** Microsoft-Windows-DNS-Client {1C95126E-7EEA-49A9-A3FE-A378B03DDB4D}. */
export const DNS_CLIENT_PROVIDER = {
  Data1: 0x1c95126e,
  Data2: 0x7eea,
  Data3: 0x49a9,
  Data4: [0xa3, 0xfe, 0xa3, 0x78, 0xb0, 0x3d, 0xdb, 0x4d],
};
/** Event 3008: a query completed (QueryName, QueryType, QueryOptions, QueryStatus, QueryResults). */
export const DNS_QUERY_COMPLETED = 3008;
