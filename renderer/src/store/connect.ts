// Joins the page to core: listen for deltas first, then fetch the snapshot, then replay what arrived meanwhile,
// so no batch falls between the two. The snapshot carries the first screen of apps; the rest come a page per
// request (each a short task in main), added unless a delta already brought a newer row or removed the app. The
// older log entries come the same way before them, put before the newest ones the snapshot carried, and the rules
// beyond the first ones first of all (the same way as apps).
import type { AppEntry, DeltaBatch, Rule } from '../../../electron/core/model';
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
  let rulesRemovedWhilePaging: Set<string> | null = new Set();
  const offDelta = on('delta', (batch) => {
    for (const key of batch.removedApps ?? []) removedWhilePaging?.add(key);
    for (const id of batch.removedRules ?? []) rulesRemovedWhilePaging?.add(id);
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
  const fetchRules = async (cursor: number | undefined): Promise<void> => {
    while (cursor !== undefined && !disposed) {
      const page = await invoke('snapshot.rules', { cursor });
      if (disposed) return;
      const removed = rulesRemovedWhilePaging;
      useData.getState().addRules(removed?.size ? page.rules.filter((r: Rule) => !removed.has(r.id)) : page.rules);
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
      // The rules first (an app's state and the Rules view depend on them), then the log's few pages (the newest
      // entries are already there), then the many pages of apps.
      fetchRules(snapshot.rulesNext)
        .then(() => {
          rulesRemovedWhilePaging = null;
          return fetchActivity(snapshot.activityNext);
        })
        .then(() => fetchPages(snapshot.appsNext))
        .then(
          () => {
            removedWhilePaging = null;
          },
          (error: unknown) => {
            removedWhilePaging = null;
            rulesRemovedWhilePaging = null;
            if (disposed) return;
            useData.getState().setConnection({
              phase: 'error',
              message: `Could not load all rules, apps or the older log entries (snapshot.rules, snapshot.apps, snapshot.activity): ${error instanceof Error ? error.message : String(error)}`,
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
