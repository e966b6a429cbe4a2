// window.portcullis inside the test page: the same createBridge the preload uses, fed by a Playwright binding
// instead of ipcRenderer. Calls go to the shared dispatcher with the calling frame as sender; results come back as
// JSON text (wire.ts says why).
import type { BrowserContext } from 'playwright-core';
import { createBridge } from '../../../electron/ipc/bridge';
import { commandNames, eventNames } from '../../../electron/ipc/channels';
import type { Dispatcher } from '../../../electron/ipc/dispatch';
import { toWire } from './wire';

const INVOKE_BINDING = '__portcullisInvoke';
export const EMIT_FUNCTION = '__portcullisEmit';
/** The same, with the payload as wire.ts's JSON text. */
export const EMIT_WIRE_FUNCTION = '__portcullisEmitWire';

function initScript(): string {
  // createBridge is self-contained by design, so its source text runs in the page as it runs in the preload.
  // `__name` covers transpilers that wrap functions to keep their names.
  return `(() => {
  const __name = (f) => f;
  const createBridge = ${createBridge.toString()};
  const listeners = new Map();
  const bridge = createBridge(
    ${JSON.stringify(commandNames)},
    ${JSON.stringify(eventNames)},
    (command, args) => window.${INVOKE_BINDING}(command, args).then((text) => JSON.parse(text)),
    (event, listener) => {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => { set.delete(listener); };
    },
  );
  Object.defineProperty(window, 'portcullis', { value: bridge, enumerable: true });
  Object.defineProperty(window, '${EMIT_FUNCTION}', {
    value: (event, payload) => { for (const listener of listeners.get(event) ?? []) listener(payload); },
  });
  Object.defineProperty(window, '${EMIT_WIRE_FUNCTION}', {
    value: (event, text) => window.${EMIT_FUNCTION}(event, JSON.parse(text)),
  });
})();`;
}

/** Makes window.portcullis available in every page of the context, backed by `dispatcher`. */
export async function installBridge(context: BrowserContext, dispatcher: Dispatcher): Promise<void> {
  await context.exposeBinding(INVOKE_BINDING, async ({ frame }, command: unknown, args: unknown) => {
    const result = await dispatcher.dispatch(String(command), args, {
      url: frame.url(),
      isMainFrame: frame.parentFrame() === null,
      fromOurWindow: true,
    });
    return toWire(result, `The result of "${String(command)}"`);
  });
  await context.addInitScript({ content: initScript() });
}
