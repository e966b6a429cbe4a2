// Linted as if it were renderer/src/fixture.ts: the contract and core's model types are what the renderer may use.
import type { PortcullisBridge } from '../../electron/ipc/contract';
import type { AppEntry } from '../../electron/core/model';

export type Api = PortcullisBridge;
export type Row = AppEntry;
