// Joins the page to core: listen for deltas first, then fetch the snapshot, then replay what arrived meanwhile,
// so no batch falls between the two. The snapshot carries the first screen of apps; the rest come a page per
// request (each a short task in main), added unless a delta already brought a newer row or removed the app. The
// older log entries come the same way before them, put before the newest ones the snapshot carried.
import type { AppEntry, DeltaBatch } from '../../../electron/core/model';
import { hasBridge, invoke, on } from '../bridge/bridge';
import { useData } from './data-store';

export function connectToCore(): () => void {
  const data = useData.getState();
  if (!hasBridge()) {
    data.setConnection({
      phase: 'error',
      message: 'Portcullis is not connected: this page was opened outside the app. Start it with npm start.',
    });
    return () => {};
  }
  let pending: DeltaBatch[] | null = [];
  // Apps removed while pages are still coming: a page built before the removal must not bring them back.
  let removedWhilePaging: Set<string> | null = new Set();
  const offDelta = on('delta', (batch) => {
    for (const key of batch.removedApps ?? []) removedWhilePaging?.add(key);
    if (pending) pending.push(batch);
    else useData.getState().applyDelta(batch);
  });
  let disposed = false;
  const fetchPages = async (cursor: number | undefined): Promise<void> => {
    while (cursor !== undefined && !disposed) {
      const page = await invoke('snapshot.apps', { cursor });
      if (disposed) return;
      const removed = removedWhilePaging;
      useData
        .getState()
        .addApps(removed?.size ? page.apps.filter((a: AppEntry) => !removed.has(a.identity.key)) : page.apps);
      cursor = page.next;
    }
  };
  // Older log entries, a page per request, until the page holds as many as it keeps.
  const fetchActivity = async (before: number | undefined): Promise<void> => {
    while (before !== undefined && !disposed) {
      const page = await invoke('snapshot.activity', { before });
      if (disposed) return;
      const room = useData.getState().addOlderActivity(page.activity);
      before = room > 0 ? page.next : undefined;
    }
  };
  invoke('snapshot.get', {}).then(
    (snapshot) => {
      if (disposed) return;
      const store = useData.getState();
      store.applySnapshot(snapshot);
      const queued = pending ?? [];
      pending = null;
      for (const batch of queued) store.applyDelta(batch);
      // The log's few pages first (the newest entries are already there), then the many pages of apps.
      fetchActivity(snapshot.activityNext)
        .then(() => fetchPages(snapshot.appsNext))
        .then(
          () => {
            removedWhilePaging = null;
          },
          (error: unknown) => {
            removedWhilePaging = null;
            if (disposed) return;
            useData.getState().setConnection({
              phase: 'error',
              message: `Could not load all apps or the older log entries (snapshot.apps, snapshot.activity): ${error instanceof Error ? error.message : String(error)}`,
            });
          },
        );
    },
    (error: unknown) => {
      if (disposed) return;
      pending = null;
      useData.getState().setConnection({
        phase: 'error',
        message: `Could not load the state (snapshot.get): ${error instanceof Error ? error.message : String(error)}`,
      });
    },
  );
  return () => {
    disposed = true;
    offDelta();
  };
}
