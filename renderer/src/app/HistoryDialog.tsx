// The recent decisions, newest first, each with Undo: a toast's Undo leaves after some seconds, this list stays.
import { useEffect, useState } from 'react';
import type { HistoryEntry } from '../../../electron/core/model';
import { act, attemptCommand } from '../components/act';
import { Dialog } from '../components/Dialog';
import { formatAgo } from '../format/labels';
import { useUi } from '../store/ui-store';

export function HistoryDialog() {
  const open = useUi((s) => s.historyOpen);
  const [entries, setEntries] = useState<readonly HistoryEntry[] | { error: string } | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (!open) return;
    let live = true;
    void attemptCommand('history.list', {}).then((o) => {
      if (live) setEntries(o.ok ? o.value : { error: o.message });
    });
    return () => {
      live = false;
    };
  }, [open, version]);
  const close = () => useUi.getState().showHistory(false);
  const undo = async (entry: HistoryEntry) => {
    await act('history.undo', { actionId: entry.id }, `Undone: ${entry.label}`);
    setVersion((v) => v + 1);
  };
  return (
    <Dialog
      title="Recent actions"
      open={open}
      onClose={close}
      actions={
        <button type="button" className="button" onClick={close}>
          Close
        </button>
      }
    >
      {entries === null ? (
        <p aria-busy="true">Loading…</p>
      ) : 'error' in entries ? (
        <p role="alert">{entries.error}</p>
      ) : entries.length === 0 ? (
        <p className="muted">Nothing yet. Allow, Block, Ignore and your answers to decisions are listed here.</p>
      ) : (
        <ul className="history-list">
          {entries.map((e) => (
            <li key={e.id} className="history-list__item">
              <span>
                {e.label} <span className="muted">· {formatAgo(e.time)}</span>
              </span>
              {e.undone ? (
                <span className="muted">Undone</span>
              ) : (
                <button
                  type="button"
                  className="button button--small"
                  aria-label={`Undo: ${e.label}`}
                  onClick={() => void undo(e)}
                >
                  Undo
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </Dialog>
  );
}
