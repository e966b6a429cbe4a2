// Rows that stay where they are while the user is on them. While the pointer or the keyboard is in a table, the
// order it showed is kept: rows that went away drop out, new rows join at the bottom, and `changed` counts the rows
// whose place would differ. When the user looks away (or asks for it), the live order takes over. A change the
// user made (another sort, search or filter: `request`) always shows at once.
//
// Looking away takes effect a moment later (RELEASE_MS), and the offer to show the new order counts as being on
// the table: the pointer on its way from the rows to that button leaves the table first, and the button must
// still be there when it arrives.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';

const RELEASE_MS = 800;

export interface HeldOrder {
  readonly keys: readonly string[];
  /** Rows shown out of the live order (moved or new) while held. */
  readonly changed: number;
  /** Takes the live order now, and keeps holding it if the user is still there. */
  readonly refresh: () => void;
  readonly setEngaged: (engaged: boolean) => void;
  /** For the control that offers the new order: being on it (pointer or focus) holds the order too. */
  readonly offerProps: {
    readonly onPointerEnter: () => void;
    readonly onPointerLeave: () => void;
    readonly onFocus: () => void;
    readonly onBlur: () => void;
    /** The offer goes once the rows are in order again: leaving by disappearing fires no pointer or focus event. */
    readonly ref: (element: HTMLElement | null) => void;
  };
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
  /** Where the user is: the table, the offer (pointer, focus). Empty: looked away. */
  const on = useRef(new Set<string>());
  const releaseTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
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

  const place = useCallback((where: string, engaged: boolean) => {
    if (engaged) on.current.add(where);
    else on.current.delete(where);
    const now = on.current.size > 0;
    if (now) {
      clearTimeout(releaseTimer.current);
      releaseTimer.current = undefined;
      if (!engagedRef.current) {
        engagedRef.current = true;
        setHeld({ keys: liveRef.current, request: requestRef.current });
      }
    } else if (engagedRef.current && releaseTimer.current === undefined) {
      releaseTimer.current = setTimeout(() => {
        releaseTimer.current = undefined;
        engagedRef.current = false;
        setHeld(null);
      }, RELEASE_MS);
    }
  }, []);
  useEffect(() => () => clearTimeout(releaseTimer.current), []);
  const setEngaged = useCallback((engaged: boolean) => place('table', engaged), [place]);
  const offerProps = useMemo(
    () => ({
      onPointerEnter: () => place('offer-pointer', true),
      onPointerLeave: () => place('offer-pointer', false),
      onFocus: () => place('offer-focus', true),
      onBlur: () => place('offer-focus', false),
      ref: (element: HTMLElement | null) => {
        if (element !== null) return;
        place('offer-pointer', false);
        place('offer-focus', false);
      },
    }),
    [place],
  );
  const refresh = useCallback(
    () => setHeld(engagedRef.current ? { keys: liveRef.current, request: requestRef.current } : null),
    [],
  );

  return { keys, changed, refresh, setEngaged, offerProps };
}
