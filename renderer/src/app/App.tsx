import { useEffect } from 'react';
import { Toasts } from '../components/Toasts';
import { on, hasBridge } from '../bridge/bridge';
import { connectToCore } from '../store/connect';
import { useData } from '../store/data-store';
import { useUi } from '../store/ui-store';
import { requestMode } from './mode-request';
import { ActivityView } from '../views/activity/ActivityView';
import { BlockedView } from '../views/blocked/BlockedView';
import { DecisionsView } from '../views/decisions/DecisionsView';
import { LearningView } from '../views/learning/LearningView';
import { RulesView } from '../views/rules/RulesView';
import { SettingsView } from '../views/settings/SettingsView';
import { HistoryDialog } from './HistoryDialog';
import { Intro } from './Intro';
import { ModePreviewDialog } from './ModePreviewDialog';
import { Nav } from './Nav';
import { Notices } from './Notices';
import { StatusBar } from './StatusBar';
import { viewFromHash } from './views';

function CurrentView() {
  const view = useUi((s) => s.view);
  switch (view) {
    case 'blocked':
      return <BlockedView />;
    case 'decisions':
      return <DecisionsView />;
    case 'rules':
      return <RulesView />;
    case 'activity':
      return <ActivityView />;
    case 'learning':
      return <LearningView />;
    case 'settings':
      return <SettingsView />;
  }
}

export function App() {
  const connection = useData((s) => s.connection);
  useEffect(() => connectToCore(), []);
  useEffect(() => {
    const sync = () => {
      const view = viewFromHash(window.location.hash);
      if (view) useUi.getState().setView(view);
    };
    sync();
    window.addEventListener('hashchange', sync);
    return () => window.removeEventListener('hashchange', sync);
  }, []);
  useEffect(() => {
    if (!hasBridge()) return;
    const offDecision = on('openDecision', ({ decisionId }) => {
      useUi.getState().openDecision(decisionId);
      useUi.getState().setView('decisions');
      window.location.hash = 'decisions';
    });
    const offPreview = on('previewMode', ({ mode }) => void requestMode(mode));
    return () => {
      offDecision();
      offPreview();
    };
  }, []);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app__header">
        <span className="brand" aria-hidden="true">
          <span className="brand__mark" />
          Portcullis
        </span>
        <Nav />
        <button
          type="button"
          className="button button--ghost app__history"
          onClick={() => useUi.getState().showHistory(true)}
        >
          Recent actions
        </button>
      </header>
      <Notices />
      <main id="main" className="app__main" tabIndex={-1}>
        {connection.phase === 'error' ? (
          <div className="view">
            <h1>Not connected</h1>
            <p role="alert">{connection.message}</p>
          </div>
        ) : connection.phase === 'connecting' ? (
          <div className="view" aria-busy="true">
            <h1>Loading</h1>
            <p>Waiting for the firewall state…</p>
          </div>
        ) : (
          <CurrentView />
        )}
      </main>
      <StatusBar />
      <Toasts />
      <ModePreviewDialog />
      <HistoryDialog />
      {connection.phase === 'ready' && <Intro />}
    </div>
  );
}
