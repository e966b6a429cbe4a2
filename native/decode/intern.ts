// The decoder meets the same few strings again and again: an app's NT path on every attempt it makes, the same
// remote addresses, the same user SID. Built anew from the bytes each time, every one of them is a fresh string
// that core then hashes for its lookups and the garbage collector later sweeps. Interned here, where the bytes are
// read, the same bytes give back the very same string object: its hash is computed once and kept in it, equal
// strings compare by reference, and nothing new is allocated on a repeat.
//
// Direct-mapped caches: a hash of the raw words picks one slot; the slot's key is compared in full with the bytes
// (so a hash collision only costs a rebuild, never a wrong string). A new sequence takes over its slot. Bounded by
// construction, no eviction work per event, and no object per slot: keys live in one typed array (short byte
// sequences) or are the kept string itself (paths, which core keeps anyway).

function slotOf(words: ArrayLike<number>, count: number, mask: number): number {
  let h = Math.imul(count + 1, 0x9e3779b1);
  for (let i = 0; i < count; i++) {
    h = Math.imul(h ^ words[i]!, 0x85ebca6b);
    h ^= h >>> 13;
  }
  return (h ^ (h >>> 16)) & mask;
}

function checkSlots(slots: number): void {
  if (slots < 1 || (slots & (slots - 1)) !== 0) throw new RangeError('slots must be a power of two');
}

/** Sequences of at most `maxWords` 32-bit words (an address with its scope, a SID), keyed by their words. */
export class Interner {
  private readonly mask: number;
  private readonly keys: Uint32Array;
  /** Words in each slot's key; 0: empty. */
  private readonly counts: Uint8Array;
  private readonly texts: (string | undefined)[];
  private slot = -1;

  constructor(
    slots: number,
    private readonly maxWords: number,
  ) {
    checkSlots(slots);
    if (maxWords < 1 || maxWords > 255) throw new RangeError('maxWords must be 1 to 255');
    this.mask = slots - 1;
    this.keys = new Uint32Array(slots * maxWords);
    this.counts = new Uint8Array(slots);
    this.texts = new Array<string | undefined>(slots).fill(undefined);
  }

  /** The string made before from exactly `words[0..count)`, or undefined (then set() stores into the same slot). */
  find(words: ArrayLike<number>, count: number): string | undefined {
    if (count < 1 || count > this.maxWords) {
      this.slot = -1;
      return undefined;
    }
    const slot = slotOf(words, count, this.mask);
    this.slot = slot;
    if (this.counts[slot] !== count) return undefined;
    const base = slot * this.maxWords;
    for (let i = 0; i < count; i++) if (this.keys[base + i] !== words[i]) return undefined;
    return this.texts[slot];
  }

  /** Keeps `text` as the string of `words[0..count)`, in the slot the last find() chose for them; returns it. */
  set(words: ArrayLike<number>, count: number, text: string): string {
    const slot = this.slot;
    if (slot < 0) return text;
    const base = slot * this.maxWords;
    for (let i = 0; i < count; i++) this.keys[base + i] = words[i]!;
    this.counts[slot] = count;
    this.texts[slot] = text;
    return text;
  }
}

/**
 * UTF-16 text of any length (an application's path), keyed by the kept string itself: compared code unit by code
 * unit with the bytes, so the cache holds nothing but strings core holds anyway.
 */
export class TextInterner {
  private readonly mask: number;
  private readonly texts: (string | undefined)[];
  /** The slot the last find looked at: where set() stores, and what a caller may keep a memo beside. */
  slot = 0;

  constructor(slots: number) {
    checkSlots(slots);
    this.mask = slots - 1;
    this.texts = new Array<string | undefined>(slots).fill(undefined);
  }

  /**
   * The string made before from `units[0..length)`; `words` are the same bytes as 32-bit words, the last one
   * padded with a zero unit when `length` is odd.
   */
  find(units: Uint16Array, words: Uint32Array, length: number): string | undefined {
    const slot = slotOf(words, (length + 1) >>> 1, this.mask);
    this.slot = slot;
    const text = this.texts[slot];
    if (text === undefined || text.length !== length) return undefined;
    for (let i = 0; i < length; i++) if (text.charCodeAt(i) !== units[i]) return undefined;
    return text;
  }

  /** Keeps `text` in the slot the last find() chose; returns it. */
  set(text: string): string {
    this.texts[this.slot] = text;
    return text;
  }

  /** The text in `slot` now (a caller's memo next to it is valid only while this is still its string). */
  textAt(slot: number): string | undefined {
    return this.texts[slot];
  }
}
