// window.portcullis for the sandboxed renderer: only the contract's commands and events, nothing of Node or
// ipcRenderer itself. Argument checking happens in main, where it cannot be bypassed.
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from '../ipc/bridge';
import { commandChannelPrefix, commandNames, eventChannelPrefix, eventNames } from '../ipc/channels';
import type { IpcResult } from '../ipc/result';

const bridge = createBridge(
  commandNames,
  eventNames,
  (command, args) => ipcRenderer.invoke(commandChannelPrefix + command, args) as Promise<IpcResult>,
  (event, listener) => {
    const channel = eventChannelPrefix + event;
    // The IpcRendererEvent is withheld: it carries `sender`, which would hand the page ipcRenderer itself.
    const relay = (_event: unknown, payload: unknown): void => listener(payload);
    ipcRenderer.on(channel, relay);
    return () => {
      ipcRenderer.removeListener(channel, relay);
    };
  },
);

contextBridge.exposeInMainWorld('portcullis', bridge);
