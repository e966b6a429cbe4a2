// A change made on the Settings page, saved; the message at the bottom of the window names what was saved.
import type { Settings } from '../../../../electron/core/model';
import { act } from '../../components/act';

export function saveSettings(patch: Partial<Settings>, what: string) {
  return act('settings.update', { patch: patch as Record<string, unknown> }, `Saved: ${what}`);
}
