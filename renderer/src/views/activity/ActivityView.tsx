import { memo, useMemo, useState } from 'react';
import type { ActivityEntry } from '../../../../electron/core/model';
import { act } from '../../components/act';
import { downloadText, stamp } from '../../components/download';
import { EmptyState } from '../../components/EmptyState';
import { ColumnHeader, compareBy, useColumnSort } from '../../components/ColumnSort';
import { rowPosition, VirtualTable } from '../../components/VirtualTable';
import {
  blockedByLabel,
  countFormat,
  directionLabel,
  formatEndpoint,
  formatTime,
  plural,
  protocolName,
} from '../../format/labels';
import { useData } from '../../store/data-store';

const ROW_HEIGHT = 34;

/** The rows the table shows, in order. */
interface LogRows {
  readonly length: number;
  at(index: number): ActivityEntry;
}
type Verdict = 'all' | ActivityEntry['verdict'];

const ActivityRow = memo(function ActivityRow({
  entry,
  index,
  start,
}: {
  entry: ActivityEntry;
  index: number;
  start: number;
}) {
  const remote = entry.remoteAddress ? formatEndpoint({ address: entry.remoteAddress, port: entry.remotePort }) : '—';
  return (
    <div
      role="row"
      aria-label={entry.appName}
      aria-rowindex={index + 2}
      className={`vtable__row vtable__row--body activity-grid activity-row activity-row--${entry.verdict}`}
      style={rowPosition(start, ROW_HEIGHT)}
    >
      <div role="gridcell" className="cell cell--time mono">
        {formatTime(entry.time)}
      </div>
      <div role="gridcell" className="cell">
        <span
          className={`pill pill--${entry.verdict === 'blocked' ? 'blocked' : entry.verdict === 'allowed' ? 'allowed' : 'ignored'}`}
        >
          {entry.verdict === 'blocked' ? 'Blocked' : entry.verdict === 'allowed' ? 'Allowed' : 'Other'}
        </span>
      </div>
      <div role="gridcell" className="cell cell--main">
        {entry.appName}
      </div>
      <div role="gridcell" className="cell">
        {entry.direction ? directionLabel[entry.direction] : '—'}
      </div>
      <div role="gridcell" className="cell">
        {protocolName(entry.protocol)}
      </div>
      <div role="gridcell" className="cell mono">
        {remote}
      </div>
      <div role="gridcell" className="cell">
        {entry.localPort ?? '—'}
      </div>
      <div role="gridcell" className="cell" title={entry.filterName}>
        {entry.blockedBy ? blockedByLabel[entry.blockedBy] : '—'}
        {entry.filterName && <span className="muted"> · {entry.filterName}</span>}
      </div>
    </div>
  );
});

type ActivityColumn = 'time' | 'verdict' | 'app' | 'direction' | 'protocol' | 'remote' | 'localPort' | 'blockedBy';

const ACTIVITY_COLUMNS: readonly (readonly [string, ActivityColumn])[] = [
  ['Time', 'time'],
  ['Verdict', 'verdict'],
  ['App', 'app'],
  ['Direction', 'direction'],
  ['Protocol', 'protocol'],
  ['Remote', 'remote'],
  ['Local port', 'localPort'],
  ['Blocked by', 'blockedBy'],
];

function activitySortValue(e: ActivityEntry, column: ActivityColumn): string | number | undefined {
  switch (column) {
    case 'time':
      return e.seq;
    case 'verdict':
      return e.verdict;
    case 'app':
      return e.appName;
    case 'direction':
      return e.direction;
    case 'protocol':
      return e.protocol;
    case 'remote':
      return e.remoteAddress;
    case 'localPort':
      return e.localPort;
    case 'blockedBy':
      return e.blockedBy;
  }
}

export function ActivityView() {
  const live = useData((s) => s.activity);
  const notShown = useData((s) => s.activityNotShown);
  const [frozen, setFrozen] = useState<readonly ActivityEntry[] | null>(null);
  // While the pointer or the keyboard is in the log, new entries wait instead of pushing rows down.
  const [held, setHeld] = useState<readonly ActivityEntry[] | null>(null);
  const [query, setQuery] = useState('');
  const [verdict, setVerdict] = useState<Verdict>('all');
  const { sort, toggle } = useColumnSort<ActivityColumn>({ key: 'time', dir: 'desc' }, { time: 'desc' });
  const still = frozen ?? held;
  const source = still ?? live;
  const newSincePause = still ? live.filter((e) => e.seq > (still[still.length - 1]?.seq ?? -1)).length : 0;

  const rows = useMemo((): LogRows => {
    const needle = query.trim().toLowerCase();
    // The log's own order, newest first, needs no copy: a batch then costs the rows on screen, not the whole log.
    if (!needle && verdict === 'all' && sort.key === 'time' && sort.dir === 'desc') {
      return { length: source.length, at: (i) => source[source.length - 1 - i]! };
    }
    const out: ActivityEntry[] = [];
    // Newest first: the log arrives oldest first.
    for (let i = source.length - 1; i >= 0; i--) {
      const e = source[i]!;
      if (verdict !== 'all' && e.verdict !== verdict) continue;
      if (
        needle &&
        !`${e.appName} ${e.appKey} ${e.remoteAddress ?? ''} ${e.remotePort ?? ''} ${e.filterName ?? ''}`
          .toLowerCase()
          .includes(needle)
      )
        continue;
      out.push(e);
    }
    // Newest first is the log's own order; any other column sorts a copy, oldest entry first on ties.
    if (sort.key === 'time') {
      if (sort.dir === 'asc') out.reverse();
    } else {
      const primary = compareBy<ActivityEntry>((e) => activitySortValue(e, sort.key), sort.dir);
      out.sort((a, b) => primary(a, b) || b.seq - a.seq);
    }
    return { length: out.length, at: (i) => out[i]! };
  }, [source, query, verdict, sort]);

  const exportAs = async (format: 'csv' | 'json') => {
    const result = await act('activity.export', { format }, undefined);
    if (result)
      downloadText(
        result.text,
        `portcullis-activity-${stamp()}.${format}`,
        format === 'csv' ? 'text/csv' : 'application/json',
      );
  };

  return (
    <div className="view view--table">
      <div className="view__head">
        <h1>Activity</h1>
        <p className="view__lead">Every connection attempt WFP reported, newest first.</p>
      </div>
      <div className="toolbar">
        <button
          type="button"
          className="button"
          aria-pressed={frozen !== null}
          onClick={() => setFrozen(frozen ? null : live)}
        >
          {frozen ? 'Resume' : 'Pause'}
        </button>
        <label className="field field--grow">
          <span className="field__label">Filter</span>
          <input
            type="search"
            className="input"
            placeholder="App, address, port or filter"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            aria-label="Filter activity"
          />
        </label>
        <label className="field">
          <span className="field__label">Verdict</span>
          <select className="input" value={verdict} onChange={(e) => setVerdict(e.target.value as Verdict)}>
            <option value="all">All</option>
            <option value="blocked">Blocked</option>
            <option value="allowed">Allowed</option>
            <option value="other">Other</option>
          </select>
        </label>
        <button type="button" className="button" onClick={() => void exportAs('csv')}>
          Export CSV
        </button>
        <button type="button" className="button" onClick={() => void exportAs('json')}>
          Export JSON
        </button>
        <p className="toolbar__count" role="status">
          {frozen
            ? `Paused · ${countFormat.format(newSincePause)} new since`
            : held && newSincePause > 0
              ? `${plural(newSincePause, 'new entry', 'new entries')} shown when you move away`
              : plural(rows.length, 'entry', 'entries')}
          {!frozen && notShown > 0 && ` · ${countFormat.format(notShown)} more not shown (export for all)`}
        </p>
      </div>
      {source.length === 0 ? (
        <EmptyState title="No activity yet">Connection attempts appear here as WFP reports them.</EmptyState>
      ) : rows.length === 0 ? (
        <EmptyState title="No entry matches">Change the filter to see more of the log.</EmptyState>
      ) : (
        <VirtualTable
          label="Activity log"
          gridClass="activity-grid"
          rowCount={rows.length}
          rowHeight={ROW_HEIGHT}
          onEngaged={(engaged) => setHeld(engaged ? live : null)}
          header={
            <>
              {ACTIVITY_COLUMNS.map(([label, column]) => (
                <ColumnHeader key={column} label={label} column={column} sort={sort} onSort={toggle} />
              ))}
            </>
          }
          renderRow={(i, start) => <ActivityRow entry={rows.at(i)} index={i} start={start} />}
        />
      )}
    </div>
  );
}
