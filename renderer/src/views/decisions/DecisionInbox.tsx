// Pending decisions as one inbox: a list on the side, the chosen one in full. Used by the prompt window and by
// the main window's Decisions view.
import { useMemo } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { AppIcon } from '../../components/AppIcon';
import { countFormat, formatAgo } from '../../format/labels';
import { useData } from '../../store/data-store';
import { useUi } from '../../store/ui-store';
import { DecisionCard } from './DecisionCard';

export function DecisionInbox() {
  const decisionMap = useData((s) => s.decisions);
  const chosen = useUi((s) => s.decisionId);
  const open = useUi((s) => s.openDecision);
  const decisions = useMemo(() => [...decisionMap.values()].sort((a, b) => a.opened - b.opened), [decisionMap]);
  const current = (chosen ? decisionMap.get(chosen) : undefined) ?? decisions[0];
  if (!current) {
    return (
      <EmptyState title="No decisions waiting">
        When Portcullis blocks a new app in Enforce mode, it asks you here whether to allow it.
      </EmptyState>
    );
  }
  return (
    <div className="inbox">
      <nav className="inbox__list" aria-label="Pending decisions">
        <ul>
          {decisions.map((d) => (
            <li key={d.id}>
              <button
                type="button"
                className="inbox__item"
                aria-current={d.id === current.id ? 'true' : undefined}
                onClick={() => open(d.id)}
              >
                <AppIcon path={d.app.path} name={d.app.displayName} />
                <span className="inbox__name">{d.app.displayName}</span>
                <span className="muted inbox__meta">
                  {countFormat.format(d.attempts)} {d.attempts === 1 ? 'attempt' : 'attempts'} · {formatAgo(d.opened)}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <DecisionCard key={current.id} decision={current} />
    </div>
  );
}
