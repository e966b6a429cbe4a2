// IPC in both directions: every command of the contract registered on ipcMain through the shared dispatcher, and
// events sent to our windows only.
import { commandChannelPrefix, commandNames, eventChannelPrefix } from '../ipc/channels';
import type { DeltaBatch } from '../core/model';
import type { EventName, EventPayloads } from '../ipc/contract';
import type { Dispatcher, SenderInfo } from '../ipc/dispatch';
import type { ElectronDeps, IpcInvokeEventLike, WindowLike } from './deps';

export function senderOf(event: IpcInvokeEventLike, ourContents: ReadonlySet<number>): SenderInfo {
  const frame = event.senderFrame;
  return {
    url: frame?.url,
    isMainFrame: frame !== null && frame.parent === null,
    fromOurWindow: ourContents.has(event.sender.id),
  };
}

export function registerCommands(
  ipcMain: ElectronDeps['ipcMain'],
  dispatcher: Dispatcher,
  ourContents: ReadonlySet<number>,
): void {
  for (const command of commandNames) {
    ipcMain.handle(commandChannelPrefix + command, (event, args) =>
      dispatcher.dispatch(command, args, senderOf(event, ourContents)),
    );
  }
}

export function sendEvent<E extends EventName>(
  windows: readonly (WindowLike | undefined)[],
  event: E,
  payload: EventPayloads[E],
): void {
  for (const win of windows) {
    if (!win || win.isDestroyed() || win.webContents.isDestroyed()) continue;
    win.webContents.send(eventChannelPrefix + event, payload);
  }
}

/**
 * The part of a delta batch the prompt and notification pages read (renderer/src/prompt, renderer/src/notification:
 * decisions, status, settings); undefined when it has none. Each window's copy of a batch is serialized by main and
 * parsed by its page, and under a flood the apps and log entries are nearly all of its 100-200 KB, ten times a second,
 * for windows that are hidden most of the time.
 */
export function decisionWindowsPart(batch: DeltaBatch): DeltaBatch | undefined {
  const { seq, decisions, closedDecisions, status, settings } = batch;
  if (!decisions && !closedDecisions && !status && !settings) return undefined;
  return {
    seq,
    ...(decisions ? { decisions } : {}),
    ...(closedDecisions ? { closedDecisions } : {}),
    ...(status ? { status } : {}),
    ...(settings ? { settings } : {}),
  };
}
