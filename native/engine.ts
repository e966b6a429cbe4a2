// A session with the Base Filtering Engine: open (retrying while BFE starts), transactions, options, close.
import koffi from 'koffi';
import { check, WfpError } from './errors.js';
import type { WfpLibrary } from './loader.js';
import { FWP_DATA_TYPE, FWPM_ENGINE_OPTION, FWPM_SESSION_FLAG_DYNAMIC, RPC_C_AUTHN_WINNT } from './wfp/constants.js';
import { FWP_VALUE0 } from './wfp/types.js';

export interface EngineOpenOptions {
  /** Objects added in a dynamic session vanish when it closes; options and persistent objects need dynamic: false. */
  dynamic?: boolean;
  /** Session name shown by WFP tools (netsh wfp show state). */
  name?: string;
  /** While the Base Filtering Engine is starting (EPT_S_NOT_REGISTERED): how often and how long to wait. */
  retry?: { attempts: number; delayMs: number };
  /**
   * Check right away that this process may do more than open a session (default true). Windows lets everyone open
   * the engine and refuses the privileged calls one by one with ERROR_ACCESS_DENIED; asking once here turns that into
   * one clear error at open, the same in the app, the command line and the smoke test.
   */
  requireElevation?: boolean;
}

/** What `open` says when the session opened but the process is not elevated. */
export const NOT_ELEVATED_CONTEXT = 'the engine session opened, but this process is not elevated';

/**
 * The engine behind a session is gone: BFE stopped or restarted (RPC_S_SERVER_UNAVAILABLE, RPC_S_CALL_FAILED,
 * EPT_S_NOT_REGISTERED), or it dropped the session (FWP_E_SESSION_ABORTED). A new session is the only way on.
 */
export function isEngineGone(code: number): boolean {
  const symbol = new WfpError('', code).symbol;
  return (
    symbol === 'RPC_S_SERVER_UNAVAILABLE' ||
    symbol === 'RPC_S_CALL_FAILED' ||
    symbol === 'EPT_S_NOT_REGISTERED' ||
    symbol === 'FWP_E_SESSION_ABORTED'
  );
}

const DEFAULT_RETRY = { attempts: 8, delayMs: 250 };
const MAX_RETRY_DELAY_MS = 4000;
// Waiting longer than this for another program's transaction lock gives FWP_E_TIMEOUT instead of a hung UI.
const TXN_WAIT_TIMEOUT_MS = 15_000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

type Closer = () => Promise<void>;

export class WfpEngine {
  readonly lib: WfpLibrary;
  readonly dynamic: boolean;
  #handle: unknown;
  #closed = false;
  #inTransaction = false;
  #transactionEnded: Promise<void> = Promise.resolve();
  readonly #outside = new Set<Promise<unknown>>();
  readonly #closers = new Set<Closer>();

  private constructor(lib: WfpLibrary, handle: unknown, dynamic: boolean) {
    this.lib = lib;
    this.#handle = handle;
    this.dynamic = dynamic;
  }

  static async open(lib: WfpLibrary, options: EngineOpenOptions = {}): Promise<WfpEngine> {
    const dynamic = options.dynamic ?? false;
    const retry = options.retry ?? DEFAULT_RETRY;
    const session = {
      sessionKey: { Data1: 0, Data2: 0, Data3: 0, Data4: [0, 0, 0, 0, 0, 0, 0, 0] },
      displayData: { name: options.name ?? 'Portcullis', description: 'Portcullis firewall' },
      flags: dynamic ? FWPM_SESSION_FLAG_DYNAMIC : 0,
      txnWaitTimeoutInMSec: TXN_WAIT_TIMEOUT_MS,
      processId: 0,
      sid: null,
      username: null,
      kernelMode: 0,
    };
    for (let attempt = 1; ; attempt++) {
      const out: unknown[] = [null];
      const code = await callAsync(lib.fn.FwpmEngineOpen0, null, RPC_C_AUTHN_WINNT, null, session, out);
      if (code === 0) {
        const engine = new WfpEngine(lib, out[0], dynamic);
        if (options.requireElevation !== false) await engine.#checkElevation();
        return engine;
      }
      const error = new WfpError('FwpmEngineOpen0', code);
      if (error.symbol !== 'EPT_S_NOT_REGISTERED' || attempt >= Math.max(1, retry.attempts)) throw error;
      await sleep(Math.min(retry.delayMs * 2 ** (attempt - 1), MAX_RETRY_DELAY_MS));
    }
  }

  // FwpmEngineGetOption0 is one of the calls Windows refuses a process that is not elevated (wfp-facts: options,
  // subscribe and add need the rights; open does not). Any other failure is left for the real call to report.
  async #checkElevation(): Promise<void> {
    const out: unknown[] = [null];
    const code = this.lib.fn.FwpmEngineGetOption0(this.#handle, FWPM_ENGINE_OPTION.COLLECT_NET_EVENTS, out) as number;
    if (code === 0) {
      if (out[0]) this.lib.fn.FwpmFreeMemory0([out[0]]);
      return;
    }
    const error = new WfpError('FwpmEngineGetOption0', code, NOT_ELEVATED_CONTEXT);
    if (error.symbol !== 'ERROR_ACCESS_DENIED') return;
    await this.close().catch(() => undefined);
    throw error;
  }

  /** The HANDLE for direct calls; throws once closed. */
  get handle(): unknown {
    if (this.#closed) throw new Error('The WFP engine session is closed.');
    return this.#handle;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Runs `work` between FwpmTransactionBegin0 and Commit0; any failure aborts, leaving no trace. */
  async transaction<T>(work: () => Promise<T> | T): Promise<T> {
    if (this.#inTransaction) throw new Error('A WFP transaction is already running on this session.');
    this.#inTransaction = true;
    let ended!: () => void;
    this.#transactionEnded = new Promise<void>((r) => (ended = r));
    try {
      // An unsubscribe already on its way must finish first: inside a transaction it would fail (see outside()).
      while (this.#outside.size > 0) await Promise.allSettled([...this.#outside]);
      check('FwpmTransactionBegin0', this.lib.fn.FwpmTransactionBegin0(this.handle, 0));
      let result: T;
      try {
        result = await work();
      } catch (e) {
        this.lib.fn.FwpmTransactionAbort0(this.handle);
        throw e;
      }
      const code = this.lib.fn.FwpmTransactionCommit0(this.handle) as number;
      if (code !== 0) {
        this.lib.fn.FwpmTransactionAbort0(this.handle);
        check('FwpmTransactionCommit0', code);
      }
      return result;
    } finally {
      this.#inTransaction = false;
      ended();
    }
  }

  /**
   * Runs `op` while no transaction is open on this session, and keeps transactions from opening until it is done.
   * For FwpmNetEventUnsubscribe0, which WFP refuses inside a transaction (FWP_E_TXN_IN_PROGRESS) and which runs on
   * a worker thread while JS goes on.
   */
  async outside<T>(op: () => Promise<T>): Promise<T> {
    while (this.#inTransaction) await this.#transactionEnded;
    const running = op();
    this.#outside.add(running);
    try {
      return await running;
    } finally {
      this.#outside.delete(running);
    }
  }

  get inTransaction(): boolean {
    return this.#inTransaction;
  }

  /** Reads a UINT32 engine option (FWPM_ENGINE_OPTION_*). */
  getOption(option: number): number {
    const out: unknown[] = [null];
    check('FwpmEngineGetOption0', this.lib.fn.FwpmEngineGetOption0(this.handle, option, out), `option ${option}`);
    const ptr = out[0];
    if (ptr === null || ptr === undefined) throw new WfpError('FwpmEngineGetOption0', 0x8032001c, `option ${option}`);
    try {
      const type = koffi.decode(ptr, FWP_VALUE0.members!.type!.offset, 'uint32_t') as number;
      if (type === FWP_DATA_TYPE.EMPTY) return 0;
      return koffi.decode(ptr, FWP_VALUE0.members!.u!.offset, 'uint32_t') as number;
    } finally {
      this.lib.fn.FwpmFreeMemory0([ptr]);
    }
  }

  /** Sets a UINT32 engine option. Engine options are machine-wide and survive reboots: see options.ts. */
  setOption(option: number, value: number): void {
    const v = { type: FWP_DATA_TYPE.UINT32, u: { uint32: value >>> 0 } };
    check('FwpmEngineSetOption0', this.lib.fn.FwpmEngineSetOption0(this.handle, option, v), `option ${option}`);
  }

  /** Registers cleanup (a subscription's stop) that must run before the session closes. */
  onClose(closer: Closer): () => void {
    this.#closers.add(closer);
    return () => this.#closers.delete(closer);
  }

  /** Stops what hangs off this session, then FwpmEngineClose0 off the main thread (it waits for callbacks). */
  async close(): Promise<void> {
    if (this.#closed) return;
    for (const closer of [...this.#closers]) {
      await closer().catch(() => undefined);
    }
    this.#closers.clear();
    this.#closed = true;
    const code = await callAsync(this.lib.fn.FwpmEngineClose0, this.#handle);
    this.#handle = null;
    // A session the engine already dropped (or an engine that restarted) is closed as far as we are concerned.
    if (code !== 0 && !isEngineGone(code)) check('FwpmEngineClose0', code);
  }
}

/** Calls a koffi function on koffi's worker thread; resolves with its return code. */
export function callAsync(fn: { async: (...args: unknown[]) => void }, ...args: unknown[]): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    fn.async(...args, (err: unknown, result: number) => (err ? reject(err) : resolvePromise(result)));
  });
}
