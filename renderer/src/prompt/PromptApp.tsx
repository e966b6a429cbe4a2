// The approve/deny window: every pending decision in one inbox. It never takes focus by itself (main shows it
// inactive); the buttons arm only after a short delay.
import { useEffect } from 'react';
import { hasBridge, on } from '../bridge/bridge';
import { Toasts } from '../components/Toasts';
import { plural } from '../format/labels';
import { connectToCore } from '../store/connect';
import { useData } from '../store/data-store';
import { useUi } from '../store/ui-store';
import { DecisionInbox } from '../views/decisions/DecisionInbox';

export function PromptApp() {
  const connection = useData((s) => s.connection);
  const count = useData((s) => s.decisions.size);
  const more = useData((s) => s.status?.moreAppsBlocked ?? 0);
  useEffect(() => connectToCore(), []);
  useEffect(() => {
    if (!hasBridge()) return;
    return on('openDecision', ({ decisionId }) => useUi.getState().openDecision(decisionId));
  }, []);
  useEffect(() => {
    document.title = count ? `Portcullis: ${count} blocked connection${count === 1 ? '' : 's'}` : 'Portcullis';
  }, [count]);
  return (
    <main className="prompt">
      <h1 className="prompt__title">
        {count === 1 ? '1 blocked connection needs a decision' : `${count} blocked connections need a decision`}
      </h1>
      {more > 0 && (
        <p className="muted prompt__more">
          {plural(more, 'more app was', 'more apps were')} blocked; see Blocked in the main window.
        </p>
      )}
      {connection.phase === 'error' ? (
        <p role="alert">{connection.message}</p>
      ) : connection.phase === 'connecting' ? (
        <p aria-busy="true">Loading…</p>
      ) : (
        <DecisionInbox compact />
      )}
      <Toasts />
    </main>
  );
}
