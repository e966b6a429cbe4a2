// App rows as the window holds them: every delta row of the app so far, each merged into the one before it by the
// window's own code (a row may carry only the order of its endpoints, applied to the list the window holds).
import type { AppEntry, DeltaBatch } from '../../../../electron/core/model';
import { withEndpoints } from '../../../../renderer/src/store/app-endpoints';

export function windowRow(deltas: readonly DeltaBatch[], key: string, from?: AppEntry): AppEntry | undefined {
  let held = from;
  for (const batch of deltas) {
    if (batch.removedApps?.includes(key)) held = undefined;
    const row = batch.apps?.find((a) => a.identity.key === key);
    if (row) held = withEndpoints(row, held);
  }
  return held;
}

export const pathKey = (path: string): string => `path:${path.toLowerCase()}`;
