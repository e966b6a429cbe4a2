// A table with ARIA table semantics whose body renders only the rows on screen, so 10,000 rows cost what 30 do.
// Header and rows share one CSS grid template (gridClass) so the columns line up; the header sits sticky inside
// the one scroll container so wide tables scroll sideways as one piece. Rows are keyed by their place on screen,
// not by their content: after a sort or a search the same 30 DOM rows are updated in place instead of replaced.
import { useVirtualizer } from '@tanstack/react-virtual';
import { Fragment, useRef, type CSSProperties, type KeyboardEvent, type ReactNode } from 'react';

export const HEADER_HEIGHT = 36;
const FOCUSABLE = 'button, input[type="checkbox"]';

/** Where a body row sits; applied through CSSOM (a style prop), which the CSP allows. */
export function rowPosition(start: number, height: number): CSSProperties {
  return { transform: `translateY(${start - HEADER_HEIGHT}px)`, height };
}

/** Column headers that are plain labels (no sorting). */
export function PlainHeader({ labels }: { labels: readonly string[] }) {
  return (
    <>
      {labels.map((label) => (
        <div key={label} role="columnheader" className="cell cell--head">
          {label}
        </div>
      ))}
    </>
  );
}

export interface VirtualTableProps {
  label: string;
  gridClass: string;
  rowCount: number;
  rowHeight: number;
  header: ReactNode;
  /** Must render one role=row element placed with rowPosition(start, rowHeight) and aria-rowindex={index + 2}. */
  renderRow: (index: number, start: number) => ReactNode;
  className?: string;
}

export function VirtualTable(props: VirtualTableProps) {
  const { label, gridClass, rowCount, rowHeight, header, renderRow } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 8,
    scrollMargin: HEADER_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();

  // Up and down arrows move to the same control in the neighbouring row, scrolling it into view first when the
  // row is not rendered yet.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const target = event.target as HTMLElement;
    if (!(target instanceof HTMLButtonElement) && !(target instanceof HTMLInputElement && target.type === 'checkbox'))
      return;
    const row = target.closest('[role="row"]');
    const index = Number(row?.getAttribute('aria-rowindex')) + (event.key === 'ArrowDown' ? 1 : -1);
    if (!row || !Number.isInteger(index) || index < 2 || index > rowCount + 1) return;
    event.preventDefault();
    const position = [...row.querySelectorAll(FOCUSABLE)].indexOf(target);
    virtualizer.scrollToIndex(index - 2);
    const focusNext = (tries: number) => {
      const next = scrollRef.current?.querySelector(`[role="row"][aria-rowindex="${index}"]`);
      const control = next?.querySelectorAll<HTMLElement>(FOCUSABLE)[position];
      if (control) control.focus();
      else if (tries > 0) requestAnimationFrame(() => focusNext(tries - 1));
    };
    focusNext(3);
  };
  return (
    <div className={`vtable ${props.className ?? ''}`}>
      <div
        ref={scrollRef}
        className="vtable__scroll"
        role="table"
        aria-label={label}
        aria-rowcount={rowCount + 1}
        onKeyDown={onKeyDown}
      >
        <div role="rowgroup" className="vtable__head">
          <div role="row" aria-rowindex={1} className={`vtable__row vtable__row--head ${gridClass}`}>
            {header}
          </div>
        </div>
        <div role="rowgroup" className={`vtable__body ${gridClass}`} style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => (
            <Fragment key={item.index}>{renderRow(item.index, item.start)}</Fragment>
          ))}
        </div>
      </div>
    </div>
  );
}
