import { useUi } from '../../store/ui-store';
import { decideApps } from './AppRow';

export function BulkBar({ visibleKeys }: { visibleKeys: readonly string[] }) {
  const selected = useUi((s) => s.selected);
  const setSelected = useUi((s) => s.setSelected);
  const clear = useUi((s) => s.clearSelection);
  const count = selected.size;
  const what = count === 1 ? '1 app' : `${count} apps`;
  const run = async (d: 'allow' | 'block' | 'ignore') => {
    const result = await decideApps([...selected], d, what);
    if (result) clear();
  };
  return (
    <div className="bulk-bar" role="toolbar" aria-label="Selected apps">
      <span className="bulk-bar__count">{count ? `${what} selected` : 'None selected'}</span>
      <button
        type="button"
        className="button button--small"
        onClick={() => setSelected(visibleKeys)}
        disabled={!visibleKeys.length}
      >
        Select all shown
      </button>
      {count > 0 && (
        <>
          <button type="button" className="button button--small button--allow" onClick={() => void run('allow')}>
            Allow selected
          </button>
          <button type="button" className="button button--small button--block" onClick={() => void run('block')}>
            Block selected
          </button>
          <button type="button" className="button button--small button--ignore" onClick={() => void run('ignore')}>
            Ignore selected
          </button>
          <button type="button" className="button button--small button--ghost" onClick={clear}>
            Clear selection
          </button>
        </>
      )}
    </div>
  );
}
