import { useEffect, useState } from 'react';
import type { AutostartStatus } from '../../../../electron/ipc/contract';
import { attemptCommand } from '../../components/act';
import { useUi } from '../../store/ui-store';

/** "Start with Windows": an elevated logon task, so Portcullis is in the tray after sign-in without a UAC prompt. */
export function AutostartSection({ idPrefix = 'settings' }: { idPrefix?: string }) {
  const [status, setStatus] = useState<AutostartStatus | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let live = true;
    void attemptCommand('autostart.get', {}).then((outcome) => {
      if (live) setStatus(outcome.ok ? outcome.value : { supported: false, enabled: false, detail: outcome.message });
    });
    return () => {
      live = false;
    };
  }, []);
  const toggle = async (enabled: boolean) => {
    setBusy(true);
    const outcome = await attemptCommand('autostart.set', { enabled });
    setBusy(false);
    if (!outcome.ok) return useUi.getState().notify('error', outcome.message);
    setStatus(outcome.value);
    useUi.getState().notify('info', outcome.value.enabled ? 'Portcullis starts with Windows' : 'Autostart removed');
  };
  return (
    <section className="settings-section" aria-labelledby={`${idPrefix}-autostart`}>
      <h2 id={`${idPrefix}-autostart`}>Start with Windows</h2>
      <label className="choice">
        <input
          type="checkbox"
          checked={status?.enabled ?? false}
          disabled={!status?.supported || busy}
          aria-describedby={`${idPrefix}-autostart-help`}
          onChange={(e) => void toggle(e.target.checked)}
        />
        Start Portcullis in the notification area when I sign in
      </label>
      <p id={`${idPrefix}-autostart-help`} className="muted">
        {status?.detail ??
          'A Task Scheduler task starts Portcullis with administrator rights at logon, without a UAC prompt.'}
      </p>
    </section>
  );
}
