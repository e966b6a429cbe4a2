// The app map of the renderer's store: each batch makes a new version that reads exactly like a Map with the
// batch applied (entries, order, size, lookups), while every older version still reads as it was.
import { describe, expect, it } from 'vitest';
import { LayeredMap } from '../../../renderer/src/store/layered-map';

interface Row {
  readonly n: number;
}

function random(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s % n;
  };
}

function expectSame(map: LayeredMap<Row>, reference: Map<string, Row>) {
  expect(map.size).toBe(reference.size);
  expect([...map.entries()]).toEqual([...reference.entries()]);
  expect([...map.keys()]).toEqual([...reference.keys()]);
  expect([...map.values()]).toEqual([...reference.values()]);
  const seen: string[] = [];
  map.forEach((_, key) => seen.push(key));
  expect(seen).toEqual([...reference.keys()]);
  for (const key of ['a', 'b', 'c', 'd', 'e']) {
    expect(map.has(key)).toBe(reference.has(key));
    expect(map.get(key)).toBe(reference.get(key));
  }
}

describe('LayeredMap', () => {
  it('reads like a Map after each of many batches, and older versions keep their entries', () => {
    const r = random(11);
    const start = Array.from({ length: 200 }, (_, k) => [`k${k}`, { n: k }] as const);
    let map = LayeredMap.of<Row>(start);
    let reference = new Map<string, Row>(start);
    const history: [LayeredMap<Row>, Map<string, Row>][] = [];
    for (let batch = 0; batch < 150; batch++) {
      const upserts: (readonly [string, Row])[] = [];
      const removals: string[] = [];
      // A key both set and removed in one batch ends removed, as in a Map.
      for (let i = 0; i < r(20); i++) upserts.push([`k${r(300)}`, { n: batch * 1000 + i }]);
      for (let i = 0; i < r(6); i++) removals.push(`k${r(300)}`);
      const next = map.update(upserts, removals);
      const nextReference = new Map(reference);
      for (const [key, value] of upserts) nextReference.set(key, value);
      for (const key of removals) nextReference.delete(key);
      // Compared in key order: a key removed and added again goes last in a Map, here it may keep its old place
      // until the next flattening (nothing reads the order of the apps).
      expect(new Map([...next].sort(([a], [b]) => (a < b ? -1 : 1)))).toEqual(
        new Map([...nextReference].sort(([a], [b]) => (a < b ? -1 : 1))),
      );
      expect(next.size).toBe(nextReference.size);
      for (let k = 0; k < 320; k++) expect(next.get(`k${k}`)).toBe(nextReference.get(`k${k}`));
      history.push([map, reference]);
      map = next;
      reference = nextReference;
    }
    for (const [old, oldReference] of history) {
      expect(old.size).toBe(oldReference.size);
      for (let k = 0; k < 320; k++) expect(old.get(`k${k}`)).toBe(oldReference.get(`k${k}`));
    }
  });

  it('keeps the order of a Map for replaced, added and removed entries', () => {
    const map = LayeredMap.of<Row>([
      ['a', { n: 1 }],
      ['b', { n: 2 }],
      ['c', { n: 3 }],
    ]);
    const reference = new Map<string, Row>([...map]);
    const b2 = { n: 20 };
    const d = { n: 4 };
    const next = map.update(
      [
        ['b', b2],
        ['d', d],
      ],
      ['a'],
    );
    reference.set('b', b2).set('d', d).delete('a');
    expectSame(next, reference);
    expect(next.update([], [])).toBe(next);
    expect(next.update([], ['nothing here'])).toBe(next);
  });
});
