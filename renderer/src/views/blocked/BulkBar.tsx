import type { ReactNode } from 'react';
import { useUi } from '../../store/ui-store';
import { decideApps } from './AppRow';

export function BulkBar({ visibleKeys, trailing }: { visibleKeys: readonly string[]; trailing?: ReactNode }) {
  const selected = useUi((s) => s.selected);
  const setSelected = useUi((s) => s.setSelected);
  const clear = useUi((s) => s.clearSelection);
  const count = selected.size;
  const what = count === 1 ? '1 app' : `${count} apps`;
  const run = async (d: 'allow' | 'block' | 'ignore') => {
    const result = await decideApps([...selected], d, what);
    if (result) clear();
  };
  // One line at every window size: with a selection the header checkbox selects all, so "Select all shown" steps
  // aside, and narrow windows drop the word "selected" from the buttons (their names keep it).
  const decide = (d: 'allow' | 'block' | 'ignore', verb: string, className: string) => (
    <button
      type="button"
      className={`button button--small ${className}`}
      aria-label={`${verb} selected`}
      onClick={() => void run(d)}
    >
      {verb}
      <span className="bulk-bar__long"> selected</span>
    </button>
  );
  return (
    <div className="bulk-bar" role="toolbar" aria-label="Selected apps">
      <span className="bulk-bar__count">{count ? `${what} selected` : 'None selected'}</span>
      {count === 0 ? (
        <button
          type="button"
          className="button button--small"
          onClick={() => setSelected(visibleKeys)}
          disabled={!visibleKeys.length}
        >
          Select all shown
        </button>
      ) : (
        <>
          {decide('allow', 'Allow', 'button--allow')}
          {decide('block', 'Block', 'button--block')}
          {decide('ignore', 'Ignore', 'button--ignore')}
          <button type="button" className="button button--small button--ghost" onClick={clear}>
            Clear selection
          </button>
        </>
      )}
      {trailing}
    </div>
  );
}
