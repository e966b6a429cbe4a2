// window.portcullis, built from a raw transport. The preload builds it over ipcRenderer; the e2e harness injects the
// same function into the page (via its source text) over a Playwright binding. It therefore must stay
// self-contained: no imports at run time, no references outside its own body.
import type { PortcullisBridge } from './contract';
import type { IpcResult } from './result';

export type RawInvoke = (command: string, args: unknown) => Promise<IpcResult>;
export type RawSubscribe = (event: string, listener: (payload: unknown) => void) => () => void;

export function createBridge(
  commands: readonly string[],
  events: readonly string[],
  invokeRaw: RawInvoke,
  subscribeRaw: RawSubscribe,
): PortcullisBridge {
  const knownCommands = new Set(commands);
  const knownEvents = new Set(events);
  const bridge = {
    async invoke(command: string, args: unknown): Promise<unknown> {
      if (!knownCommands.has(command)) throw new Error(`UNKNOWN_COMMAND: "${command}" is not a Portcullis command.`);
      const result = await invokeRaw(command, args);
      if (result.ok) return result.value;
      // The code leads the message because an Error's extra properties do not survive contextBridge.
      const error = new Error(`${result.error.code}: ${result.error.message}`);
      error.name = 'PortcullisError';
      throw error;
    },
    on(event: string, listener: (payload: unknown) => void): () => void {
      if (!knownEvents.has(event)) throw new Error(`"${event}" is not a Portcullis event.`);
      if (typeof listener !== 'function') throw new Error('on(): the listener must be a function.');
      return subscribeRaw(event, listener);
    },
  };
  return Object.freeze(bridge) as PortcullisBridge;
}
