// Messages at the bottom of the window. They leave by themselves (an Undo offer stays a little longer), wait while
// the pointer or the keyboard is on them, and never cover more than three lines of the window.
import { useEffect, useState } from 'react';
import { act } from './act';
import type { Toast } from '../store/ui-store';
import { useUi } from '../store/ui-store';

export const TOAST_MS = 6_000;
export const UNDO_TOAST_MS = 10_000;
export const ERROR_TOAST_MS = 15_000;

function lifetime(t: Toast): number {
  return t.kind === 'error' ? ERROR_TOAST_MS : t.actionId ? UNDO_TOAST_MS : TOAST_MS;
}

function ToastItem({ toast }: { toast: Toast }) {
  const dismiss = useUi((s) => s.dismissToast);
  const [held, setHeld] = useState(false);
  useEffect(() => {
    if (held) return;
    const timer = setTimeout(() => dismiss(toast.id), lifetime(toast));
    return () => clearTimeout(timer);
  }, [held, toast, dismiss]);
  const undo = async () => {
    if (!toast.actionId) return;
    dismiss(toast.id);
    await act('history.undo', { actionId: toast.actionId }, `Undone: ${toast.text}`);
  };
  return (
    <div
      className={`toast toast--${toast.kind}`}
      role={toast.kind === 'error' ? 'alert' : 'status'}
      onMouseEnter={() => setHeld(true)}
      onMouseLeave={() => setHeld(false)}
      onFocus={() => setHeld(true)}
      onBlur={() => setHeld(false)}
    >
      <span className="toast__text">{toast.text}</span>
      {toast.actionId && (
        <button type="button" className="button button--small" onClick={() => void undo()}>
          Undo
        </button>
      )}
      <button
        type="button"
        className="button button--ghost button--small"
        onClick={() => dismiss(toast.id)}
        aria-label="Dismiss message"
      >
        ×
      </button>
    </div>
  );
}

export function Toasts() {
  const toasts = useUi((s) => s.toasts);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <ToastItem key={t.id} toast={t} />
      ))}
    </div>
  );
}
