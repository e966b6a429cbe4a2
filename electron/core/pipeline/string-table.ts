// Strings kept by many log entries, stored once per holder: each gets a small number, which its holder (an app's
// record, an endpoint, a filter's attribution) keeps for the next entry, so that a string logged again needs no
// lookup. A string logged without a holder is found through a map instead. The same text may so hold two numbers
// (an endpoint forgotten and seen again gets a new one): 24 bytes each, where looking every string up in a map cost
// three map operations per event under a flood of new endpoints (find, add, and delete when it is let go).
//
// A number is held while an entry still in the log uses it: the table remembers the number of the newest entry
// that did, and a sweep lets go of those used only by entries the log no longer keeps. Counting each entry's
// strings in and out instead touched three old, long-evicted slots per event. The sweep runs when the table has
// grown by a quarter since the last one: it reads about five slots per new number, and numbers no entry uses stay
// under a fifth of the table. Number 0 stands for "absent".
const FIRST_SWEEP = 1_024;

/** Where a holder of a string keeps its number in the log between entries. */
export interface LogSlot {
  logId: number;
}

export class StringTable {
  /** Strings logged without a holder: text -> number. */
  private readonly unheld = new Map<string, number>();
  private strings: (string | undefined)[] = [undefined];
  /** The number of the newest entry that used the string. */
  private lastUse: number[] = [0];
  private notes: (string | undefined)[] = [undefined];
  private readonly free: number[] = [];
  private sweepAt = FIRST_SWEEP;

  /**
   * The string's number for entry number `use` (0 for undefined). `holder` keeps the number this string had last
   * time: when it still holds this very string, nothing is looked up; it is given the new number otherwise. `note`
   * is kept beside it (the latest given wins): an app's display name beside its key. `oldestKept`: the number of
   * the log's oldest entry; strings used only before it may be let go (the sweep).
   */
  acquire(text: string | undefined, use: number, oldestKept: number, holder?: LogSlot, note?: string): number {
    if (text === undefined) return 0;
    let id: number;
    if (holder !== undefined) {
      id = holder.logId;
      if (id === 0 || this.strings[id] !== text) {
        id = this.add(text, oldestKept);
        holder.logId = id;
      }
    } else {
      const found = this.unheld.get(text);
      if (found === undefined) {
        id = this.add(text, oldestKept);
        this.unheld.set(text, id);
      } else {
        id = found;
      }
    }
    this.lastUse[id] = use;
    if (note !== undefined) this.notes[id] = note;
    return id;
  }

  /** Lets go of every number no entry from number `oldestKept` on uses. O(table size). */
  sweep(oldestKept: number): void {
    for (let id = 1; id < this.strings.length; id++) {
      const text = this.strings[id];
      if (text === undefined || this.lastUse[id]! >= oldestKept) continue;
      if (this.unheld.get(text) === id) this.unheld.delete(text);
      this.strings[id] = undefined;
      this.notes[id] = undefined;
      this.free.push(id);
    }
    this.sweepAt = Math.max(FIRST_SWEEP, Math.ceil(this.size * 1.25));
  }

  get(id: number): string | undefined {
    return this.strings[id];
  }

  note(id: number): string | undefined {
    return this.notes[id];
  }

  /** Numbers in use now (some may be waiting for the next sweep). */
  get size(): number {
    return this.strings.length - 1 - this.free.length;
  }

  private add(text: string, oldestKept: number): number {
    if (this.size >= this.sweepAt) this.sweep(oldestKept);
    const id = this.free.pop() ?? this.strings.length;
    this.strings[id] = text;
    this.notes[id] = undefined;
    return id;
  }
}
