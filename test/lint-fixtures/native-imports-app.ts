// Linted as if it were native/wfp/fixture.ts: native imports nothing of the app, electron included.
import type { Rule } from '../../electron/core/model';
import { ipcMain } from 'electron';

export type Stored = Rule;
export const bus = ipcMain;
