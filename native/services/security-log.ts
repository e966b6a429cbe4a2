// The Security log's "The Windows Filtering Platform has blocked a connection" (5157) and "has dropped a packet"
// (5152) records, read live: a pull subscription (EvtSubscribe with a signal event, then EvtNext) rendered to values
// (EvtCreateRenderContext + EvtRender). Pull, not push: a push callback would run on a wevtapi thread that koffi
// parks until the JS thread runs it, and closing the subscription from the JS thread while one is parked would
// deadlock (the same trap as FwpmNetEventUnsubscribe0). Here nothing calls into JS: one koffi worker waits on the
// signal, the JS thread drains. Each record carries what the net event lacks: the process id.
// Sources: learn.microsoft.com "Subscribing to Events" (pull subscriptions), "EvtSubscribe", "EvtNext",
// "EvtCreateRenderContext", "EvtRender", "EVT_VARIANT", "5157(F): The Windows Filtering Platform has blocked a
// connection" (fields ProcessID, Application, Direction %%14592/%%14593, SourceAddress, SourcePort, DestAddress,
// DestPort, Protocol, FilterRTID, LayerName, LayerRTID).
import koffi from 'koffi';
import { loadServices, ServicesError, type ServicesLibrary } from './functions.js';
import {
  EVT_RENDER_CONTEXT_VALUES,
  EVT_RENDER_EVENT_VALUES,
  EVT_SUBSCRIBE_TO_FUTURE_EVENTS,
  EVT_VAR_TYPE,
  SERVICES_ERRORS,
  servicesErrorSymbol,
} from './types.js';

export interface BlockedConnectionRecord {
  readonly eventId: number;
  /** ms since 1970 UTC (the record's TimeCreated) */
  readonly time: number;
  readonly processId: number;
  /** The NT device path as the kernel names it (\device\harddiskvolume3\windows\system32\svchost.exe). */
  readonly application?: string;
  readonly direction?: 'in' | 'out';
  readonly sourceAddress?: string;
  readonly sourcePort?: number;
  readonly destAddress?: string;
  readonly destPort?: number;
  readonly protocol?: number;
  readonly filterId?: number;
  readonly layerId?: number;
}

export interface SecurityLogWatch {
  readonly stats: { received: number; malformed: number };
  stop(): Promise<void>;
}

export const BLOCKED_CONNECTION_QUERY = '*[System[(EventID=5157 or EventID=5152)]]';

const FIELDS = [
  'Event/System/EventID',
  'Event/System/TimeCreated/@SystemTime',
  ...[
    'ProcessID',
    'Application',
    'Direction',
    'SourceAddress',
    'SourcePort',
    'DestAddress',
    'DestPort',
    'Protocol',
    'FilterRTID',
    'LayerRTID',
  ].map((name) => `Event/EventData/Data[@Name='${name}']`),
] as const;

const BATCH = 64;
const WAIT_MS = 250;
const isNull = (p: unknown): boolean => p === null || p === undefined || p === 0n;

type Value = string | number | undefined;

/** One EVT_VARIANT of a rendered buffer: numbers as numbers, strings as strings, anything else undefined. */
function variant(buffer: Buffer, index: number): Value {
  const at = index * 16;
  const type = buffer.readUInt32LE(at + 12) & 0x7f;
  switch (type) {
    case EVT_VAR_TYPE.String:
      return koffi.decode(buffer, at, 'char16_t *') as string;
    case EVT_VAR_TYPE.UInt16:
      return buffer.readUInt16LE(at);
    case EVT_VAR_TYPE.UInt32:
    case EVT_VAR_TYPE.Int32:
    case EVT_VAR_TYPE.HexInt32:
      return buffer.readUInt32LE(at);
    case EVT_VAR_TYPE.UInt64:
    case EVT_VAR_TYPE.Int64:
    case EVT_VAR_TYPE.HexInt64:
    case EVT_VAR_TYPE.SizeT:
    case EVT_VAR_TYPE.FileTime:
      return Number(buffer.readBigUInt64LE(at));
    default:
      return undefined;
  }
}

const num = (v: Value): number | undefined => {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+$/.test(v.trim())) return Number(v.trim());
  return undefined;
};
const str = (v: Value): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The values rendered in FIELDS order -> a record; undefined when it lacks an event id or a process id. */
export function recordOf(values: readonly Value[]): BlockedConnectionRecord | undefined {
  const [eventId, filetime, pid, app, direction, src, sport, dst, dport, protocol, filterId, layerId] = values;
  const id = num(eventId);
  const processId = num(pid);
  if (id === undefined || processId === undefined) return undefined;
  const ticks = num(filetime);
  const dir = str(direction);
  return {
    eventId: id,
    time: ticks ? Math.round(ticks / 10_000 - 11_644_473_600_000) : Date.now(),
    processId,
    application: str(app),
    // The message-table references the record stores (%%14592 Inbound, %%14593 Outbound), or their text.
    direction:
      dir === '%%14592' || dir === 'Inbound' ? 'in' : dir === '%%14593' || dir === 'Outbound' ? 'out' : undefined,
    sourceAddress: str(src),
    sourcePort: num(sport),
    destAddress: str(dst),
    destPort: num(dport),
    protocol: num(protocol),
    filterId: num(filterId),
    layerId: num(layerId),
  };
}

function error(lib: ServicesLibrary, func: string, what: string): ServicesError {
  const code = lib.fn.GetLastError() as number;
  const hint =
    code === SERVICES_ERRORS.ERROR_ACCESS_DENIED ? 'Reading the Security log needs administrator rights.' : what;
  return new ServicesError(func, code, servicesErrorSymbol(code), hint);
}

function wait(lib: ServicesLibrary, handle: unknown, ms: number): Promise<number> {
  return new Promise((resolve) =>
    lib.fn.WaitForSingleObject.async(handle, ms, (err: unknown, rc: number) => resolve(err ? -1 : rc)),
  );
}

/** Subscribes to future 5157/5152 records and hands each to `onRecord` on the JS thread until stop(). */
export function watchBlockedConnections(
  onRecord: (record: BlockedConnectionRecord) => void,
  lib: ServicesLibrary = loadServices(),
): SecurityLogWatch {
  const signal: unknown = lib.fn.CreateEventW(null, 1, 1, null);
  if (isNull(signal)) throw error(lib, 'CreateEventW', 'Windows services stay unnamed.');
  const subscription: unknown = lib.fn.EvtSubscribe(
    null,
    signal,
    'Security',
    BLOCKED_CONNECTION_QUERY,
    null,
    null,
    null,
    EVT_SUBSCRIBE_TO_FUTURE_EVENTS,
  );
  if (isNull(subscription)) {
    const e = error(lib, 'EvtSubscribe', 'Windows services stay unnamed.');
    lib.fn.CloseHandle(signal);
    throw e;
  }
  const paths = FIELDS.map((f) => Buffer.from(`${f}\0`, 'utf16le'));
  const pathArray = Buffer.alloc(paths.length * 8);
  paths.forEach((p, i) => pathArray.writeBigUInt64LE(BigInt(koffi.address(p)), i * 8));
  const context: unknown = lib.fn.EvtCreateRenderContext(paths.length, pathArray, EVT_RENDER_CONTEXT_VALUES);
  if (isNull(context)) {
    const e = error(lib, 'EvtCreateRenderContext', 'Windows services stay unnamed.');
    lib.fn.EvtClose(subscription);
    lib.fn.CloseHandle(signal);
    throw e;
  }

  const stats = { received: 0, malformed: 0 };
  const handles = Buffer.alloc(BATCH * 8);
  let render = Buffer.alloc(4096);
  let stopped = false;

  const renderOne = (event: unknown): void => {
    const used = [0];
    const count = [0];
    let ok = lib.fn.EvtRender(context, event, EVT_RENDER_EVENT_VALUES, render.length, render, used, count) as number;
    if (!ok && (lib.fn.GetLastError() as number) === SERVICES_ERRORS.ERROR_INSUFFICIENT_BUFFER) {
      render = Buffer.alloc(Math.max(used[0] as number, render.length * 2));
      ok = lib.fn.EvtRender(context, event, EVT_RENDER_EVENT_VALUES, render.length, render, used, count) as number;
    }
    stats.received++;
    const record = ok ? recordOf(FIELDS.map((_, i) => variant(render, i))) : undefined;
    if (!record) {
      stats.malformed++;
      return;
    }
    try {
      onRecord(record);
    } catch {
      // A failing consumer must not stop the log.
    }
  };

  /** Reads every record that is there now. */
  const drain = (): void => {
    for (;;) {
      const returned = [0];
      if (!lib.fn.EvtNext(subscription, BATCH, handles, 0, 0, returned)) {
        // ERROR_NO_MORE_ITEMS: the signal is re-armed for the next record (the pull model's documented sequence).
        lib.fn.ResetEvent(signal);
        return;
      }
      const n = returned[0] as number;
      const events = koffi.decode(handles, koffi.array('void *', n)) as unknown[];
      for (const event of events) {
        try {
          renderOne(event);
        } finally {
          lib.fn.EvtClose(event);
        }
      }
    }
  };

  const loop = (async () => {
    while (!stopped) {
      await wait(lib, signal, WAIT_MS);
      if (stopped) break;
      // Also after a timeout: a record written between the last EvtNext and ResetEvent is not lost.
      drain();
    }
  })();

  return {
    stats,
    async stop() {
      if (stopped) return;
      stopped = true;
      await loop;
      lib.fn.EvtClose(context);
      lib.fn.EvtClose(subscription);
      lib.fn.CloseHandle(signal);
    },
  };
}
