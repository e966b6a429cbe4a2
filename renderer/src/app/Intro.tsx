// The first run: what Monitor does, how to let an app through, and starting with Windows, once. Read or skipped,
// it does not come back (settings.introSeen).
import { useState } from 'react';
import { act } from '../components/act';
import { Dialog } from '../components/Dialog';
import { useData } from '../store/data-store';
import { AutostartSection } from '../views/settings/AutostartSection';

export function Intro() {
  const seen = useData((s) => (s.settings ? s.settings.introSeen === true : true));
  const [closed, setClosed] = useState(false);
  if (seen || closed) return null;
  const done = () => {
    setClosed(true);
    void act('settings.update', { patch: { introSeen: true } });
  };
  return (
    <Dialog
      title="Welcome to Portcullis"
      open
      onClose={done}
      actions={
        <button type="button" className="button button--primary" onClick={done}>
          Start
        </button>
      }
    >
      <div className="intro">
        <h3>It starts in Monitor</h3>
        <p>
          Portcullis watches what Windows blocks and tells you which app it was, where it tried to go and why. In
          Monitor it blocks nothing of its own, so nothing breaks while you look around.
        </p>
        <h3>Letting an app through</h3>
        <p>
          Blocked lists every app that was stopped. Press <strong>Allow</strong> on its row (or the A key) and it can
          connect on its next try. Every choice can be undone from the message that follows, or later from{' '}
          <strong>Recent actions</strong>.
        </p>
        <h3>When you are ready</h3>
        <p>
          Learning records what your apps need; Enforce then blocks everything else. Enforce shows what it will block
          before it switches.
        </p>
        <AutostartSection idPrefix="intro" />
      </div>
    </Dialog>
  );
}
