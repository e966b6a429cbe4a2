// A data grid whose body renders only the rows on screen, so 10,000 rows cost what 30 do. Header and rows share one
// CSS grid template (gridClass) so the columns line up; the header sits sticky inside the one scroll container.
// Rows are keyed by their place on screen, not by their content: after a sort or a search the same 30 DOM rows are
// updated in place instead of replaced.
//
// Keyboard (the ARIA grid pattern): the grid is one Tab stop. Arrow keys move between rows and between the cells
// and controls of a row, Home/End to the first/last of a row, Ctrl+Home/End and Page Up/Down between rows; the
// letter keys the view offers (A allow, B block, I ignore) act on the focused row and move on to the next one.
// One element at a time has tabindex 0 (a roving tab stop), set on the DOM because rows come and go as they scroll.
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  Fragment,
  useCallback,
  useLayoutEffect,
  useRef,
  type CSSProperties,
  type FocusEvent,
  type KeyboardEvent,
  type ReactNode,
} from 'react';

export const HEADER_HEIGHT = 36;
const CONTROLS = 'button, input, select, a[href]';
const CELLS = '[role="gridcell"], [role="columnheader"]';
const PAGE_ROWS = 10;
/**
 * Rows rendered beyond each edge of the screen, ready for the first steps of a scroll (the compositor scrolls what
 * is rendered while the rows after it render). Each costs its layout and paint on every batch that changes it: under
 * a flood every row of a list sorted by last seen changes, and with 8 a Blocked frame's work after a batch was
 * 6.5 ms, with 3 it is 3.5-4.6 (docs/benchmarks.md, History).
 */
const OVERSCAN_ROWS = 3;

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
  /** A letter key on a body row; return true when it was handled (focus then moves to the next row). */
  onRowKey?: (index: number, key: string) => boolean;
  /** Pointer or keyboard inside the grid (true) or gone (false): views hold their row order meanwhile. */
  onEngaged?: (engaged: boolean) => void;
}

/** The keyboard stops of a row: each control, or the cell itself when it has none. */
function stopsOf(row: Element): HTMLElement[] {
  const stops: HTMLElement[] = [];
  for (const cell of row.querySelectorAll<HTMLElement>(CELLS)) {
    const controls = [...cell.querySelectorAll<HTMLElement>(CONTROLS)].filter((c) => !c.hasAttribute('disabled'));
    if (controls.length > 0) stops.push(...controls);
    else stops.push(cell);
  }
  return stops;
}

export function VirtualTable(props: VirtualTableProps) {
  const { label, gridClass, rowCount, rowHeight, header, renderRow, onRowKey, onEngaged } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  /** aria-rowindex (1 = header) and stop of the active position. */
  const active = useRef({ row: rowCount > 0 ? 2 : 1, stop: 1 });
  const engaged = useRef({ pointer: false, focus: false });
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: OVERSCAN_ROWS,
    scrollMargin: HEADER_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();

  const rowElement = (rowIndex: number): Element | null =>
    scrollRef.current?.querySelector(`[role="row"][aria-rowindex="${rowIndex}"]`) ?? null;

  /** Exactly one tab stop: the active position when it is rendered, else the grid itself. */
  const syncTabStops = useCallback(() => {
    const grid = scrollRef.current;
    if (!grid) return undefined;
    const row = rowElement(active.current.row);
    const stops = row ? stopsOf(row) : [];
    const target = stops[Math.min(active.current.stop, stops.length - 1)];
    // Only what differs is written: this runs on every render of the table (a keystroke in the search box).
    for (const el of grid.querySelectorAll<HTMLElement>(`${CONTROLS}, ${CELLS}`)) {
      const wanted = el === target ? 0 : -1;
      if (el.tabIndex !== wanted) el.tabIndex = wanted;
    }
    const gridWanted = target ? -1 : 0;
    if (grid.tabIndex !== gridWanted) grid.tabIndex = gridWanted;
    return target;
  }, []);

  useLayoutEffect(() => {
    if (active.current.row > rowCount + 1) active.current = { ...active.current, row: Math.max(1, rowCount + 1) };
    syncTabStops();
  });

  const focusActive = (tries = 4) => {
    const target = syncTabStops();
    if (target) target.focus({ preventScroll: false });
    else if (tries > 0) requestAnimationFrame(() => focusActive(tries - 1));
  };

  const moveTo = (row: number, stop: number) => {
    const clamped = Math.max(1, Math.min(rowCount + 1, row));
    active.current = { row: clamped, stop: Math.max(0, stop) };
    if (clamped >= 2) virtualizer.scrollToIndex(clamped - 2);
    else scrollRef.current?.scrollTo({ top: 0 });
    focusActive();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const target = event.target as HTMLElement;
    if (target.matches('input:not([type="checkbox"]), select, textarea')) return;
    const { row, stop } = active.current;
    const stops = stopsOf(rowElement(row) ?? document.createElement('div'));
    const lastStop = Math.max(0, stops.length - 1);
    const key = event.key;
    let handled = true;
    if (key === 'ArrowDown') moveTo(row + 1, stop);
    else if (key === 'ArrowUp') moveTo(row - 1, stop);
    else if (key === 'PageDown') moveTo(row + PAGE_ROWS, stop);
    else if (key === 'PageUp') moveTo(row - PAGE_ROWS, stop);
    else if (key === 'ArrowRight') moveTo(row, Math.min(lastStop, stop + 1));
    else if (key === 'ArrowLeft') moveTo(row, Math.max(0, stop - 1));
    else if (key === 'Home') moveTo(event.ctrlKey ? 2 : row, event.ctrlKey ? stop : 0);
    else if (key === 'End') moveTo(event.ctrlKey ? rowCount + 1 : row, event.ctrlKey ? stop : lastStop);
    else if (
      key.length === 1 &&
      !event.ctrlKey &&
      !event.altKey &&
      !event.metaKey &&
      row >= 2 &&
      onRowKey?.(row - 2, key.toLowerCase())
    ) {
      moveTo(Math.min(row + 1, rowCount + 1), stop);
    } else handled = false;
    if (handled) event.preventDefault();
  };

  // A click or focus inside the grid makes that position the active one.
  const onFocus = (event: FocusEvent<HTMLDivElement>) => {
    const el = event.target as HTMLElement;
    if (el === scrollRef.current) {
      // Tab reached the grid while its active row was scrolled away: bring the row back.
      moveTo(active.current.row, active.current.stop);
    } else {
      const row = el.closest('[role="row"]');
      const index = Number(row?.getAttribute('aria-rowindex'));
      if (row && Number.isInteger(index)) {
        const stop = stopsOf(row).indexOf(el);
        if (stop >= 0) active.current = { row: index, stop };
        syncTabStops();
      }
    }
    setEngaged('focus', true);
  };

  const setEngaged = (kind: 'pointer' | 'focus', value: boolean) => {
    const before = engaged.current.pointer || engaged.current.focus;
    engaged.current = { ...engaged.current, [kind]: value };
    const after = engaged.current.pointer || engaged.current.focus;
    if (before !== after) onEngaged?.(after);
  };

  return (
    <div className={`vtable ${props.className ?? ''}`}>
      <div
        ref={scrollRef}
        className="vtable__scroll"
        role="grid"
        aria-label={label}
        aria-rowcount={rowCount + 1}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onFocus={onFocus}
        onBlur={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setEngaged('focus', false);
        }}
        onPointerEnter={() => setEngaged('pointer', true)}
        onPointerLeave={() => setEngaged('pointer', false)}
      >
        <div role="rowgroup" className="vtable__head">
          <div role="row" aria-rowindex={1} className={`vtable__row vtable__row--head ${gridClass}`}>
            {header}
          </div>
        </div>
        {/* Not the grid's class: its rules for a row's cells (`.apps-grid > :nth-child(5)` hides a column at a
            narrow width) would hide this group's rows. The rows are as wide as the grid's class makes them. */}
        <div role="rowgroup" className="vtable__body" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => (
            <Fragment key={item.index}>{renderRow(item.index, item.start)}</Fragment>
          ))}
        </div>
      </div>
    </div>
  );
}
