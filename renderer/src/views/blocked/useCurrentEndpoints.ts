// The detail panel's endpoint table shows each endpoint's attempts and when it was last seen. Rows keep the list,
// its names and its order current, but not those counts (a row whose endpoints did not come or go carries only
// their order), so the panel asks core for them: when it opens and whenever the app's row changes, at most once a
// second (as often as a busy app's row changes), the last change always followed by an ask.
import { useEffect, useRef, useState } from 'react';
import type { AppEntry, Endpoint } from '../../../../electron/core/model';
import { invoke } from '../../bridge/bridge';

export const ENDPOINTS_REFRESH_MS = 1_000;

export function useCurrentEndpoints(app: AppEntry): readonly Endpoint[] {
  const key = app.identity.key;
  const [answer, setAnswer] = useState<{ key: string; endpoints: readonly Endpoint[] } | null>(null);
  const askedAt = useRef(-Infinity);
  useEffect(() => {
    const ask = () => {
      askedAt.current = Date.now();
      invoke('apps.endpoints', { appKey: key }).then(
        (endpoints) => {
          // An answer for an app core forgot changes nothing; one for an app no longer shown is not read (below).
          if (endpoints) setAnswer({ key, endpoints });
        },
        // The row's list stays shown; the next change of the row asks again.
        () => {},
      );
    };
    const wait = askedAt.current + ENDPOINTS_REFRESH_MS - Date.now();
    if (wait <= 0) {
      ask();
      return undefined;
    }
    const timer = setTimeout(ask, wait);
    return () => clearTimeout(timer);
  }, [key, app]);
  return answer?.key === key ? answer.endpoints : app.endpoints;
}
