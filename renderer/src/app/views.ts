import type { ViewId } from '../store/ui-store';

export const views: readonly { readonly id: ViewId; readonly label: string }[] = [
  { id: 'blocked', label: 'Blocked' },
  { id: 'decisions', label: 'Decisions' },
  { id: 'rules', label: 'Rules' },
  { id: 'activity', label: 'Activity' },
  { id: 'learning', label: 'Learning' },
  { id: 'settings', label: 'Settings' },
];

export function viewFromHash(hash: string): ViewId | null {
  const id = hash.replace(/^#\/?/, '');
  return views.find((v) => v.id === id)?.id ?? null;
}
