// Small bounded containers: everything core keeps per app or per event has a ceiling.

/** A Map that forgets its least recently touched entries beyond `capacity`. touch/get-for-update are O(1). */
export class LruMap<K, V> {
  private readonly map = new Map<K, V>();

  constructor(
    public capacity: number,
    private readonly onEvict?: (key: K, value: V) => void,
  ) {}

  get size(): number {
    return this.map.size;
  }

  /** Reads without changing the order. */
  peek(key: K): V | undefined {
    return this.map.get(key);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  /** Reads and marks as most recently used. */
  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value === undefined) return undefined;
    this.map.delete(key);
    this.map.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    this.trim();
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }

  /** Oldest first. */
  keys(): IterableIterator<K> {
    return this.map.keys();
  }

  /** Oldest first. */
  values(): IterableIterator<V> {
    return this.map.values();
  }

  entries(): IterableIterator<[K, V]> {
    return this.map.entries();
  }

  /** Newest first, at most `limit`. */
  newest(limit: number): V[] {
    const all = [...this.map.values()];
    return all.slice(Math.max(0, all.length - limit)).reverse();
  }

  private trim(): void {
    while (this.map.size > this.capacity) {
      const oldest = this.map.keys().next();
      if (oldest.done) return;
      const value = this.map.get(oldest.value) as V;
      this.map.delete(oldest.value);
      this.onEvict?.(oldest.value, value);
    }
  }
}

/** Fixed-size ring: append is O(1), the oldest entry is overwritten when full. */
export class Ring<T> {
  private items: (T | undefined)[];
  private start = 0;
  private count = 0;

  constructor(private cap: number) {
    this.items = new Array<T | undefined>(Math.max(1, cap));
  }

  get size(): number {
    return this.count;
  }

  get capacity(): number {
    return this.cap;
  }

  push(item: T): void {
    if (this.count < this.cap) {
      this.items[(this.start + this.count) % this.cap] = item;
      this.count++;
    } else {
      this.items[this.start] = item;
      this.start = (this.start + 1) % this.cap;
    }
  }

  /** Oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.items[(this.start + i) % this.cap] as T);
    return out;
  }

  /** Keeps the newest entries that fit. */
  resize(capacity: number): void {
    const kept = this.toArray().slice(-Math.max(1, capacity));
    this.cap = Math.max(1, capacity);
    this.items = new Array<T | undefined>(this.cap);
    this.start = 0;
    this.count = 0;
    for (const item of kept) this.push(item);
  }

  clear(): void {
    this.items = new Array<T | undefined>(this.cap);
    this.start = 0;
    this.count = 0;
  }
}
