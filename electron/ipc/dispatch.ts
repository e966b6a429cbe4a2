// The one place where an IPC call becomes a core call. Main wires it to ipcMain.handle, the e2e harness to a
// Playwright binding; both get the same sender check and the same argument validation, so what the tests exercise
// is what the elevated process runs. Pure TypeScript: no `electron` import.
import { commandSchemas, type CommandHandlers, type CommandName } from './contract';
import type { IpcErrorInfo, IpcResult } from './result';

/** Who sent the call, as far as the transport can tell. */
export interface SenderInfo {
  /** URL of the frame that sent it. */
  readonly url: string | undefined;
  /** Subframes never talk to main, even when they share our origin. */
  readonly isMainFrame: boolean;
  /** The call came from a window (web contents) that Portcullis itself opened. */
  readonly fromOurWindow: boolean;
}

export interface DispatcherOptions {
  readonly handlers: CommandHandlers;
  readonly isTrustedSender: (sender: SenderInfo) => boolean;
  /** Failures inside a handler (not rejected input), for the log. */
  readonly onHandlerError?: (command: CommandName, error: unknown) => void;
  /** Calls refused before any handler ran (untrusted sender, unknown command, invalid arguments), for the log. */
  readonly onRefused?: (command: string, error: IpcErrorInfo) => void;
}

export interface Dispatcher {
  dispatch(command: string, args: unknown, sender: SenderInfo): Promise<IpcResult>;
}

function isCommand(command: string): command is CommandName {
  return Object.hasOwn(commandSchemas, command);
}

function fail(error: IpcErrorInfo): IpcResult {
  return { ok: false, error };
}

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { handlers, isTrustedSender, onHandlerError, onRefused } = options;
  const refuse = (command: string, error: IpcErrorInfo): IpcResult => {
    onRefused?.(command, error);
    return fail(error);
  };
  return {
    async dispatch(command, args, sender) {
      if (!isTrustedSender(sender)) {
        return refuse(command, {
          code: 'UNTRUSTED_SENDER',
          message: `Refused "${command}" from ${sender.url ?? 'an unknown frame'}: only Portcullis' own windows may call it.`,
        });
      }
      if (!isCommand(command)) {
        return refuse(command, { code: 'UNKNOWN_COMMAND', message: `Unknown command "${command}".` });
      }
      const parsed = commandSchemas[command].safeParse(args ?? {});
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(arguments)'}: ${i.message}`);
        return refuse(command, {
          code: 'INVALID_ARGUMENTS',
          message: `Invalid arguments for "${command}": ${issues.join('; ')}`,
          issues,
        });
      }
      try {
        // The schema map and the handler map are keyed by the same names; TypeScript cannot correlate them here.
        const handler = handlers[command] as (a: unknown) => unknown;
        const value: unknown = await handler(parsed.data);
        return { ok: true, value };
      } catch (error) {
        onHandlerError?.(command, error);
        const message = error instanceof Error ? error.message : String(error);
        return fail({ code: 'FAILED', message: `"${command}" failed: ${message}` });
      }
    },
  };
}

/**
 * A sender check that accepts only the main frame of the given pages. Compares scheme, host and path rather than
 * URL.origin, because a custom scheme (portcullis://app) has the opaque origin "null".
 */
export function pagesSenderCheck(base: string, pages: readonly string[]): (sender: SenderInfo) => boolean {
  const baseUrl = new URL(base);
  const allowed = new Set(pages.map((p) => new URL(p, baseUrl).pathname));
  return (sender) => {
    if (!sender.fromOurWindow || !sender.isMainFrame || sender.url === undefined) return false;
    let url: URL;
    try {
      url = new URL(sender.url);
    } catch {
      return false;
    }
    return url.protocol === baseUrl.protocol && url.host === baseUrl.host && allowed.has(url.pathname);
  };
}
