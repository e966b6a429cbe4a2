// A recency order through the items themselves: each item carries its links to the one seen before and after it,
// so moving an item to the newest end writes a few pointers and looks nothing up (no deleting and re-inserting a
// key, which leaves deleted slots that make a hash table rehash). The app index, each app's endpoints and the LRU
// maps share it.

export interface RecencyLinks<N> {
  older: N | undefined;
  newer: N | undefined;
}

export class RecencyList<N extends RecencyLinks<N>> {
  oldest: N | undefined = undefined;
  newest: N | undefined = undefined;

  /** Puts an item that is not in the list at the newest end. */
  append(item: N): void {
    item.older = this.newest;
    item.newer = undefined;
    if (this.newest) this.newest.newer = item;
    else this.oldest = item;
    this.newest = item;
  }

  /** Takes an item out of the list. */
  unlink(item: N): void {
    if (item.older) item.older.newer = item.newer;
    else this.oldest = item.newer;
    if (item.newer) item.newer.older = item.older;
    else this.newest = item.older;
    item.older = undefined;
    item.newer = undefined;
  }

  /** Moves an item of the list to the newest end; nothing to do when it is there already. */
  touch(item: N): void {
    if (item === this.newest) return;
    this.unlink(item);
    this.append(item);
  }

  clear(): void {
    this.oldest = undefined;
    this.newest = undefined;
  }
}
