import { useEffect } from 'react';
import { Toasts } from '../components/Toasts';
import { on, hasBridge } from '../bridge/bridge';
import { connectToCore } from '../store/connect';
import { useData } from '../store/data-store';
import { useUi } from '../store/ui-store';
import { ActivityView } from '../views/activity/ActivityView';
import { BlockedView } from '../views/blocked/BlockedView';
import { DecisionsView } from '../views/decisions/DecisionsView';
import { LearningView } from '../views/learning/LearningView';
import { RulesView } from '../views/rules/RulesView';
import { SettingsView } from '../views/settings/SettingsView';
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
    return on('openDecision', ({ decisionId }) => {
      useUi.getState().openDecision(decisionId);
      useUi.getState().setView('decisions');
      window.location.hash = 'decisions';
    });
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
    </div>
  );
}
