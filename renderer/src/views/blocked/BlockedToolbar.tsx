import type { AppFilters } from '../../store/ui-store';
import { SelectField } from '../../components/SelectField';
import { useUi } from '../../store/ui-store';
import { blockedByLabel, countFormat, stateLabel } from '../../format/labels';

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
      <SelectField
        label="Direction"
        value={filters.direction}
        options={[
          ['all', 'All'],
          ['out', 'Outbound'],
          ['in', 'Inbound'],
        ]}
        onChange={(direction) => setFilters({ direction })}
      />
      <SelectField
        label="Blocked by"
        value={filters.blockedBy}
        options={[['all', 'Anyone'], ...(Object.entries(blockedByLabel) as [AppFilters['blockedBy'], string][])]}
        onChange={(blockedBy) => setFilters({ blockedBy })}
      />
      <SelectField
        label="State"
        value={filters.state}
        options={[['all', 'Any'], ...(Object.entries(stateLabel) as [AppFilters['state'], string][])]}
        onChange={(state) => setFilters({ state })}
      />
      <p className="toolbar__count" role="status" aria-live="polite">
        {shown === total
          ? `${countFormat.format(shown)} apps`
          : `${countFormat.format(shown)} of ${countFormat.format(total)} apps`}
      </p>
    </div>
  );
}
