import type { SortKey } from '../../store/ui-store';
import { useUi } from '../../store/ui-store';

export function SortHeader({ label, sortKey, className }: { label: string; sortKey: SortKey; className?: string }) {
  const sort = useUi((s) => s.sort);
  const toggleSort = useUi((s) => s.toggleSort);
  const active = sort.key === sortKey;
  const ariaSort = active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none';
  return (
    <div role="columnheader" aria-sort={ariaSort} className={`cell cell--head ${className ?? ''}`}>
      <button type="button" className="sort-button" onClick={() => toggleSort(sortKey)}>
        {label}
        <span className="sort-button__arrow" aria-hidden="true">
          {active ? (sort.dir === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </div>
  );
}
