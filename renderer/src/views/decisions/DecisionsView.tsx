import { plural } from '../../format/labels';
import { useData } from '../../store/data-store';
import { useUi } from '../../store/ui-store';
import { DecisionInbox } from './DecisionInbox';

export function DecisionsView() {
  const count = useData((s) => s.decisions.size);
  const more = useData((s) => s.status?.moreAppsBlocked ?? 0);
  const routine = useData((s) => s.status?.routineBlocks ?? 0);
  const setView = useUi((s) => s.setView);
  return (
    <div className="view">
      <div className="view__head">
        <h1>Decisions</h1>
        <p className="view__lead">
          {count === 0
            ? 'Nothing is waiting for you.'
            : `${plural(count, 'blocked app is', 'blocked apps are')} waiting for your decision.`}
          {routine > 0 && ` ${plural(routine, 'routine block', 'routine blocks')} needed no decision.`}
        </p>
      </div>
      {more > 0 && (
        <p className="callout" role="note">
          {plural(more, 'more app was', 'more apps were')} blocked while the inbox was full; they are listed in{' '}
          <a href="#blocked" onClick={() => setView('blocked')}>
            Blocked
          </a>
          .
        </p>
      )}
      <DecisionInbox />
    </div>
  );
}
