// The decoder meets the same few strings again and again: an app's NT path on every attempt it makes, the same
// remote addresses, the same user SID. Built anew from the bytes each time, every one of them is a fresh string
// that core then hashes for its lookups and the garbage collector later sweeps. Interned here, where the bytes are
// read, the same bytes give back the very same string object: its hash is computed once and kept in it, equal
// strings compare by reference, and nothing new is allocated on a repeat.
//
// A direct-mapped cache: a hash of the raw words picks one slot; the slot holds a copy of the words it was made
// from (compared in full, so a hash collision only costs a rebuild, never a wrong string) and the text. A new
// sequence takes over its slot. Bounded by construction: `slots` strings at most, no eviction work per event.

export class Interner {
  private readonly mask: number;
  private readonly keys: (Uint32Array | undefined)[];
  private readonly texts: (string | undefined)[];
  /** The slot the last find looked at: where set() stores, and what a caller may keep beside the text. */
  slot = 0;

  constructor(slots: number) {
    if (slots < 1 || (slots & (slots - 1)) !== 0) throw new RangeError('slots must be a power of two');
    this.mask = slots - 1;
    this.keys = new Array<Uint32Array | undefined>(slots).fill(undefined);
    this.texts = new Array<string | undefined>(slots).fill(undefined);
  }

  /** The string made before from exactly `words[0..count)`, or undefined (then set() stores into the same slot). */
  find(words: ArrayLike<number>, count: number): string | undefined {
    let h = Math.imul(count + 1, 0x9e3779b1);
    for (let i = 0; i < count; i++) {
      h = Math.imul(h ^ words[i]!, 0x85ebca6b);
      h ^= h >>> 13;
    }
    h ^= h >>> 16;
    const slot = h & this.mask;
    this.slot = slot;
    const key = this.keys[slot];
    if (key === undefined || key.length !== count) return undefined;
    for (let i = 0; i < count; i++) if (key[i] !== words[i]) return undefined;
    return this.texts[slot];
  }

  /** Keeps `text` as the string of `words[0..count)`, in the slot the last find() chose for them. */
  set(words: ArrayLike<number>, count: number, text: string): string {
    const key = new Uint32Array(count);
    for (let i = 0; i < count; i++) key[i] = words[i]!;
    this.keys[this.slot] = key;
    this.texts[this.slot] = text;
    return text;
  }

  /** The text in `slot` now (a caller's memo next to it is valid only while this is still its string). */
  textAt(slot: number): string | undefined {
    return this.texts[slot];
  }
}
