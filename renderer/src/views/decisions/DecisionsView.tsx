import { useData } from '../../store/data-store';
import { DecisionInbox } from './DecisionInbox';

export function DecisionsView() {
  const count = useData((s) => s.decisions.size);
  return (
    <div className="view">
      <div className="view__head">
        <h1>Decisions</h1>
        <p className="view__lead">
          {count === 0
            ? 'Nothing is waiting for you.'
            : `${count} blocked ${count === 1 ? 'app is' : 'apps are'} waiting for your decision.`}
        </p>
      </div>
      <DecisionInbox />
    </div>
  );
}
