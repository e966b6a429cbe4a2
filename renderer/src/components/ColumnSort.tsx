// Sortable column headers for tables whose sort lives in the view (Rules, Activity): a click sorts by the column,
// a second click reverses it; aria-sort tells assistive technology which column orders the rows.
import { useState } from 'react';

export interface ColumnSortState<K extends string> {
  readonly key: K;
  readonly dir: 'asc' | 'desc';
}

export function useColumnSort<K extends string>(
  initial: ColumnSortState<K>,
  naturalDir: Partial<Record<K, 'asc' | 'desc'>> = {},
) {
  const [sort, setSort] = useState<ColumnSortState<K>>(initial);
  const toggle = (key: K) =>
    setSort((s) =>
      s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: naturalDir[key] ?? 'asc' },
    );
  return { sort, toggle };
}

export function ColumnHeader<K extends string>({
  label,
  column,
  sort,
  onSort,
  className,
}: {
  label: string;
  column?: K;
  sort: ColumnSortState<K>;
  onSort: (key: K) => void;
  className?: string;
}) {
  if (column === undefined) {
    return (
      <div role="columnheader" className={`cell cell--head ${className ?? ''}`}>
        {label}
      </div>
    );
  }
  const active = sort.key === column;
  return (
    <div
      role="columnheader"
      aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
      className={`cell cell--head ${className ?? ''}`}
    >
      <button type="button" className="sort-button" onClick={() => onSort(column)}>
        {label}
        <span className="sort-button__arrow" aria-hidden="true">
          {active ? (sort.dir === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </div>
  );
}

/** Compares two values of a column; undefined sorts last whatever the direction. */
export function compareBy<T>(value: (item: T) => string | number | undefined, dir: 'asc' | 'desc') {
  const sign = dir === 'asc' ? 1 : -1;
  return (a: T, b: T): number => {
    const x = value(a);
    const y = value(b);
    if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1;
    if (typeof x === 'string' && typeof y === 'string') return sign * x.localeCompare(y);
    return sign * (x < y ? -1 : x > y ? 1 : 0);
  };
}
