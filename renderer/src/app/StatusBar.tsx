// What a user needs at a glance: the mode, how many apps are blocked, what waits for a decision. The event path's
// counters live in Settings → Diagnostics; a warning there shows here as one link.
import { countFormat, modeLabel, plural } from '../format/labels';
import { useData } from '../store/data-store';
import { useUi } from '../store/ui-store';

export function StatusBar() {
  const status = useData((s) => s.status);
  const pending = useData((s) => s.decisions.size);
  const setView = useUi((s) => s.setView);
  if (!status) return <footer className="status-bar" aria-label="Status" />;
  const c = status.counters;
  const more = status.moreAppsBlocked ?? 0;
  const trouble = c.lost > 0 || c.malformed > 0;
  return (
    <footer className="status-bar" aria-label="Status">
      <dl className="status-bar__items">
        <div className={`status-item status-item--mode-${status.mode}`}>
          <dt>Mode</dt>
          <dd>{modeLabel[status.mode]}</dd>
        </div>
        <div className="status-item">
          <dt>Blocked apps</dt>
          <dd>{countFormat.format(status.blockedApps)}</dd>
        </div>
      </dl>
      {trouble && (
        <a className="status-bar__warn" href="#settings" onClick={() => setView('settings')}>
          Events were lost: see Diagnostics
        </a>
      )}
      {more > 0 && (
        <a className="status-bar__more" href="#blocked" onClick={() => setView('blocked')}>
          {plural(more, 'more app', 'more apps')} blocked
        </a>
      )}
      <a
        className={`status-bar__pending${pending > 0 ? ' status-bar__pending--active' : ''}`}
        href="#decisions"
        onClick={() => setView('decisions')}
      >
        {plural(pending, 'pending decision')}
      </a>
    </footer>
  );
}
