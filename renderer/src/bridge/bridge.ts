// The renderer's only way out: window.portcullis, exposed by preload (or by the test harness), typed by the contract.
import type {
  CommandArgs,
  CommandName,
  CommandResults,
  EventName,
  EventPayloads,
  PortcullisBridge,
} from '../../../electron/ipc/contract';

declare global {
  interface Window {
    portcullis?: PortcullisBridge;
  }
}

export class BridgeMissingError extends Error {
  constructor() {
    super('window.portcullis is missing: the page was opened outside Portcullis. Start it with `npm start`.');
    this.name = 'BridgeMissingError';
  }
}

function bridge(): PortcullisBridge {
  const b = window.portcullis;
  if (!b) throw new BridgeMissingError();
  return b;
}

export function hasBridge(): boolean {
  return window.portcullis !== undefined;
}

export function invoke<C extends CommandName>(command: C, args: CommandArgs<C>): Promise<CommandResults[C]> {
  return bridge().invoke(command, args);
}

export function on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
  return bridge().on(event, listener);
}
