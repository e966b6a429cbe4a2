// Joins the page to core: listen for deltas first, then fetch the snapshot, then replay what arrived meanwhile,
// so no batch falls between the two.
import type { DeltaBatch } from '../../../electron/core/model';
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
  const offDelta = on('delta', (batch) => {
    if (pending) pending.push(batch);
    else useData.getState().applyDelta(batch);
  });
  let disposed = false;
  invoke('snapshot.get', {}).then(
    (snapshot) => {
      if (disposed) return;
      const store = useData.getState();
      store.applySnapshot(snapshot);
      const queued = pending ?? [];
      pending = null;
      for (const batch of queued) store.applyDelta(batch);
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
