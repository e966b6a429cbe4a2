// What the user is looking at: the view, the Blocked table's search/sort/filters/selection, the open decision.
// Kept apart from core's data so a keystroke never copies the app index and a delta never resets the UI.
import { create } from 'zustand';
import type { AppState, BlockedBy, Mode } from '../../../electron/core/model';

export type ViewId = 'blocked' | 'rules' | 'activity' | 'learning' | 'settings' | 'decisions';
export type SortKey = 'name' | 'path' | 'blockedCount' | 'lastSeen' | 'blockedBy' | 'state';
export interface SortSpec {
  readonly key: SortKey;
  readonly dir: 'asc' | 'desc';
}
export interface AppFilters {
  readonly query: string;
  readonly direction: 'all' | 'out' | 'in';
  readonly blockedBy: 'all' | BlockedBy;
  readonly state: 'all' | AppState;
}
export interface Toast {
  readonly id: number;
  readonly kind: 'info' | 'error';
  readonly text: string;
  /** The action an Undo button on this message reverts. */
  readonly actionId?: string;
}

export interface UiState {
  readonly view: ViewId;
  readonly filters: AppFilters;
  readonly sort: SortSpec;
  readonly selected: ReadonlySet<string>;
  readonly detailKey: string | null;
  readonly decisionId: string | null;
  readonly toasts: readonly Toast[];
  /** A mode switch waiting for the user to confirm its preview. */
  readonly modePreview: Mode | null;
  readonly historyOpen: boolean;
  setView(view: ViewId): void;
  previewMode(mode: Mode | null): void;
  showHistory(open: boolean): void;
  setFilters(patch: Partial<AppFilters>): void;
  toggleSort(key: SortKey): void;
  toggleSelected(key: string): void;
  setSelected(keys: Iterable<string>): void;
  clearSelection(): void;
  showDetail(key: string | null): void;
  openDecision(id: string | null): void;
  notify(kind: Toast['kind'], text: string, actionId?: string): void;
  dismissToast(id: number): void;
}

let toastSeq = 0;

/** Numbers and times read best largest/newest first; names alphabetically. */
const naturalDir: Record<SortKey, SortSpec['dir']> = {
  name: 'asc',
  path: 'asc',
  blockedCount: 'desc',
  lastSeen: 'desc',
  blockedBy: 'asc',
  state: 'asc',
};

export const useUi = create<UiState>()((set) => ({
  view: 'blocked',
  filters: { query: '', direction: 'all', blockedBy: 'all', state: 'all' },
  sort: { key: 'lastSeen', dir: 'desc' },
  selected: new Set(),
  detailKey: null,
  decisionId: null,
  toasts: [],
  modePreview: null,
  historyOpen: false,

  setView: (view) => set({ view }),
  previewMode: (modePreview) => set({ modePreview }),
  showHistory: (historyOpen) => set({ historyOpen }),
  setFilters: (patch) => set((s) => ({ filters: { ...s.filters, ...patch } })),
  toggleSort: (key) =>
    set((s) => ({
      sort: s.sort.key === key ? { key, dir: s.sort.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: naturalDir[key] },
    })),
  toggleSelected: (key) =>
    set((s) => {
      const next = new Set(s.selected);
      if (!next.delete(key)) next.add(key);
      return { selected: next };
    }),
  setSelected: (keys) => set({ selected: new Set(keys) }),
  clearSelection: () => set({ selected: new Set() }),
  showDetail: (detailKey) => set({ detailKey }),
  openDecision: (decisionId) => set({ decisionId }),
  notify: (kind, text, actionId) =>
    set((s) => ({
      toasts: [...s.toasts.slice(-2), { id: ++toastSeq, kind, text, ...(actionId ? { actionId } : {}) }],
    })),
  dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));
