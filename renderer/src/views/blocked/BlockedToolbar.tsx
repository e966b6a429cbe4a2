import type { AppFilters } from '../../store/ui-store';
import { useUi } from '../../store/ui-store';
import { blockedByLabel, stateLabel } from '../../format/labels';

export function BlockedToolbar({ shown, total }: { shown: number; total: number }) {
  const filters = useUi((s) => s.filters);
  const setFilters = useUi((s) => s.setFilters);
  return (
    <div className="toolbar" role="search" aria-label="Filter apps">
      <label className="field field--grow">
        <span className="field__label">Search</span>
        <input
          type="search"
          className="input"
          placeholder="Name, path, host or filter"
          value={filters.query}
          onChange={(e) => setFilters({ query: e.target.value })}
          aria-label="Search apps"
        />
      </label>
      <label className="field">
        <span className="field__label">Direction</span>
        <select
          className="input"
          value={filters.direction}
          onChange={(e) => setFilters({ direction: e.target.value as AppFilters['direction'] })}
        >
          <option value="all">All</option>
          <option value="out">Outbound</option>
          <option value="in">Inbound</option>
        </select>
      </label>
      <label className="field">
        <span className="field__label">Blocked by</span>
        <select
          className="input"
          value={filters.blockedBy}
          onChange={(e) => setFilters({ blockedBy: e.target.value as AppFilters['blockedBy'] })}
        >
          <option value="all">Anyone</option>
          {Object.entries(blockedByLabel).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field__label">State</span>
        <select
          className="input"
          value={filters.state}
          onChange={(e) => setFilters({ state: e.target.value as AppFilters['state'] })}
        >
          <option value="all">Any</option>
          {Object.entries(stateLabel).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <p className="toolbar__count" role="status" aria-live="polite">
        {shown === total
          ? `${shown.toLocaleString()} apps`
          : `${shown.toLocaleString()} of ${total.toLocaleString()} apps`}
      </p>
    </div>
  );
}
