// Merging a document another process changed with the changes this process made since it last read it. Entries
// are compared one key at a time (a rule id, a settings field): what this process changed since the common base
// wins, everything else comes from the other process. Neither side's change is lost unless both touched the same
// entry, and then the one saving now (the latest intent) wins.

/** A value's comparable form; entries are equal when their forms are. */
export type Canonical<V> = (value: V) => string;

export function mergeByKey<V>(
  base: ReadonlyMap<string, string>,
  mine: ReadonlyMap<string, V>,
  theirs: ReadonlyMap<string, V>,
  canonical: Canonical<V>,
): Map<string, V> {
  const out = new Map<string, V>();
  const keys = new Set([...theirs.keys(), ...mine.keys(), ...base.keys()]);
  for (const key of keys) {
    const own = mine.get(key);
    const ownForm = own === undefined ? undefined : canonical(own);
    const changedHere = ownForm !== base.get(key);
    const value = changedHere ? own : theirs.get(key);
    if (value !== undefined) out.set(key, value);
  }
  return out;
}

/** The base to remember after reading or writing `entries`. */
export function baseOf<V>(entries: Iterable<[string, V]>, canonical: Canonical<V>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of entries) out.set(key, canonical(value));
  return out;
}

/** A stable JSON form: object keys sorted, so that field order never counts as a change. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}
