// Linted as if it were renderer/src/fixture.ts: the renderer must not reach native/, core or main.
import type { NetEvent } from '../../native/api';
import { createPortcullisCore } from '../../electron/core/index';
import '../../electron/main/index';

export type Seen = NetEvent;
export const factory = createPortcullisCore;
