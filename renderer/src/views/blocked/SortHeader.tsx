// The Blocked table's headers: the same sortable header as Rules and Activity, with the sort kept in the UI store
// (it survives switching views, and the keyboard and the virtualized list read it from there).
import { ColumnHeader } from '../../components/ColumnSort';
import type { SortKey } from '../../store/ui-store';
import { useUi } from '../../store/ui-store';

export function SortHeader({ label, sortKey, className }: { label: string; sortKey: SortKey; className?: string }) {
  const sort = useUi((s) => s.sort);
  const toggleSort = useUi((s) => s.toggleSort);
  return <ColumnHeader label={label} column={sortKey} sort={sort} onSort={toggleSort} className={className} />;
}
