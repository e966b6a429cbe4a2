// The domain names programs look up, as the DNS client itself reports them: a real-time ETW session with the
// Microsoft-Windows-DNS-Client provider enabled, consumed through advapi32 (StartTraceW, EnableTraceEx2, OpenTraceW,
// ProcessTrace on koffi's worker thread). Event 3008 ("query completed") carries the name, its results and, in its
// header, the id of the process that asked; the process's executable comes from kernel32 (OpenProcess +
// QueryFullProcessImageNameW), in its real case. Sources: learn.microsoft.com "Configuring and Starting an Event
// Tracing Session", "Consuming Events", "EnableTraceEx2", "EVENT_RECORD"; the event's fields are those of the
// provider's manifest (QueryName, QueryType, QueryOptions, QueryStatus, QueryResults), as `logman query providers` and
// wevtutil list them.
import koffi from 'koffi';
import type { BoundFunction } from '../wfp/functions.js';
import { loadEtw, type EtwLibrary } from './functions.js';
import {
  DNS_CLIENT_PROVIDER,
  DNS_QUERY_COMPLETED,
  ERROR_ALREADY_EXISTS,
  EVENT_CONTROL_CODE_ENABLE_PROVIDER,
  EVENT_RECORD_CALLBACK,
  EVENT_TRACE_CONTROL_STOP,
  EVENT_TRACE_REAL_TIME_MODE,
  INVALID_PROCESSTRACE_HANDLE,
  PROCESS_TRACE_MODE_EVENT_RECORD,
  PROCESS_TRACE_MODE_REAL_TIME,
  TRACE_LEVEL_INFORMATION,
  WNODE_FLAG_TRACED_GUID,
} from './types.js';

export interface DnsQueryEvent {
  /** ms since 1970 UTC */
  readonly time: number;
  readonly processId: number;
  /** The querying process's executable (DOS path, real case), when it is still running and readable. */
  readonly imagePath?: string;
  readonly name: string;
  readonly type: number;
  readonly status: number;
  /** QueryResults as the DNS client writes it: "type:  5 alias;::ffff:203.0.113.10;2001:db8::1;". */
  readonly results: string;
}

export interface DnsClientWatch {
  /** Events received and events that could not be decoded. */
  readonly stats: { received: number; malformed: number };
  stop(): Promise<void>;
}

export class EtwError extends Error {
  override readonly name = 'EtwError';
  constructor(
    readonly func: string,
    readonly code: number,
    what: string,
  ) {
    super(`${func} failed: error ${code}. ${what}`);
  }
}

export const SESSION_NAME = 'Portcullis DNS names';
const PROCESS_QUERY_LIMITED_INFORMATION = 0x1000;
// ClientContext 2: time stamps in system time (FILETIME), not performance-counter ticks.
const SYSTEM_TIME = 2;

function call<T>(f: BoundFunction, ...args: unknown[]): Promise<T> {
  return new Promise<T>((resolve, reject) =>
    f.async(...args, (err: unknown, result: T) =>
      err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(result),
    ),
  );
}

function properties(): unknown {
  const size = koffi.sizeof('EVENT_TRACE_PROPERTIES') + (SESSION_NAME.length + 1) * 2;
  const ptr = koffi.alloc('uint8_t', size);
  koffi.encode(ptr, koffi.array('uint8_t', size), new Array<number>(size).fill(0));
  koffi.encode(ptr, 'EVENT_TRACE_PROPERTIES', {
    Wnode: { BufferSize: size, Flags: WNODE_FLAG_TRACED_GUID, ClientContext: SYSTEM_TIME },
    LogFileMode: EVENT_TRACE_REAL_TIME_MODE,
    LoggerNameOffset: koffi.sizeof('EVENT_TRACE_PROPERTIES'),
  });
  return ptr;
}

/** "name\0" in UTF-16 at `at`; returns the string and the offset after its NUL, or undefined past the end. */
function utf16z(bytes: Buffer, at: number): [string, number] | undefined {
  for (let i = at; i + 1 < bytes.length; i += 2) {
    if (bytes[i] === 0 && bytes[i + 1] === 0) return [bytes.toString('utf16le', at, i), i + 2];
  }
  return undefined;
}

/** Event 3008's user data: QueryName, QueryType (u32), QueryOptions (u64), QueryStatus (u32), QueryResults. */
export function decodeQueryCompleted(
  bytes: Buffer,
): Omit<DnsQueryEvent, 'time' | 'processId' | 'imagePath'> | undefined {
  const name = utf16z(bytes, 0);
  if (!name || name[1] + 16 > bytes.length) return undefined;
  let at = name[1];
  const type = bytes.readUInt32LE(at);
  at += 12; // type, options
  const status = bytes.readUInt32LE(at);
  at += 4;
  const results = utf16z(bytes, at);
  if (!results) return undefined;
  return { name: name[0], type, status, results: results[0] };
}

function imageOf(lib: EtwLibrary, pid: number): string | undefined {
  const h: unknown = lib.fn.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid);
  if (h === null || h === 0n) return undefined;
  try {
    const chars = 1024;
    const buffer = Buffer.alloc(chars * 2);
    const size = [chars];
    if (!lib.fn.QueryFullProcessImageNameW(h, 0, buffer, size)) return undefined;
    return buffer.toString('utf16le', 0, (size[0] as number) * 2);
  } finally {
    lib.fn.CloseHandle(h);
  }
}

/**
 * Starts the session (taking over one a crashed run left behind: ETW sessions outlive their process), enables the
 * DNS client provider and consumes it until stop(). Needs administrator rights (ERROR_ACCESS_DENIED otherwise).
 */
export async function watchDnsClient(
  onQuery: (event: DnsQueryEvent) => void,
  lib: EtwLibrary = loadEtw(),
): Promise<DnsClientWatch> {
  const props = properties();
  const owned: unknown[] = [props];
  const stats = { received: 0, malformed: 0 };
  const images = new Map<number, { path: string | undefined; until: number }>();
  let callback: unknown;
  try {
    const handle: bigint[] = [0n];
    let rc = lib.fn.StartTraceW(handle, SESSION_NAME, props) as number;
    if (rc === ERROR_ALREADY_EXISTS) {
      lib.fn.ControlTraceW(0n, SESSION_NAME, props, EVENT_TRACE_CONTROL_STOP);
      rc = lib.fn.StartTraceW(handle, SESSION_NAME, props) as number;
    }
    if (rc !== 0)
      throw new EtwError('StartTraceW', rc, rc === 5 ? 'Run Portcullis as administrator.' : 'No DNS names.');
    const session = handle[0] as bigint;
    const stopSession = () => lib.fn.ControlTraceW(session, null, props, EVENT_TRACE_CONTROL_STOP);
    rc = lib.fn.EnableTraceEx2(
      session,
      DNS_CLIENT_PROVIDER,
      EVENT_CONTROL_CODE_ENABLE_PROVIDER,
      TRACE_LEVEL_INFORMATION,
      0n,
      0n,
      0,
      null,
    ) as number;
    if (rc !== 0) {
      stopSession();
      throw new EtwError('EnableTraceEx2', rc, 'The DNS client provider could not be enabled.');
    }
    callback = koffi.register((recordPtr: unknown) => {
      try {
        const record = koffi.decode(recordPtr, 'EVENT_RECORD') as {
          EventHeader: { ProcessId: number; TimeStamp: bigint | number; EventDescriptor: { Id: number } };
          UserDataLength: number;
          UserData: unknown;
        };
        if (record.EventHeader.EventDescriptor.Id !== DNS_QUERY_COMPLETED) return;
        stats.received++;
        const bytes = Buffer.from(
          koffi.decode(record.UserData, koffi.array('uint8_t', record.UserDataLength)) as number[],
        );
        const query = decodeQueryCompleted(bytes);
        if (!query) {
          stats.malformed++;
          return;
        }
        const pid = record.EventHeader.ProcessId;
        const now = Date.now();
        let image = images.get(pid);
        if (!image || image.until < now) {
          // Process ids are reused: a resolved image is trusted for a few seconds only.
          image = { path: imageOf(lib, pid), until: now + 5_000 };
          if (images.size > 1024) images.clear();
          images.set(pid, image);
        }
        const ticks = BigInt(record.EventHeader.TimeStamp);
        onQuery({
          ...query,
          time: Number(ticks / 10_000n) - 11_644_473_600_000,
          processId: pid,
          ...(image.path ? { imagePath: image.path } : {}),
        });
      } catch {
        stats.malformed++;
      }
    }, koffi.pointer(EVENT_RECORD_CALLBACK));
    const logfile = koffi.alloc('EVENT_TRACE_LOGFILEW', 1);
    owned.push(logfile);
    const loggerName = koffi.alloc('char16_t', SESSION_NAME.length + 1);
    owned.push(loggerName);
    koffi.encode(loggerName, koffi.array('char16_t', SESSION_NAME.length + 1), SESSION_NAME);
    koffi.encode(logfile, 'EVENT_TRACE_LOGFILEW', {
      LogFileName: null,
      LoggerName: loggerName,
      u: { ProcessTraceMode: PROCESS_TRACE_MODE_REAL_TIME | PROCESS_TRACE_MODE_EVENT_RECORD },
      u2: { EventRecordCallback: callback },
    });
    const consumer = lib.fn.OpenTraceW(logfile) as bigint;
    if (BigInt(consumer) === INVALID_PROCESSTRACE_HANDLE) {
      stopSession();
      throw new EtwError('OpenTraceW', 0, 'The DNS names session could not be read.');
    }
    // ProcessTrace blocks until the session stops: it runs on a koffi worker thread, and each event is handed to the
    // JS thread (the callback above) while that worker waits.
    const processing = call<number>(lib.fn.ProcessTrace, [consumer], 1, null, null).catch(() => -1);
    let stopped = false;
    return {
      stats,
      async stop() {
        if (stopped) return;
        stopped = true;
        // Never synchronously on this thread while ProcessTrace may be waiting for it to run a callback.
        await call(lib.fn.ControlTraceW, session, null, props, EVENT_TRACE_CONTROL_STOP);
        await call(lib.fn.CloseTrace, consumer);
        await processing;
        koffi.unregister(callback as never);
        for (const ptr of owned) koffi.free(ptr as never);
      },
    };
  } catch (e) {
    if (callback) koffi.unregister(callback as never);
    for (const ptr of owned) koffi.free(ptr as never);
    throw e;
  }
}
