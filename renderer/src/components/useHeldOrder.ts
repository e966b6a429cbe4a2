// Rows that stay where they are while the user is on them. While the pointer or the keyboard is in a table, the
// order it showed is kept: rows that went away drop out, new rows join at the bottom, and `changed` counts the rows
// whose place would differ. When the user looks away (or asks for it), the live order takes over. A change the
// user made (another sort, search or filter: `request`) always shows at once.
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';

export interface HeldOrder {
  readonly keys: readonly string[];
  /** Rows shown out of the live order (moved or new) while held. */
  readonly changed: number;
  /** Takes the live order now, and keeps holding it if the user is still there. */
  readonly refresh: () => void;
  readonly setEngaged: (engaged: boolean) => void;
}

interface Held {
  readonly keys: readonly string[];
  readonly request: unknown;
}

export function useHeldOrder(live: readonly string[], request: unknown): HeldOrder {
  const [held, setHeld] = useState<Held | null>(null);
  const liveRef = useRef<readonly string[]>(live);
  const requestRef = useRef<unknown>(request);
  const engagedRef = useRef(false);
  // Held for an earlier request (the user re-sorted while on the table): the new order is what they asked for.
  const current = held && held.request === request ? held : null;

  const keys = useMemo(() => {
    if (!current) return live;
    const present = new Set(live);
    const kept = current.keys.filter((k) => present.has(k));
    const keptSet = new Set(kept);
    for (const k of live) if (!keptSet.has(k)) kept.push(k);
    return kept;
  }, [current, live]);

  const changed = useMemo(() => {
    if (!current) return 0;
    let n = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== live[i]) n++;
    return n;
  }, [current, keys, live]);

  useLayoutEffect(() => {
    liveRef.current = live;
    requestRef.current = request;
  });
  useLayoutEffect(() => {
    if (engagedRef.current && held && held.request !== request) setHeld({ keys: live, request });
  }, [live, request, held]);

  const setEngaged = useCallback((engaged: boolean) => {
    engagedRef.current = engaged;
    setHeld(engaged ? { keys: liveRef.current, request: requestRef.current } : null);
  }, []);
  const refresh = useCallback(
    () => setHeld(engagedRef.current ? { keys: liveRef.current, request: requestRef.current } : null),
    [],
  );

  return { keys, changed, refresh, setEngaged };
}
