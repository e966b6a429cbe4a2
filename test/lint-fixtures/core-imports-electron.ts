// Linted as if it were electron/core/fixture.ts: core must never import electron.
import { app } from 'electron';

export const name = app.getName();
