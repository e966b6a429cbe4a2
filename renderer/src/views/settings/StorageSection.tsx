import { useState } from 'react';
import type { Settings } from '../../../../electron/core/model';
import { attemptCommand } from '../../components/act';
import { Dialog } from '../../components/Dialog';
import { useUi } from '../../store/ui-store';
import { NumberSetting } from './NumberSetting';
import { saveSettings } from './save-settings';

/** Log and data: how long the activity log is, where the data lives, and Reset, confirmed in a dialog first. */
export function StorageSection({ settings, dataFolder }: { settings: Settings; dataFolder: string | undefined }) {
  const [confirming, setConfirming] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const reset = async () => {
    const outcome = await attemptCommand('app.reset', {});
    if (!outcome.ok) return setFailure(outcome.message);
    useUi.getState().notify('info', 'Every Portcullis filter was removed; the mode is now Off');
    setConfirming(false);
  };
  return (
    <section className="settings-section" aria-labelledby="settings-storage">
      <h2 id="settings-storage">Log and data</h2>
      <NumberSetting
        label="Activity log keeps"
        unit="entries"
        min={100}
        max={1_000_000}
        value={settings.activityLogSize}
        onCommit={(v) => void saveSettings({ activityLogSize: v ?? 100 }, 'activity log size')}
      />
      <div className="field">
        <span className="field__label" id="data-folder-label">
          Data folder
        </span>
        <output className="mono data-folder" aria-labelledby="data-folder-label">
          {dataFolder ?? 'Not reported'}
        </output>
      </div>
      <h3>Reset</h3>
      <p className="muted">Removes everything Portcullis added to Windows Filtering Platform and switches to Off.</p>
      <button
        type="button"
        className="button button--block"
        onClick={() => {
          setFailure(null);
          setConfirming(true);
        }}
      >
        Reset Portcullis…
      </button>
      <Dialog
        title="Reset Portcullis?"
        open={confirming}
        onClose={() => setConfirming(false)}
        describedBy="reset-explained"
        actions={
          <>
            <button type="button" className="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
            <button type="button" className="button button--block" onClick={() => void reset()}>
              Remove every Portcullis filter
            </button>
          </>
        }
      >
        <p id="reset-explained">
          This removes every WFP object of Portcullis — its filters, sublayer and provider — and switches the mode to
          Off. Apps Portcullis blocked can connect again; Windows Defender Firewall and its rules are not touched.
        </p>
        {failure && (
          <p className="form__error" role="alert">
            {failure}
          </p>
        )}
      </Dialog>
    </section>
  );
}
