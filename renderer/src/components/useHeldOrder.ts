// Rows that stay where they are while the user is on them. While the pointer or the keyboard is in a table, the
// order it showed is kept: rows that went away drop out, new rows join at the bottom, and `changed` counts the rows
// whose place would differ. When the user looks away (or asks for it), the live order takes over.
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';

export interface HeldOrder {
  readonly keys: readonly string[];
  /** Rows shown out of the live order (moved or new) while held. */
  readonly changed: number;
  /** Takes the live order now, and keeps holding it if the user is still there. */
  readonly refresh: () => void;
  readonly setEngaged: (engaged: boolean) => void;
}

export function useHeldOrder(live: readonly string[]): HeldOrder {
  const [held, setHeld] = useState<readonly string[] | null>(null);
  const shown = useRef<readonly string[]>(live);
  const liveRef = useRef<readonly string[]>(live);
  const engagedRef = useRef(false);

  const keys = useMemo(() => {
    if (!held) return live;
    const present = new Set(live);
    const kept = held.filter((k) => present.has(k));
    const keptSet = new Set(kept);
    for (const k of live) if (!keptSet.has(k)) kept.push(k);
    return kept;
  }, [held, live]);
  useLayoutEffect(() => {
    liveRef.current = live;
    shown.current = keys;
  });

  const changed = useMemo(() => {
    if (!held) return 0;
    let n = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== live[i]) n++;
    return n;
  }, [held, keys, live]);

  const setEngaged = useCallback((engaged: boolean) => {
    engagedRef.current = engaged;
    setHeld(engaged ? shown.current : null);
  }, []);
  const refresh = useCallback(() => setHeld(engagedRef.current ? liveRef.current : null), []);

  return { keys, changed, refresh, setEngaged };
}
