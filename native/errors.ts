// Every failed WFP call becomes a WfpError naming the call, the symbolic code and what the user can do about it.
import { FWP_E_CODES, WIN32_CODES } from './wfp/error-codes.js';

const SYMBOLS = new Map<number, string>([...FWP_E_CODES, ...WIN32_CODES]);

const HINTS: Record<string, string> = {
  ERROR_ACCESS_DENIED: 'Run Portcullis as administrator: changing or watching the firewall needs elevation.',
  ERROR_PRIVILEGE_NOT_HELD: 'Run Portcullis as administrator: changing or watching the firewall needs elevation.',
  EPT_S_NOT_REGISTERED:
    'The Base Filtering Engine service is not running (yet). Start the "Base Filtering Engine" service (BFE) or wait for Windows to finish starting.',
  RPC_S_SERVER_UNAVAILABLE:
    'The Base Filtering Engine service is not reachable. Check that the BFE service is running.',
  ERROR_SERVICE_NOT_ACTIVE: 'The Base Filtering Engine service is not running. Start the BFE service.',
  FWP_E_ALREADY_EXISTS: 'An object with this key is already installed.',
  FWP_E_DYNAMIC_SESSION_IN_PROGRESS: 'Engine options and persistent objects need a non-dynamic session.',
  FWP_E_TXN_IN_PROGRESS: 'Another change to the firewall is still in progress; try again.',
  FWP_E_TIMEOUT: 'Another program holds the firewall transaction lock; close other firewall tools and try again.',
  FWP_E_SESSION_ABORTED: 'The firewall session was closed (the BFE service may have restarted); reopen it.',
  FWP_E_NET_EVENTS_DISABLED: 'Windows is not collecting network events; turn event collection on.',
  FWP_E_FILTER_NOT_FOUND: 'The filter is gone already (removed by another program or a restart).',
  FWP_E_PROVIDER_NOT_FOUND: 'The Portcullis provider is not installed; it is created on the next start.',
  FWP_E_SUBLAYER_NOT_FOUND: 'The Portcullis sublayer is not installed; it is created on the next start.',
  FWP_E_LAYER_NOT_FOUND: 'This Windows version does not have the filtering layer Portcullis asked for.',
  FWP_E_INVALID_PARAMETER: 'Portcullis passed a value Windows rejected; please report this.',
  FWP_E_TOO_MANY_SUBLAYERS: 'Windows has no room for another filtering sublayer; uninstall an unused firewall product.',
  ERROR_INVALID_PARAMETER: 'Portcullis passed a value Windows rejected; please report this.',
  ERROR_NOT_ENOUGH_MEMORY: 'Windows is out of memory; close other programs and try again.',
  ERROR_OUTOFMEMORY: 'Windows is out of memory; close other programs and try again.',
  ERROR_FILE_NOT_FOUND: 'The program file was not found; check the path.',
  ERROR_PATH_NOT_FOUND: 'The program file was not found; check the path.',
};

/** SDK name of a return code: FWP_E_ALREADY_EXISTS, ERROR_ACCESS_DENIED, or UNKNOWN_ERROR. */
export function errorSymbol(code: number): string {
  return SYMBOLS.get(code >>> 0) ?? 'UNKNOWN_ERROR';
}

export function errorHint(code: number): string | undefined {
  return HINTS[errorSymbol(code)];
}

export function formatCode(code: number): string {
  return `0x${(code >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}

export class WfpError extends Error {
  override readonly name = 'WfpError';
  readonly func: string;
  readonly code: number;
  readonly symbol: string;
  readonly hint: string | undefined;

  constructor(func: string, code: number, context?: string) {
    const symbol = errorSymbol(code);
    const hint = errorHint(code);
    const what = context ? `${func} (${context})` : func;
    super(`${what} failed: ${symbol} (${formatCode(code)}).${hint ? ` ${hint}` : ''}`);
    this.func = func;
    this.code = code >>> 0;
    this.symbol = symbol;
    this.hint = hint;
  }
}

/** Throws a WfpError for any non-zero return. */
export function check(func: string, code: number, context?: string): void {
  if (code !== 0) throw new WfpError(func, code, context);
}

export function isWfpError(e: unknown, symbol?: string): e is WfpError {
  return e instanceof WfpError && (symbol === undefined || e.symbol === symbol);
}

/** The library could not be loaded at all: no fwpuclnt.dll (not Windows) or no simulator build. */
export class WfpLoadError extends Error {
  override readonly name = 'WfpLoadError';
  readonly path: string;
  constructor(path: string, reason: string, howToFix: string) {
    super(`Cannot load the filtering library ${path}: ${reason}. ${howToFix}`);
    this.path = path;
  }
}
