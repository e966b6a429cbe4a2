// The search text of new or changed entries is built while the page is idle, so the first keystroke after a
// flood does not pay for thousands of entries at once.
import type { AppEntry } from '../../../electron/core/model';
import { prepareSearch } from './app-selectors';
import { useData } from './data-store';

let queued = false;
let target: ReadonlyMap<string, AppEntry> | null = null;

function warm(deadline: IdleDeadline) {
  const apps = target;
  queued = false;
  if (!apps) return;
  for (const app of apps.values()) {
    prepareSearch(app);
    if (deadline.timeRemaining() < 1 && !deadline.didTimeout) {
      schedule(apps);
      return;
    }
  }
  target = null;
}

function schedule(apps: ReadonlyMap<string, AppEntry>) {
  target = apps;
  if (queued || typeof requestIdleCallback !== 'function') return;
  queued = true;
  requestIdleCallback(warm, { timeout: 2000 });
}

export function startSearchWarmup(): () => void {
  return useData.subscribe((state, previous) => {
    if (state.apps !== previous.apps) schedule(state.apps);
  });
}
