// Strings kept by many log entries, stored once: each distinct string gets a small number. A string is held while
// an entry still in the log uses it: the table remembers the number of the newest entry that did, and a sweep
// forgets those used only by entries the log no longer keeps. Counting each entry's strings in and out instead
// touched three old, long-evicted table slots per event to let go of the oldest entry's strings. The sweep runs
// when the table has grown by a quarter since the last one: it reads about five slots per new string, and strings
// no entry uses take at most a fifth of the table. Number 0 stands for "absent".
const FIRST_SWEEP = 1_024;

export class StringTable {
  private readonly ids = new Map<string, number>();
  private strings: (string | undefined)[] = [undefined];
  /** The number of the newest entry that used the string. */
  private lastUse: number[] = [0];
  private notes: (string | undefined)[] = [undefined];
  private readonly free: number[] = [];
  private sweepAt = FIRST_SWEEP;

  /**
   * The string's number for entry number `use` (0 for undefined). `hint` is the number this string had last time,
   * kept by whoever holds the string: when it still holds this very string, no lookup is needed. `note` is kept
   * beside it (the latest given wins): an app's display name beside its key. `oldestKept`: the number of the log's
   * oldest entry; strings used only before it may be let go (the sweep).
   */
  acquire(text: string | undefined, use: number, oldestKept: number, hint = 0, note?: string): number {
    if (text === undefined) return 0;
    let id = hint;
    if (hint === 0 || this.strings[hint] !== text) {
      const found = this.ids.get(text);
      if (found === undefined) {
        if (this.ids.size >= this.sweepAt) this.sweep(oldestKept);
        id = this.free.pop() ?? this.strings.length;
        this.strings[id] = text;
        this.notes[id] = undefined;
        this.ids.set(text, id);
      } else {
        id = found;
      }
    }
    this.lastUse[id] = use;
    if (note !== undefined) this.notes[id] = note;
    return id;
  }

  /** Lets go of every string no entry from number `oldestKept` on uses. O(table size). */
  sweep(oldestKept: number): void {
    for (let id = 1; id < this.strings.length; id++) {
      const text = this.strings[id];
      if (text === undefined || this.lastUse[id]! >= oldestKept) continue;
      this.ids.delete(text);
      this.strings[id] = undefined;
      this.notes[id] = undefined;
      this.free.push(id);
    }
    this.sweepAt = Math.max(FIRST_SWEEP, Math.ceil(this.ids.size * 1.25));
  }

  get(id: number): string | undefined {
    return this.strings[id];
  }

  note(id: number): string | undefined {
    return this.notes[id];
  }

  /** Distinct strings held now (some may be waiting for the next sweep). */
  get size(): number {
    return this.ids.size;
  }
}
