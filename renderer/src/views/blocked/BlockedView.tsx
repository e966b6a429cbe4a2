import { useMemo } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { useHeldOrder } from '../../components/useHeldOrder';
import { VirtualTable } from '../../components/VirtualTable';
import { plural } from '../../format/labels';
import { useVisibleAppKeys } from '../../store/app-selectors';
import { useData } from '../../store/data-store';
import { useUi } from '../../store/ui-store';
import { APP_ROW_HEIGHT, AppRow, decideApps, KEY_DECISIONS } from './AppRow';
import { BlockedToolbar } from './BlockedToolbar';
import { BulkBar } from './BulkBar';
import { DetailPanel } from './DetailPanel';
import { SortHeader } from './SortHeader';

function Header({ allSelected, onToggleAll }: { allSelected: boolean; onToggleAll: () => void }) {
  return (
    <>
      <div role="columnheader" className="cell cell--check cell--head">
        <input type="checkbox" checked={allSelected} onChange={onToggleAll} aria-label="Select all shown apps" />
      </div>
      <SortHeader label="App" sortKey="name" />
      <SortHeader label="Path" sortKey="path" className="cell--head-path" />
      <SortHeader label="Blocked" sortKey="blockedCount" className="cell--num" />
      <SortHeader label="Last seen" sortKey="lastSeen" />
      <div role="columnheader" className="cell cell--head cell--head-dest">
        Top destinations
      </div>
      <SortHeader label="Blocked by" sortKey="blockedBy" />
      <SortHeader label="State" sortKey="state" />
      <div role="columnheader" className="cell cell--head" title="Keys on a row: A allow, B block, I ignore">
        Decide <span className="muted key-hint">(A / B / I)</span>
      </div>
    </>
  );
}

export function BlockedView() {
  const total = useData((s) => s.apps.size);
  const live = useVisibleAppKeys();
  const sort = useUi((s) => s.sort);
  const filters = useUi((s) => s.filters);
  const request = useMemo(() => ({ sort, filters }), [sort, filters]);
  const held = useHeldOrder(live, request);
  const keys = held.keys;
  const apps = useData((s) => s.apps);
  const onRowKey = (index: number, key: string): boolean => {
    const decision = KEY_DECISIONS[key];
    const appKey = keys[index];
    if (!decision || appKey === undefined) return false;
    void decideApps([appKey], decision, apps.get(appKey)?.identity.displayName ?? 'the app');
    return true;
  };
  const selected = useUi((s) => s.selected);
  const setSelected = useUi((s) => s.setSelected);
  const detailKey = useUi((s) => s.detailKey);
  const allSelected = selected.size >= keys.length && keys.length > 0 && keys.every((k) => selected.has(k));
  return (
    <div className={`view view--table${detailKey ? ' view--with-detail' : ''}`}>
      <div className="view__head">
        <h1>Blocked apps</h1>
        <p className="view__lead">Every app Windows stopped from connecting, why, and where it tried to go.</p>
      </div>
      <BlockedToolbar shown={keys.length} total={total} />
      {/* The "updated" offer sits in the bar's own row: it comes and goes with the pointer over the list, and a
          line of its own would shift the table and the detail panel under the pointer as it leaves (a click meant
          for a button in the panel would land beside it). */}
      <BulkBar
        visibleKeys={keys}
        trailing={
          held.changed > 0 && (
            <button
              type="button"
              className="button button--small updates-button"
              onClick={held.refresh}
              {...held.offerProps}
            >
              {plural(held.changed, 'row')} updated: show in order
            </button>
          )
        }
      />
      <div className="split">
        {total === 0 ? (
          <EmptyState title="Nothing blocked yet">
            When an app is stopped from connecting, it shows up here with the reason and where it tried to go.
          </EmptyState>
        ) : keys.length === 0 ? (
          <EmptyState title="No app matches">Change the search or the filters to see more apps.</EmptyState>
        ) : (
          <VirtualTable
            label="Blocked apps"
            gridClass="apps-grid"
            rowCount={keys.length}
            rowHeight={APP_ROW_HEIGHT}
            onRowKey={onRowKey}
            onEngaged={held.setEngaged}
            header={<Header allSelected={allSelected} onToggleAll={() => setSelected(allSelected ? [] : keys)} />}
            renderRow={(i, start) => (
              <AppRow
                appKey={keys[i]!}
                index={i}
                start={start}
                selected={selected.has(keys[i]!)}
                current={detailKey === keys[i]}
              />
            )}
          />
        )}
        {detailKey && <DetailPanel appKey={detailKey} />}
      </div>
    </div>
  );
}
