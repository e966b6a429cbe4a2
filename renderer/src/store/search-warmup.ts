// The search text of new or changed entries is built while the page is idle, so the first keystroke after a
// flood does not pay for thousands of entries at once. After a batch only the apps it changed are looked at
// (app-changes.ts); after a snapshot, every app.
import type { AppEntry } from '../../../electron/core/model';
import { appKeysChangedBetween } from './app-changes';
import { prepareSearch } from './app-selectors';
import { useData } from './data-store';

let queued = false;
let target: ReadonlyMap<string, AppEntry> | null = null;
/** Keys still to warm in `target`, or null for all of its apps. */
let pending: Set<string> | null = null;

function warm(deadline: IdleDeadline) {
  const apps = target;
  queued = false;
  if (!apps) return;
  const todo = pending ?? new Set(apps.keys());
  for (const key of todo) {
    todo.delete(key);
    const app = apps.get(key);
    if (app) prepareSearch(app);
    if (deadline.timeRemaining() < 1 && !deadline.didTimeout && todo.size > 0) {
      pending = todo;
      queue();
      return;
    }
  }
  target = null;
  pending = null;
}

function queue() {
  if (queued || typeof requestIdleCallback !== 'function') return;
  queued = true;
  requestIdleCallback(warm, { timeout: 2000 });
}

function schedule(previous: ReadonlyMap<string, AppEntry>, apps: ReadonlyMap<string, AppEntry>) {
  // With work left over for an older map, what changed since that one.
  const changed = appKeysChangedBetween(target ?? previous, apps);
  if (changed === null) pending = null;
  else if (target === null) pending = new Set(changed);
  else if (pending) for (const key of changed) pending.add(key);
  target = apps;
  queue();
}

export function startSearchWarmup(): () => void {
  return useData.subscribe((state, previous) => {
    if (state.apps !== previous.apps) schedule(previous.apps, state.apps);
  });
}
