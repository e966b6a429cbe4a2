// The live event log: a ring buffer of the newest `size` entries, plus the entries added since the last delta.
import type { ActivityEntry } from '../model';
import { Ring } from '../util/bounded';

export class ActivityLog {
  private readonly ring: Ring<ActivityEntry>;
  private fresh: ActivityEntry[] = [];
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
    // Nobody took the fresh entries for longer than the log holds: keep only what the log holds.
    if (this.fresh.length > this.ring.capacity * 2) this.fresh = this.fresh.slice(-this.ring.capacity);
  }

  takeFresh(): ActivityEntry[] {
    const out = this.fresh.length > this.ring.capacity ? this.fresh.slice(-this.ring.capacity) : this.fresh;
    this.fresh = [];
    return out;
  }

  entries(): ActivityEntry[] {
    return this.ring.toArray();
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
