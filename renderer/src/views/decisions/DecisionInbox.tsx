// Pending decisions as one inbox: a list on the side, the chosen one in full. Used by the prompt window and by
// the main window's Decisions view.
import { useMemo, useSyncExternalStore } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { AppIcon } from '../../components/AppIcon';
import { countFormat, formatAgo } from '../../format/labels';
import { useData } from '../../store/data-store';
import { useUi } from '../../store/ui-store';
import { DecisionCard } from './DecisionCard';

const SMALL_WINDOW = '(max-width: 1000px), (max-height: 700px)';

function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (notify) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', notify);
      return () => list.removeEventListener('change', notify);
    },
    () => window.matchMedia(query).matches,
  );
}

/**
 * The prompt window (440x520) shows the chosen decision first and the queue as a compact switcher above it; the
 * main window shows the queue as a list beside the card.
 */
export function DecisionInbox({ compact: compactProp = false }: { compact?: boolean }) {
  // The main window below 1000x700 lays the inbox out like the prompt: a list beside the card leaves no room.
  const small = useMediaQuery(SMALL_WINDOW);
  const compact = compactProp || small;
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
  if (compact) {
    const at = decisions.findIndex((d) => d.id === current.id);
    const go = (step: number) => {
      const next = decisions[(at + step + decisions.length) % decisions.length];
      if (next) open(next.id);
    };
    return (
      <div className="inbox inbox--compact">
        <nav className="switcher" aria-label="Pending decisions">
          <button
            type="button"
            className="button button--small"
            disabled={decisions.length < 2}
            onClick={() => go(-1)}
            aria-label="Previous decision"
          >
            ‹
          </button>
          <label className="switcher__pick">
            <span className="visually-hidden">Decision</span>
            <select className="input" value={current.id} onChange={(e) => open(e.target.value)}>
              {decisions.map((d, i) => (
                <option key={d.id} value={d.id}>
                  {i + 1} of {decisions.length}: {d.app.displayName}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="button button--small"
            disabled={decisions.length < 2}
            onClick={() => go(1)}
            aria-label="Next decision"
          >
            ›
          </button>
        </nav>
        <DecisionCard key={current.id} decision={current} compact />
      </div>
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
