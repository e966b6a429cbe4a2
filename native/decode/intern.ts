// The decoder meets the same few strings again and again: an app's NT path on every attempt it makes, the same
// remote addresses, the same user SID. Built anew from the bytes each time, every one of them is a fresh string
// that core then hashes for its lookups and the garbage collector later sweeps. Interned here, where the bytes are
// read, the same bytes give back the very same string object: its hash is computed once and kept in it, equal
// strings compare by reference, and nothing new is allocated on a repeat.
//
// Two-way set-associative caches: a hash of the raw words picks a pair of slots; a slot's key is compared in full
// with the bytes (so a hash collision only costs a rebuild, never a wrong string). A new sequence takes the slot of
// the pair used less recently: two sequences whose hashes meet (with 2,000 apps in 16,384 slots, about a hundred
// pairs do) both stay, instead of pushing each other out on every event. Bounded by construction, no eviction work
// per event, and no object per slot but a path's key.

function hashOf(words: ArrayLike<number>, start: number, count: number): number {
  let h = Math.imul(count + 1, 0x9e3779b1);
  for (let i = start, end = start + count; i < end; i++) {
    h = Math.imul(h ^ words[i]!, 0x85ebca6b);
    h ^= h >>> 13;
  }
  return h ^ (h >>> 16);
}

function checkSlots(slots: number): void {
  if (slots < 2 || (slots & (slots - 1)) !== 0) throw new RangeError('slots must be a power of two, at least 2');
}

/** Sequences of at most `maxWords` 32-bit words (an address with its scope, a SID), keyed by their words. */
export class Interner {
  private readonly mask: number;
  private readonly keys: Uint32Array;
  /** Words in each slot's key; 0: empty. */
  private readonly counts: Uint8Array;
  private readonly texts: (string | undefined)[];
  /** Per pair of slots, the one used last (0 or 1). */
  private readonly recent: Uint8Array;
  private slot = -1;
  /** The two slots used last, looked at before any hashing: a local and a remote address repeat event after event. */
  private last = 0;
  private beforeLast = 0;

  constructor(
    slots: number,
    private readonly maxWords: number,
  ) {
    checkSlots(slots);
    if (maxWords < 1 || maxWords > 255) throw new RangeError('maxWords must be 1 to 255');
    this.mask = slots - 2;
    this.keys = new Uint32Array(slots * maxWords);
    this.counts = new Uint8Array(slots);
    this.texts = new Array<string | undefined>(slots).fill(undefined);
    this.recent = new Uint8Array(slots / 2);
  }

  /**
   * The string made before from exactly `words[start..start + count)`, or undefined (then set() stores into the
   * slot of its pair used less recently).
   */
  find(words: ArrayLike<number>, count: number, start = 0): string | undefined {
    if (count < 1 || count > this.maxWords) {
      this.slot = -1;
      return undefined;
    }
    if (this.holds(this.last, words, count, start)) return this.texts[this.last];
    if (this.holds(this.beforeLast, words, count, start)) return this.use(this.beforeLast);
    const pair = hashOf(words, start, count) & this.mask;
    if (this.holds(pair, words, count, start)) return this.use(pair);
    if (this.holds(pair + 1, words, count, start)) return this.use(pair + 1);
    this.slot = pair + (this.recent[pair >>> 1]! ^ 1);
    return undefined;
  }

  private holds(slot: number, words: ArrayLike<number>, count: number, start: number): boolean {
    if (this.counts[slot] !== count) return false;
    const base = slot * this.maxWords;
    for (let i = 0; i < count; i++) if (this.keys[base + i] !== words[start + i]) return false;
    return true;
  }

  private use(slot: number): string | undefined {
    this.recent[slot >>> 1] = slot & 1;
    this.beforeLast = this.last;
    this.last = slot;
    return this.texts[slot];
  }

  /** Keeps `text` as the string of `words[start..start + count)`, in the slot the last find() chose; returns it. */
  set(words: ArrayLike<number>, count: number, text: string, start = 0): string {
    const slot = this.slot;
    if (slot < 0) return text;
    const base = slot * this.maxWords;
    for (let i = 0; i < count; i++) this.keys[base + i] = words[start + i]!;
    this.counts[slot] = count;
    this.texts[slot] = text;
    this.use(slot);
    return text;
  }
}

/**
 * UTF-16 text of any length (an application's path), keyed by its words: a copy of them is kept beside the string
 * (made once per new path), so that a lookup compares 32-bit words, two code units at a time.
 */
export class TextInterner {
  private readonly mask: number;
  private readonly texts: (string | undefined)[];
  private readonly keys: (Uint32Array | undefined)[];
  private readonly recent: Uint8Array;
  /** The slot the last find found or chose: where set() stores, and what a caller may keep a memo beside. */
  slot = 0;
  private lastWords: Uint32Array = new Uint32Array(0);
  private lastStart = 0;
  private lastCount = 0;

  constructor(slots: number) {
    checkSlots(slots);
    this.mask = slots - 2;
    this.texts = new Array<string | undefined>(slots).fill(undefined);
    this.keys = new Array<Uint32Array | undefined>(slots).fill(undefined);
    this.recent = new Uint8Array(slots / 2);
  }

  /**
   * The string made before from the `length` code units in `words` from word `start` on, the last word padded with a
   * zero unit when `length` is odd.
   */
  find(words: Uint32Array, length: number, start = 0): string | undefined {
    const count = (length + 1) >>> 1;
    const pair = hashOf(words, start, count) & this.mask;
    this.lastWords = words;
    this.lastStart = start;
    this.lastCount = count;
    if (this.holds(pair, words, length, start)) return this.use(pair);
    if (this.holds(pair + 1, words, length, start)) return this.use(pair + 1);
    this.slot = pair + (this.recent[pair >>> 1]! ^ 1);
    return undefined;
  }

  private holds(slot: number, words: Uint32Array, length: number, start: number): boolean {
    const text = this.texts[slot];
    return text !== undefined && text.length === length && this.keyIs(slot, words, start);
  }

  /** Whether `slot`'s key is the words from `start` on (as many as the key has). */
  private keyIs(slot: number, words: Uint32Array, start: number): boolean {
    const key = this.keys[slot]!;
    for (let i = 0; i < key.length; i++) if (key[i] !== words[start + i]) return false;
    return true;
  }

  private use(slot: number): string {
    this.slot = slot;
    this.recent[slot >>> 1] = slot & 1;
    return this.texts[slot]!;
  }

  /**
   * The text the last find() found (or set() kept) when the units from word `start` on are that text and it ends
   * there, a NUL unit following it or `limit` units ending with it: what scanning to the first NUL within `limit` and
   * find() would give, without the scan, the hash or a look at any other slot. Undefined when it is not that text.
   */
  repeated(words: Uint32Array, units: Uint16Array, start: number, limit: number): string | undefined {
    const text = this.texts[this.slot];
    if (text === undefined || text.length > limit || !this.keyIs(this.slot, words, start)) return undefined;
    // An odd length's last key word holds the NUL unit after the text, so the comparison has seen it already.
    const length = text.length;
    if (length % 2 === 0 && length < limit && units[2 * start + length] !== 0) return undefined;
    return text;
  }

  /** Keeps `text` as the string of the words the last find() was given, in the slot it chose; returns it. */
  set(text: string): string {
    const slot = this.slot;
    this.texts[slot] = text;
    this.keys[slot] = this.lastWords.slice(this.lastStart, this.lastStart + this.lastCount);
    this.recent[slot >>> 1] = slot & 1;
    return text;
  }

  /** The text in `slot` now (a caller's memo next to it is valid only while this is still its string). */
  textAt(slot: number): string | undefined {
    return this.texts[slot];
  }
}
