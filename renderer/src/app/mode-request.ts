// A mode switch as the user should meet it: Enforce, which can cut apps off, goes through its preview and one
// confirmation; the other modes block nothing new and switch at once.
import type { Mode } from '../../../electron/core/model';
import { act } from '../components/act';
import { modeLabel } from '../format/labels';
import { useUi } from '../store/ui-store';

export function needsPreview(mode: Mode): boolean {
  return mode === 'enforce';
}

/** Resolves true when the mode was switched now, false when the preview opened or the switch failed. */
export async function requestMode(mode: Mode): Promise<boolean> {
  if (needsPreview(mode)) {
    useUi.getState().previewMode(mode);
    return false;
  }
  return (await act('mode.set', { mode }, `Mode: ${modeLabel[mode]}`)) !== undefined;
}
