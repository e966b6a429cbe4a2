// An immutable map of many entries of which each batch changes a few (10,000 apps, a few hundred per batch). Each
// version shares one full map (the base) and carries its own small map of what changed since the base; a new
// version copies only that small map. When it outgrows an eighth of the base, the new version is flattened into a
// fresh full map. A batch so copies hundreds of entries instead of every app (and leaves no 10,000-entry map behind
// for the garbage collector each time), and every older version still reads as it was.
//
// Order of iteration: as a Map's (entries in the order first added; a replaced entry keeps its place).

const REMOVED: unique symbol = Symbol('removed');
type Layer<V> = ReadonlyMap<string, V | typeof REMOVED>;

export class LayeredMap<V extends object> implements ReadonlyMap<string, V> {
  private constructor(
    private readonly base: ReadonlyMap<string, V>,
    private readonly changes: Layer<V>,
    readonly size: number,
  ) {}

  static of<V extends object>(entries: Iterable<readonly [string, V]>): LayeredMap<V> {
    const base = new Map<string, V>();
    for (const [key, value] of entries) base.set(key, value);
    return new LayeredMap(base, new Map(), base.size);
  }

  /** This map with `upserts` set and `removals` deleted; itself when both are empty. */
  update(upserts: Iterable<readonly [string, V]>, removals: Iterable<string>): LayeredMap<V> {
    const changes = new Map(this.changes);
    let size = this.size;
    let touched = false;
    const had = (key: string) => {
      const changed = changes.get(key);
      return changed === undefined ? this.base.has(key) : changed !== REMOVED;
    };
    for (const [key, value] of upserts) {
      if (!had(key)) size++;
      changes.set(key, value);
      touched = true;
    }
    for (const key of removals) {
      if (!had(key)) continue;
      size--;
      if (this.base.has(key)) changes.set(key, REMOVED);
      else changes.delete(key);
      touched = true;
    }
    if (!touched) return this;
    const next = new LayeredMap(this.base, changes, size);
    return changes.size > 64 + this.base.size / 8 ? LayeredMap.of(next) : next;
  }

  get(key: string): V | undefined {
    const changed = this.changes.get(key);
    if (changed === undefined) return this.base.get(key);
    return changed === REMOVED ? undefined : changed;
  }

  has(key: string): boolean {
    const changed = this.changes.get(key);
    return changed === undefined ? this.base.has(key) : changed !== REMOVED;
  }

  // With no changes on the base (just after flattening) the base's own iterators are handed out: a full sort of
  // every app then reads them at a Map's speed.
  entries(): MapIterator<[string, V]> {
    return this.changes.size === 0 ? this.base.entries() : this.layered((key, value) => [key, value]);
  }

  keys(): MapIterator<string> {
    return this.changes.size === 0 ? this.base.keys() : this.layered((key) => key);
  }

  values(): MapIterator<V> {
    return this.changes.size === 0 ? this.base.values() : this.layered((_, value) => value);
  }

  private *layered<T>(as: (key: string, value: V) => T): MapIterator<T> {
    const changes = this.changes;
    for (const [key, value] of this.base) {
      const changed = changes.get(key);
      if (changed === undefined) yield as(key, value);
      else if (changed !== REMOVED) yield as(key, changed);
    }
    for (const [key, changed] of changes) if (changed !== REMOVED && !this.base.has(key)) yield as(key, changed);
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }
}
