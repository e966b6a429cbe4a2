import { useMemo, useState } from 'react';
import type { LearningCandidate } from '../../../../electron/core/model';
import { AppIcon } from '../../components/AppIcon';
import { act } from '../../components/act';
import { EmptyState } from '../../components/EmptyState';
import { countFormat, formatAgo, formatEndpoint, formatDateTime, modeLabel, plural } from '../../format/labels';
import { ruleScope } from '../../format/rule';
import { useData } from '../../store/data-store';

function Candidate({
  candidate,
  selected,
  onToggle,
}: {
  candidate: LearningCandidate;
  selected: boolean;
  onToggle: () => void;
}) {
  const name = candidate.app.displayName;
  const shown = candidate.endpoints.slice(0, 4);
  const risky = candidate.risks.length > 0;
  return (
    <li className={`candidate${risky ? ' candidate--risky' : ''}`} aria-label={name}>
      <input type="checkbox" checked={selected} onChange={onToggle} aria-label={`Select ${name}`} />
      <AppIcon path={candidate.app.path} name={name} size={28} />
      <div className="candidate__body">
        <p className="candidate__title">
          <strong>{name}</strong> <span className="muted">{candidate.app.path ?? candidate.app.key}</span>
        </p>
        <p>
          Proposed: <strong>{candidate.proposed.action === 'allow' ? 'Allow' : 'Block'}</strong> —{' '}
          {ruleScope(candidate.proposed)}
        </p>
        <p className="muted">
          {countFormat.format(candidate.connections)} {candidate.connections === 1 ? 'connection' : 'connections'}, last{' '}
          {formatAgo(candidate.lastSeen)}
          {shown.length > 0 && <> · contacted {shown.map(formatEndpoint).join(', ')}</>}
          {candidate.endpoints.length > shown.length && <> and {candidate.endpoints.length - shown.length} more</>}
        </p>
        {risky && (
          <p className="candidate__risks">
            <strong>Look first:</strong> {candidate.risks.join('; ')}. Not included in “Commit all”.
          </p>
        )}
      </div>
      <div className="candidate__actions">
        <button
          type="button"
          className="button button--small button--allow"
          aria-label={`Commit ${name}`}
          onClick={() =>
            void act('learning.commit', { appKeys: [candidate.app.key] }, `Committed the rule for ${name}`)
          }
        >
          Commit
        </button>
        <button
          type="button"
          className="button button--small"
          aria-label={`Discard ${name}`}
          onClick={() => void act('learning.discard', { appKeys: [candidate.app.key] })}
        >
          Discard
        </button>
      </div>
    </li>
  );
}

export function LearningView() {
  const map = useData((s) => s.candidates);
  const mode = useData((s) => s.settings?.mode);
  const learningUntil = useData((s) => s.settings?.learningUntil);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const candidates = useMemo(
    // Risky proposals first: they are the ones to look at.
    () =>
      [...map.values()].sort(
        (a, b) =>
          Number(b.risks.length > 0) - Number(a.risks.length > 0) || a.app.displayName.localeCompare(b.app.displayName),
      ),
    [map],
  );
  const chosen = candidates.filter((c) => selected.has(c.app.key)).map((c) => c.app.key);
  const safe = candidates.filter((c) => c.risks.length === 0).length;
  const risky = candidates.length - safe;
  const toggle = (key: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (!next.delete(key)) next.add(key);
      return next;
    });

  const commitSelected = async () => {
    const n = chosen.length;
    if (await act('learning.commit', { appKeys: chosen }, `Committed ${plural(n, 'rule')}`)) setSelected(new Set());
  };
  const discardSelected = async () => {
    if (await act('learning.discard', { appKeys: chosen })) setSelected(new Set());
  };

  return (
    <div className="view">
      <div className="view__head">
        <h1>Learning</h1>
        <p className="view__lead">
          Apps seen while learning, each with the allow rule Portcullis proposes. Commit the ones you trust.
        </p>
      </div>
      {mode !== 'learning' && (
        <div className="callout" role="note">
          <p>
            The mode is {mode ? modeLabel[mode] : 'unknown'}: new apps are not being recorded.{' '}
            <button
              type="button"
              className="button button--small"
              onClick={() => void act('mode.set', { mode: 'learning' }, 'Learning started')}
            >
              Start learning
            </button>
          </p>
        </div>
      )}
      {mode === 'learning' && learningUntil && (
        <p className="callout" role="note">
          Learning commits every proposal by itself at {formatDateTime(learningUntil)}.
        </p>
      )}
      <div className="toolbar" role="toolbar" aria-label="Proposed rules">
        <button
          type="button"
          className="button button--allow"
          disabled={chosen.length === 0}
          onClick={() => void commitSelected()}
        >
          Commit selected ({chosen.length})
        </button>
        <button
          type="button"
          className="button"
          disabled={safe === 0}
          aria-describedby={risky > 0 ? 'learning-risky-note' : undefined}
          onClick={() => void act('learning.commit', { appKeys: 'all' }, `Committed ${plural(safe, 'rule')}`)}
        >
          Commit all without risks ({safe})
        </button>
        <button type="button" className="button" disabled={chosen.length === 0} onClick={() => void discardSelected()}>
          Discard selected
        </button>
      </div>
      {risky > 0 && (
        <p id="learning-risky-note" className="muted">
          {plural(risky, 'proposal')} marked “Look first” {risky === 1 ? 'is' : 'are'} committed only when you select{' '}
          {risky === 1 ? 'it' : 'them'}.
        </p>
      )}
      {candidates.length === 0 ? (
        <EmptyState title="No proposals yet">
          Switch to Learning and use your apps as usual; each app that connects gets a proposed allow rule here.
        </EmptyState>
      ) : (
        <ul className="candidates" aria-label="Proposed rules">
          {candidates.map((c) => (
            <Candidate
              key={c.app.key}
              candidate={c}
              selected={selected.has(c.app.key)}
              onToggle={() => toggle(c.app.key)}
            />
          ))}
        </ul>
      )}
    </div>
  );
}
