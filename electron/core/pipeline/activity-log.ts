// The live event log: a ring buffer of the newest `size` entries, plus the entries added since the last delta.
import type { ActivityEntry } from '../model';
import { Ring } from '../util/bounded';

/** Fresh entries kept for the next delta at most: a batch never carries more than this. */
export const MAX_FRESH = 500;

export class ActivityLog {
  private readonly ring: Ring<ActivityEntry>;
  /** The newest entries since the last delta, and how many were added in all (the rest were overwritten). */
  private fresh = new Ring<ActivityEntry>(MAX_FRESH);
  private freshAdded = 0;
  private seq = 0;

  constructor(size: number) {
    this.ring = new Ring(size);
  }

  nextSeq(): number {
    return ++this.seq;
  }

  append(entry: ActivityEntry): void {
    this.ring.push(entry);
    this.fresh.push(entry);
    this.freshAdded++;
  }

  /** The newest entries added since the last call, oldest first, at most the log's size. */
  takeFresh(): ActivityEntry[] {
    return this.takeFreshCapped(this.ring.capacity).entries;
  }

  /** At most `limit` of the newest entries since the last call, and how many newer-than-last-call were left out. */
  takeFreshCapped(limit: number): { entries: ActivityEntry[]; skipped: number } {
    if (this.freshAdded === 0) return { entries: [], skipped: 0 };
    const all = this.fresh.toArray();
    const keep = Math.max(0, Math.min(limit, this.ring.capacity, all.length));
    const entries = keep === all.length ? all : all.slice(all.length - keep);
    const skipped = this.freshAdded - entries.length;
    this.fresh = new Ring<ActivityEntry>(MAX_FRESH);
    this.freshAdded = 0;
    return { entries, skipped };
  }

  entries(): ActivityEntry[] {
    return this.ring.toArray();
  }

  /** The newest `limit` entries, oldest first. */
  newest(limit: number): ActivityEntry[] {
    const all = this.ring.toArray();
    return all.length > limit ? all.slice(all.length - limit) : all;
  }

  resize(size: number): void {
    if (size !== this.ring.capacity) this.ring.resize(size);
  }
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
