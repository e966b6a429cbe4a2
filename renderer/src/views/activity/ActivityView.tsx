import { memo, useMemo, useState } from 'react';
import type { ActivityEntry } from '../../../../electron/core/model';
import { act } from '../../components/act';
import { downloadText, stamp } from '../../components/download';
import { EmptyState } from '../../components/EmptyState';
import { PlainHeader, rowPosition, VirtualTable } from '../../components/VirtualTable';
import { blockedByLabel, directionLabel, formatEndpoint, formatTime, protocolName } from '../../format/labels';
import { useData } from '../../store/data-store';

const ROW_HEIGHT = 34;
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

export function ActivityView() {
  const live = useData((s) => s.activity);
  const notShown = useData((s) => s.activityNotShown);
  const [frozen, setFrozen] = useState<readonly ActivityEntry[] | null>(null);
  const [query, setQuery] = useState('');
  const [verdict, setVerdict] = useState<Verdict>('all');
  const source = frozen ?? live;
  const newSincePause = frozen ? live.filter((e) => e.seq > (frozen[frozen.length - 1]?.seq ?? -1)).length : 0;

  const rows = useMemo(() => {
    const needle = query.trim().toLowerCase();
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
    return out;
  }, [source, query, verdict]);

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
          {frozen ? `Paused · ${newSincePause} new since` : `${rows.length.toLocaleString()} entries`}
          {!frozen && notShown > 0 && ` · ${notShown.toLocaleString()} more not shown (export for all)`}
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
          header={
            <PlainHeader
              labels={['Time', 'Verdict', 'App', 'Direction', 'Protocol', 'Remote', 'Local port', 'Blocked by']}
            />
          }
          renderRow={(i, start) => <ActivityRow entry={rows[i]!} index={i} start={start} />}
        />
      )}
    </div>
  );
}
