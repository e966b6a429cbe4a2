// A mode switch that can cut apps off (Enforce) is shown before it happens: which apps it will block, which stay
// allowed and the essentials that keep Windows online. One confirmation, then the switch.
import { useEffect, useState } from 'react';
import type { Mode, ModePreview } from '../../../electron/core/model';
import { act, attemptCommand } from '../components/act';
import { Dialog } from '../components/Dialog';
import { countFormat, modeLabel, plural } from '../format/labels';
import { useUi } from '../store/ui-store';

const SHOWN = 8;

export function ModePreviewDialog() {
  const mode = useUi((s) => s.modePreview);
  const close = () => useUi.getState().previewMode(null);
  const [answer, setAnswer] = useState<{ mode: Mode; value: ModePreview | { error: string } } | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!mode) return;
    let live = true;
    void attemptCommand('mode.preview', { mode }).then((outcome) => {
      if (live) setAnswer({ mode, value: outcome.ok ? outcome.value : { error: outcome.message } });
    });
    return () => {
      live = false;
    };
  }, [mode]);
  const preview = answer && answer.mode === mode ? answer.value : null;
  if (!mode) return null;
  const confirm = async () => {
    setBusy(true);
    await act('mode.set', { mode }, `Mode: ${modeLabel[mode]}`);
    setBusy(false);
    close();
  };
  const ready = preview !== null && !('error' in preview);
  return (
    <Dialog
      title={`Switch to ${modeLabel[mode]}?`}
      open
      onClose={close}
      actions={
        <>
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          <button
            type="button"
            className="button button--primary"
            disabled={!ready || busy}
            onClick={() => void confirm()}
          >
            {ready && preview.willBlockTotal > 0
              ? `Switch and block ${plural(preview.willBlockTotal, 'app')}`
              : `Switch to ${modeLabel[mode]}`}
          </button>
        </>
      }
    >
      {preview === null ? (
        <p aria-busy="true">Working out what would change…</p>
      ) : 'error' in preview ? (
        <p role="alert">{preview.error}</p>
      ) : (
        <div className="mode-preview">
          <p>
            {modeLabel[mode]} blocks every app without an allow rule from connecting out. Apps that are blocked open a
            decision, so you can allow them later.
          </p>
          <h3>Will be blocked ({countFormat.format(preview.willBlockTotal)})</h3>
          <AppList
            apps={preview.willBlock}
            total={preview.willBlockTotal}
            empty="No app seen so far loses its connection."
          />
          <h3>Stays allowed ({countFormat.format(preview.staysAllowedTotal)})</h3>
          <AppList
            apps={preview.staysAllowed}
            total={preview.staysAllowedTotal}
            empty="No app has an allow rule yet."
          />
          {preview.essentials.length > 0 && (
            <>
              <h3>Windows essentials that stay open ({preview.essentials.length})</h3>
              <p className="muted">{preview.essentials.map((e) => e.name).join(', ')}</p>
            </>
          )}
        </div>
      )}
    </Dialog>
  );
}

function AppList({ apps, total, empty }: { apps: ModePreview['willBlock']; total: number; empty: string }) {
  if (total === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="mode-preview__list">
      {apps.slice(0, SHOWN).map((a) => (
        <li key={a.appKey}>
          <strong>{a.name}</strong>
          {a.detail && <span className="muted"> — {a.detail}</span>}
          {a.path && <span className="mode-preview__path muted">{a.path}</span>}
        </li>
      ))}
      {total > SHOWN && <li className="muted">and {plural(total - SHOWN, 'more app')}</li>}
    </ul>
  );
}
