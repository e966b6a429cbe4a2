// The live event log: the newest `size` entries, kept as typed columns (numbers in typed arrays, strings stored once
// in a table and referred to by number) rather than an object per entry, so that a log of 1,000,000 entries costs
// about 45 bytes per entry and nothing for the garbage collector to walk. Entries become objects again only when
// asked for (snapshot, export) and for the next delta (at most MAX_FRESH of them, read back from the columns: the
// log keeps no object of the entries it is given, so the pipeline can hand it the same one every time).
import type { ActivityEntry, BlockedBy } from '../model';
import { StringTable, type LogSlot } from './string-table';

export type { LogSlot } from './string-table';

/** Fresh entries kept for the next delta at most: a batch never carries more than this. */
export const MAX_FRESH = 500;

const VERDICTS: readonly ActivityEntry['verdict'][] = ['blocked', 'allowed', 'other'];
const DIRECTIONS: readonly ActivityEntry['direction'][] = [undefined, 'out', 'in', 'forward'];
const BLOCKED_BY: readonly (BlockedBy | undefined)[] = [
  undefined,
  'portcullis',
  'windows-firewall',
  'other',
  'unknown',
];
const ABSENT = -1;

/** Columns grow in steps up to the log's size, so a large allowed size costs nothing until it fills. */
const FIRST_CHUNK = 4_096;

class Columns {
  seq: Float64Array;
  time: Float64Array;
  /** appKey's number in the table; appName is kept as its note. */
  app: Uint32Array;
  address: Uint32Array;
  filter: Uint32Array;
  remotePort: Int32Array;
  localPort: Int32Array;
  protocol: Int16Array;
  /** verdict (2 bits) | direction (2 bits) << 2 | blockedBy (3 bits) << 4 */
  kind: Uint8Array;

  constructor(readonly length: number) {
    this.seq = new Float64Array(length);
    this.time = new Float64Array(length);
    this.app = new Uint32Array(length);
    this.address = new Uint32Array(length);
    this.filter = new Uint32Array(length);
    this.remotePort = new Int32Array(length);
    this.localPort = new Int32Array(length);
    this.protocol = new Int16Array(length);
    this.kind = new Uint8Array(length);
  }
}

export class ActivityLog {
  private columns: Columns;
  private capacity: number;
  /** Index of the oldest entry and number of entries. */
  private start = 0;
  private count = 0;
  private readonly strings = new StringTable();
  /** Entries added since the last delta (only the newest MAX_FRESH of them go with it). */
  private freshAdded = 0;
  private seq = 0;
  /** Entries appended in all: the newest is number `appended`, the oldest still kept `appended - count + 1`. */
  private appended = 0;

  constructor(size: number) {
    this.capacity = Math.max(1, size);
    this.columns = new Columns(Math.min(this.capacity, FIRST_CHUNK));
  }

  nextSeq(): number {
    return ++this.seq;
  }

  get size(): number {
    return this.count;
  }

  /** Distinct strings the log holds (apps, addresses, filter names). */
  get distinctStrings(): number {
    this.strings.sweep(this.oldestKept());
    return this.strings.size;
  }

  /**
   * Copies `entry` into the columns (keeps no reference to it). `app`, `address` and `filter` keep the numbers their strings had in the log last time (an app record, an
   * endpoint, a filter's attribution), so that a string the log still holds is counted again without a lookup.
   */
  append(entry: ActivityEntry, app?: LogSlot, address?: LogSlot, filter?: LogSlot): void {
    let slot: number;
    if (this.count < this.capacity) {
      if (this.count === this.columns.length) this.grow();
      slot = (this.start + this.count) % this.columns.length;
      this.count++;
    } else {
      // The oldest entry is overwritten; its strings are let go by the string table's next sweep.
      slot = this.start;
      this.start = (this.start + 1) % this.columns.length;
    }
    this.appended++;
    this.write(slot, entry, app, address, filter);
    this.freshAdded++;
  }

  /** The newest entries added since the last call, oldest first, at most the log's size. */
  takeFresh(): ActivityEntry[] {
    return this.takeFreshCapped(this.capacity).entries;
  }

  /** At most `limit` of the newest entries since the last call, and how many newer-than-last-call were left out. */
  takeFreshCapped(limit: number): { entries: ActivityEntry[]; skipped: number } {
    if (this.freshAdded === 0) return { entries: [], skipped: 0 };
    const keep = Math.max(0, Math.min(limit, MAX_FRESH, this.count, this.freshAdded));
    const entries = this.newest(keep);
    const skipped = this.freshAdded - keep;
    this.freshAdded = 0;
    return { entries, skipped };
  }

  entries(): ActivityEntry[] {
    return this.newest(this.count);
  }

  /** The newest `limit` entries, oldest first. */
  newest(limit: number): ActivityEntry[] {
    const n = Math.min(limit, this.count);
    const out: ActivityEntry[] = new Array<ActivityEntry>(n);
    for (let i = 0; i < n; i++) out[i] = this.read((this.start + this.count - n + i) % this.columns.length);
    return out;
  }

  /**
   * The newest `limit` entries older than sequence number `before`, oldest first, and whether older ones remain;
   * only among the newest `within` entries of the log. Sequence numbers only grow along the log, so the start is
   * found by bisection: O(log n + limit).
   */
  olderThan(before: number, limit: number, within = this.count): { entries: ActivityEntry[]; more: boolean } {
    const c = this.columns;
    const at = (i: number) => (this.start + i) % c.length;
    // First position whose entry is not older than `before`.
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (c.seq[at(mid)]! < before) lo = mid + 1;
      else hi = mid;
    }
    const floor = Math.max(0, this.count - within);
    const from = Math.max(floor, lo - Math.max(0, limit));
    if (lo <= from) return { entries: [], more: false };
    const entries: ActivityEntry[] = new Array<ActivityEntry>(lo - from);
    for (let i = from; i < lo; i++) entries[i - from] = this.read(at(i));
    return { entries, more: from > floor };
  }

  resize(size: number): void {
    const capacity = Math.max(1, size);
    if (capacity === this.capacity) return;
    // Keeps the newest entries that fit, in a fresh set of columns.
    const keep = Math.min(this.count, capacity);
    const old = this.columns;
    const oldStart = this.start;
    const next = new Columns(Math.min(capacity, Math.max(keep, FIRST_CHUNK)));
    for (let i = 0; i < keep; i++) copySlot(old, (oldStart + this.count - keep + i) % old.length, next, i);
    this.columns = next;
    this.capacity = capacity;
    this.start = 0;
    this.count = keep;
  }

  private grow(): void {
    const old = this.columns;
    const next = new Columns(Math.min(this.capacity, old.length * 2));
    for (let i = 0; i < this.count; i++) copySlot(old, (this.start + i) % old.length, next, i);
    this.columns = next;
    this.start = 0;
  }

  private write(
    slot: number,
    e: ActivityEntry,
    app: LogSlot | undefined,
    address: LogSlot | undefined,
    filter: LogSlot | undefined,
  ): void {
    const c = this.columns;
    c.seq[slot] = e.seq;
    c.time[slot] = e.time;
    const use = this.appended;
    const oldest = this.oldestKept();
    c.app[slot] = this.strings.acquire(e.appKey, use, oldest, app, e.appName);
    c.address[slot] = this.strings.acquire(e.remoteAddress, use, oldest, address);
    c.filter[slot] = this.strings.acquire(e.filterName, use, oldest, filter);
    c.remotePort[slot] = e.remotePort ?? ABSENT;
    c.localPort[slot] = e.localPort ?? ABSENT;
    c.protocol[slot] = e.protocol ?? ABSENT;
    c.kind[slot] =
      VERDICTS.indexOf(e.verdict) | (DIRECTIONS.indexOf(e.direction) << 2) | (BLOCKED_BY.indexOf(e.blockedBy) << 4);
  }

  /** The number (in append order) of the oldest entry kept: strings last used before it are no longer needed. */
  private oldestKept(): number {
    return this.appended - this.count + 1;
  }

  private read(slot: number): ActivityEntry {
    const c = this.columns;
    const app = c.app[slot]!;
    const kind = c.kind[slot]!;
    const remotePort = c.remotePort[slot]!;
    const localPort = c.localPort[slot]!;
    const protocol = c.protocol[slot]!;
    // The same keys in the same order as the pipeline's entries (undefined where absent).
    return {
      seq: c.seq[slot]!,
      time: c.time[slot]!,
      appKey: this.strings.get(app) ?? '',
      appName: this.strings.note(app) ?? '',
      verdict: VERDICTS[kind & 3]!,
      direction: DIRECTIONS[(kind >> 2) & 3],
      protocol: protocol === ABSENT ? undefined : protocol,
      remoteAddress: this.strings.get(c.address[slot]!),
      remotePort: remotePort === ABSENT ? undefined : remotePort,
      localPort: localPort === ABSENT ? undefined : localPort,
      blockedBy: BLOCKED_BY[(kind >> 4) & 7],
      filterName: this.strings.get(c.filter[slot]!),
    };
  }
}

function copySlot(from: Columns, i: number, to: Columns, j: number): void {
  to.seq[j] = from.seq[i]!;
  to.time[j] = from.time[i]!;
  to.app[j] = from.app[i]!;
  to.address[j] = from.address[i]!;
  to.filter[j] = from.filter[i]!;
  to.remotePort[j] = from.remotePort[i]!;
  to.localPort[j] = from.localPort[i]!;
  to.protocol[j] = from.protocol[i]!;
  to.kind[j] = from.kind[i]!;
}
const CSV_COLUMNS = [
  'seq',
  'time',
  'appName',
  'appKey',
  'verdict',
  'direction',
  'protocol',
  'remoteAddress',
  'remotePort',
  'localPort',
  'blockedBy',
  'filterName',
] as const;

export function activityToCsv(entries: readonly ActivityEntry[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const e of entries) {
    lines.push(
      CSV_COLUMNS.map((c) => {
        const value = c === 'time' ? new Date(e.time).toISOString() : e[c];
        return csvCell(value === undefined ? '' : String(value));
      }).join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

function csvCell(text: string): string {
  // A leading = + - @ would make a spreadsheet run the cell as a formula.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
