import { countFormat, modeLabel } from '../format/labels';
import { useData } from '../store/data-store';
import { useUi } from '../store/ui-store';

export function StatusBar() {
  const status = useData((s) => s.status);
  const pending = useData((s) => s.decisions.size);
  const setView = useUi((s) => s.setView);
  if (!status) return <footer className="status-bar" aria-label="Status" />;
  const c = status.counters;
  return (
    <footer className="status-bar" aria-label="Status">
      <dl className="status-bar__items">
        <div className={`status-item status-item--mode-${status.mode}`}>
          <dt>Mode</dt>
          <dd>{modeLabel[status.mode]}</dd>
        </div>
        <div className="status-item">
          <dt>Events/s</dt>
          <dd>{countFormat.format(Math.round(c.eventsPerSecond))}</dd>
        </div>
        <div className="status-item">
          <dt>Events</dt>
          <dd>{countFormat.format(c.eventsIn)}</dd>
        </div>
        <div className={`status-item${c.malformed > 0 ? ' status-item--warn' : ''}`}>
          <dt>Malformed</dt>
          <dd>{countFormat.format(c.malformed)}</dd>
        </div>
        <div className={`status-item${c.lost > 0 ? ' status-item--warn' : ''}`}>
          <dt>Lost</dt>
          <dd>{countFormat.format(c.lost)}</dd>
        </div>
        <div className="status-item">
          <dt>Backend</dt>
          <dd>{status.backend === 'wfp' ? 'WFP' : 'Simulator'}</dd>
        </div>
      </dl>
      <a
        className={`status-bar__pending${pending > 0 ? ' status-bar__pending--active' : ''}`}
        href="#decisions"
        onClick={() => setView('decisions')}
      >
        {pending === 1 ? '1 pending decision' : `${countFormat.format(pending)} pending decisions`}
      </a>
    </footer>
  );
}
