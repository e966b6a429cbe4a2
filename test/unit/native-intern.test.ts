// The decoder's interning (native/decode/intern.ts) hands back the string made before for the same bytes. What a
// user would notice if it were wrong: one app's attempts shown under another app's path, an address that is not
// the one the packet went to. So: with far more distinct sequences than slots, every answer is either the right
// string or "not known" (then rebuilt), never another sequence's string.
import { describe, expect, it } from 'vitest';
import { Interner, TextInterner } from '../../native/decode/intern.js';

/** Writes `text` as UTF-16 units over `units` filled with `fill` first, as the decoder's buffer holds a blob. */
function writeUnits(units: Uint16Array, text: string, fill: number): void {
  units.fill(fill);
  for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
}

const textOf = (words: ArrayLike<number>, count: number) => Array.from({ length: count }, (_, i) => words[i]).join('.');

describe('interning decoded strings', () => {
  it('the same words give back the string made for them; other words never do, even sharing a slot', () => {
    const interner = new Interner(4, 8);
    const words = new Uint32Array(8);
    let rebuilt = 0;
    let reused = 0;
    // 5,000 lookups of 300 distinct sequences of 1-8 words through 4 slots: collisions on nearly every lookup.
    let seed = 7;
    for (let n = 0; n < 5_000; n++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const pick = seed % 300;
      const count = 1 + (pick % 8);
      for (let i = 0; i < count; i++) words[i] = (pick * 2654435761 + i) >>> 0;
      // Stale words past `count` must not matter.
      words.fill(n, count);
      const known = interner.find(words, count);
      if (known === undefined) {
        rebuilt++;
        interner.set(words, count, textOf(words, count));
      } else {
        reused++;
        expect(known).toBe(textOf(words, count));
      }
    }
    expect(rebuilt).toBeGreaterThan(0);
    expect(reused).toBeGreaterThan(0);
  });

  it('longer than a slot holds: never kept, always made anew', () => {
    const interner = new Interner(2, 2);
    const words = new Uint32Array([1, 2, 3]);
    expect(interner.find(words, 3)).toBeUndefined();
    interner.set(words, 3, 'three');
    expect(interner.find(words, 3)).toBeUndefined();
    expect(interner.find(words, 2)).toBeUndefined();
  });

  it('paths: the same units give back the kept string; other paths sharing its slot never do', () => {
    const interner = new TextInterner(2);
    const buffer = new ArrayBuffer(256);
    const units = new Uint16Array(buffer);
    const words = new Uint32Array(buffer);
    const paths = Array.from({ length: 40 }, (_, i) => `\\device\\harddiskvolume3\\app${i}${'x'.repeat(i % 5)}.exe`);
    let reused = 0;
    for (let n = 0; n < 400; n++) {
      // Each path twice in a row, 40 paths through 2 slots: hits and collisions both.
      const path = paths[Math.floor(n / 2) % paths.length]!;
      writeUnits(units, path, 0xffff);
      if (path.length % 2 === 1) units[path.length] = 0;
      const known = interner.find(words, path.length);
      if (known === undefined) interner.set(path);
      else {
        reused++;
        expect(known).toBe(path);
      }
    }
    expect(reused).toBeGreaterThan(0);
  });

  it('two sequences whose hash picks the same slots both stay: an app and an address each found again, not rebuilt', () => {
    // One pair of slots: whatever the hash, every sequence lands in it.
    const paths = new TextInterner(2);
    const units = new Uint16Array(64);
    const words = new Uint32Array(units.buffer);
    const put = (path: string) => writeUnits(units, path, 0);
    const a = '\\device\\harddiskvolume3\\a.exe';
    const b = '\\device\\harddiskvolume3\\bb.exe';
    for (const path of [a, b]) {
      put(path);
      expect(paths.find(words, path.length)).toBeUndefined();
      paths.set(path);
    }
    for (let n = 0; n < 10; n++)
      for (const path of [a, b]) {
        put(path);
        expect(paths.find(words, path.length)).toBe(path);
      }

    const addresses = new Interner(2, 1);
    const one = new Uint32Array([0x0a000001]);
    const two = new Uint32Array([0x0a000002]);
    addresses.find(one, 1);
    addresses.set(one, 1, '10.0.0.1');
    addresses.find(two, 1);
    addresses.set(two, 1, '10.0.0.2');
    for (let n = 0; n < 10; n++) {
      expect(addresses.find(one, 1)).toBe('10.0.0.1');
      expect(addresses.find(two, 1)).toBe('10.0.0.2');
    }
  });

  it('the path just read is given again without a lookup only when the bytes are that path, ending where it ends', () => {
    const paths = new TextInterner(16);
    const units = new Uint16Array(64);
    const words = new Uint32Array(units.buffer);
    const put = (text: string) => writeUnits(units, text, 0x41);
    for (const path of ['\\device\\x\\tool.exe', '\\device\\x\\tool2.exe']) {
      put(`${path}\0`);
      expect(paths.repeated(words, units, 0, 64)).toBeUndefined();
      expect(paths.find(words, path.length)).toBeUndefined();
      paths.set(path);
      // The same bytes again, followed by a NUL: the same string.
      expect(paths.repeated(words, units, 0, 64)).toBe(path);
      // The same path as the whole blob, no NUL: the same string.
      expect(paths.repeated(words, units, 0, path.length)).toBe(path);
      // A longer path that starts with it, a shorter blob, other bytes: not it.
      put(`${path}.bak\0`);
      expect(paths.repeated(words, units, 0, 64)).toBeUndefined();
      put(`${path}\0`);
      expect(paths.repeated(words, units, 0, path.length - 1)).toBeUndefined();
      put('\\device\\y\\tool.exe\0');
      expect(paths.repeated(words, units, 0, 64)).toBeUndefined();
    }
  });

  it('a prefix is not the whole: sequences of different lengths are different strings', () => {
    const interner = new Interner(2, 3);
    const words = new Uint32Array([1, 2, 3]);
    expect(interner.find(words, 3)).toBeUndefined();
    interner.set(words, 3, 'three');
    expect(interner.find(words, 3)).toBe('three');
    expect(interner.find(words, 2)).toBeUndefined();
  });

  it('refuses a slot count that is not a power of two', () => {
    expect(() => new Interner(3, 4)).toThrow(RangeError);
    expect(() => new TextInterner(6)).toThrow(RangeError);
  });
});
