// Small bounded containers: everything core keeps per app or per event has a ceiling.
import { RecencyList } from './recency-list';

interface LruNode<K, V> {
  readonly key: K;
  value: V;
  older: LruNode<K, V> | undefined;
  newer: LruNode<K, V> | undefined;
}

/**
 * A Map that forgets its least recently touched entries beyond `capacity`. Recency is a linked list beside the
 * map (recency-list.ts); a touch of the newest entry does nothing. get/set/delete are O(1).
 */
export class LruMap<K, V> {
  private readonly map = new Map<K, LruNode<K, V>>();
  private readonly order = new RecencyList<LruNode<K, V>>();

  constructor(
    public capacity: number,
    private readonly onEvict?: (key: K, value: V) => void,
  ) {}

  get size(): number {
    return this.map.size;
  }

  /** Reads without changing the order. */
  peek(key: K): V | undefined {
    return this.map.get(key)?.value;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  /** Reads and marks as most recently used. */
  get(key: K): V | undefined {
    const node = this.map.get(key);
    if (node === undefined) return undefined;
    this.order.touch(node);
    return node.value;
  }

  set(key: K, value: V): void {
    const node = this.map.get(key);
    if (node !== undefined) {
      node.value = value;
      this.order.touch(node);
      return;
    }
    const fresh: LruNode<K, V> = { key, value, older: undefined, newer: undefined };
    this.order.append(fresh);
    this.map.set(key, fresh);
    this.trim();
  }

  delete(key: K): boolean {
    const node = this.map.get(key);
    if (node === undefined) return false;
    this.map.delete(key);
    this.order.unlink(node);
    return true;
  }

  clear(): void {
    this.map.clear();
    this.order.clear();
  }

  /** Oldest first. */
  *keys(): IterableIterator<K> {
    for (let n = this.order.oldest; n; n = n.newer) yield n.key;
  }

  /** Oldest first. */
  *values(): IterableIterator<V> {
    for (let n = this.order.oldest; n; n = n.newer) yield n.value;
  }

  /** Oldest first. */
  *entries(): IterableIterator<[K, V]> {
    for (let n = this.order.oldest; n; n = n.newer) yield [n.key, n.value];
  }

  /** Newest first, at most `limit`. */
  newest(limit: number): V[] {
    const out: V[] = [];
    for (let n = this.order.newest; n && out.length < limit; n = n.older) out.push(n.value);
    return out;
  }

  private trim(): void {
    while (this.map.size > this.capacity && this.order.oldest) {
      const node = this.order.oldest;
      this.map.delete(node.key);
      this.order.unlink(node);
      this.onEvict?.(node.key, node.value);
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
