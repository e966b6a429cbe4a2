// File lookups on a thread of their own (native/lookups/worker.ts): signature checks, real-case paths and file
// identities. The main thread runs the event path; made from it, each native call of a lookup was a hop through
// libuv's pool (about 60 µs of CPU) and a wake-up of that thread, and under a flood of new apps the lookups cost
// the process more than the events did (docs/benchmarks.md, History, "File lookups on a thread of their own").
// Here the requests of one turn of the event loop go out as one message and come back as one.
// Where the thread cannot start or dies, the lookups are made from the main thread as before: nothing is lost, it
// only costs more, and `where` says so.
import { Worker } from 'node:worker_threads';
import { fileIdentity } from '../files/identity.js';
import { loadFiles, realCasePath, type FilesLibrary } from '../files/real-case.js';
import { simulatorPath } from '../loader.js';
import { loadTrust, type TrustLibrary } from '../wintrust/functions.js';
import { verifyFileSignature, type FileSignature } from '../wintrust/verify.js';
import {
  SHARED_IN_CALL,
  SHARED_STOPPING,
  type LookupAnswer,
  type LookupMessage,
  type LookupOp,
  type LookupRequest,
  type LookupThreadData,
} from './protocol.js';

interface Waiting {
  readonly request: LookupRequest;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

/**
 * The thread's script: beside this file when run from source (tsx, vitest), beside main's bundle when built
 * (electron.vite.config.ts builds it as the entry `file-lookups-worker`).
 */
export interface ThreadScript {
  readonly url: URL;
  /** Run from source: the script is TypeScript, loaded through tsx's loader (a development dependency). */
  readonly typescript?: boolean;
}

function threadScript(): ThreadScript {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return { url: new URL('./worker.ts', here), typescript: true };
  return { url: new URL('./file-lookups-worker.js', here) };
}

/** A TypeScript script registers tsx's loader in the new thread first: workers do not inherit the parent's. */
function spawn(script: ThreadScript, workerData: LookupThreadData): Worker {
  if (!script.typescript) return new Worker(script.url, { workerData });
  const url = JSON.stringify(script.url.href);
  const code = `import('tsx/esm/api').then((tsx) => tsx.tsImport(${url}, ${url}));`;
  return new Worker(code, { eval: true, workerData });
}

/** How long stop() waits for the thread to end. */
const ENDING_MS = 2_000;
/** Threads left inside a call that does not return, at most, before lookups are refused until one of them ends. */
const MAX_LEFT_BEHIND = 3;

/** A file-lookup thread, with the requests it was given and has not answered yet. */
interface LookupThread {
  readonly worker: Worker;
  /** Shared with it (protocol.ts): the request it is inside of, and whether it was asked to stop. */
  readonly shared: Int32Array;
  readonly unanswered: Map<number, Asked>;
}

interface Asked {
  readonly op: LookupOp;
  readonly path: string;
  readonly at: number;
}

/** Every lookup thread not yet ended, stopped or not, of every FileLookups (callsHoldingExit). */
const notEnded = new Set<LookupThread>();
/** Lookups made from the main thread (their calls run on libuv's pool) and not yet answered. */
const onMainInFlight = new Set<Asked>();

/**
 * The lookups still inside a native call, named: each would hold the process at its end. Node joins every worker
 * thread when its environment is freed (node::FreeEnvironment calls stop_sub_worker_contexts, which joins each;
 * Electron's NodeEnvironment frees it when the app quits) and libuv's pool at process exit; neither can interrupt a
 * call into Windows, so a file on a network share whose server went away holds the quit until the call returns.
 * Main ends the process at once when this names anything once core has stopped (electron/main/lifecycle.ts).
 */
export function callsHoldingExit(now = Date.now()): string[] {
  const held: string[] = [];
  for (const thread of notEnded) {
    const id = Atomics.load(thread.shared, SHARED_IN_CALL);
    if (id === 0) continue;
    const asked = thread.unanswered.get(id);
    held.push(asked ? describe(asked, now) : 'a file lookup on its own thread');
  }
  for (const asked of onMainInFlight) held.push(describe(asked, now));
  return held;
}

const WHAT: Record<LookupOp, string> = {
  signature: 'the signature check',
  realCase: 'the real-case lookup',
  identity: 'the file identity',
};

function describe(asked: Asked, now: number): string {
  return `${WHAT[asked.op]} of ${asked.path} (asked ${Math.round((now - asked.at) / 1000)} s ago)`;
}

export class FileLookups {
  private thread: LookupThread | undefined;
  /** Why lookups are made from the main thread, once they are. */
  private fallback: string | undefined;
  private stopped = false;
  private nextId = 1;
  private outbox: LookupRequest[] = [];
  private flushArmed = false;
  private readonly waiting = new Map<number, Waiting>();
  /** When the thread in use last answered, or was last given work with nothing waiting. */
  private heardAt = 0;
  /**
   * What the thread in use was found doing at the stall checks: the request it was inside of (0: none; -1: not
   * looked at yet) and when it was first found there. Ids are never reused: the same id at two checks is one call.
   */
  private seen = { inCall: -1, since: 0 };
  private stallTimer: NodeJS.Timeout | undefined;
  /** Threads of this instance given up on while inside a call, until they end (leaveBehind). */
  private readonly leftBehind = new Set<LookupThread>();
  private files: FilesLibrary | undefined;
  private trust: TrustLibrary | undefined;
  /** Messages sent to the thread (a batch each), for tests. */
  batchesSent = 0;
  /** Told once, with the reason, when the lookups leave the thread for the main one. */
  onFallback: ((reason: string) => void) | undefined;

  /**
   * `libraryPath`: the library standing in for Windows' DLLs; by default none on Windows (wintrust, crypt32 and
   * kernel32 answer) and the simulator elsewhere, as loadTrust and loadFiles decide on the main thread.
   */
  constructor(
    private readonly libraryPath: string | undefined = process.platform === 'win32' ? undefined : simulatorPath(),
    /** Tests only: another script for the thread (one that fails, to see the lookups carry on without it). */
    private readonly script: ThreadScript = threadScript(),
    /**
     * A thread that has answered nothing for this long while lookups wait is given up on: a call that hangs (a
     * file on a network share whose server went away) holds the thread, and with it every lookup behind it. The
     * biggest executables take seconds to hash; a minute with no answer at all is not a hash.
     */
    private readonly stallMs = 60_000,
  ) {}

  /** Where the lookups run now. */
  get where(): { thread: 'own' | 'main'; reason?: string } {
    return this.fallback === undefined ? { thread: 'own' } : { thread: 'main', reason: this.fallback };
  }

  verifySignature(path: string): Promise<FileSignature> {
    return this.ask('signature', path) as Promise<FileSignature>;
  }

  realCasePath(path: string): Promise<string | undefined> {
    return this.ask('realCase', path) as Promise<string | undefined>;
  }

  fileIdentity(path: string): Promise<string | undefined> {
    return this.ask('identity', path) as Promise<string | undefined>;
  }

  /**
   * Refuses the lookups still waiting and asks the thread to end; resolves when it has, or after `ENDING_MS`, so that
   * a call hung on a network share does not hold the session's close.
   */
  stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.stallTimer);
    this.outbox = [];
    for (const w of this.waiting.values()) w.reject(new Error('file lookups stopped'));
    this.waiting.clear();
    const thread = this.release();
    if (!thread) return Promise.resolve();
    // The timer keeps the event loop alive while waiting (the thread is unref'd): unref'd too, a process with nothing
    // else to do would end here with the stop unsettled (exit code 13, seen in the flood benchmark).
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ENDING_MS);
      thread.worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Asks the thread to end once the call in hand returns; never Worker.terminate (see worker.ts). */
  private release(): LookupThread | undefined {
    const thread = this.thread;
    this.thread = undefined;
    if (thread) Atomics.store(thread.shared, SHARED_STOPPING, 1);
    thread?.worker.postMessage({ stop: true } satisfies LookupMessage);
    return thread;
  }

  private ask(op: LookupOp, path: string): Promise<unknown> {
    if (this.stopped) return Promise.reject(new Error('file lookups stopped'));
    if (this.leftBehind.size > 0 && this.stillInCalls() >= MAX_LEFT_BEHIND) return Promise.reject(this.paused());
    if (this.waiting.size === 0) this.heardAt = Date.now();
    if (this.fallback !== undefined || !this.start()) return this.onMainThread(op, path);
    return new Promise((resolve, reject) => {
      const request = { id: this.nextId++, op, path };
      this.waiting.set(request.id, { request, resolve, reject });
      this.outbox.push(request);
      if (this.flushArmed) return;
      this.flushArmed = true;
      // After the current turn: everything asked in it goes in one message, and no timer wakes the thread for it.
      setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    this.flushArmed = false;
    if (this.outbox.length === 0 || !this.thread) return;
    const at = Date.now();
    for (const { id, op, path } of this.outbox) this.thread.unanswered.set(id, { op, path, at });
    this.thread.worker.postMessage({ requests: this.outbox } satisfies LookupMessage);
    this.outbox = [];
    this.batchesSent++;
    this.watchForStall();
  }

  /**
   * While lookups wait, looks four times per `stallMs` at what the thread is doing. Without this, a hung thread would
   * never be noticed: the queues that ask it keep their slots for the lookups it holds and ask no more. A call is
   * timed by itself (the same request found in call at checks `stallMs` apart), not by the thread's silence: the
   * thread holds its answers while it makes the next call (worker.ts), so a healthy thread can be silent for two
   * long hashes in a row.
   */
  private watchForStall(): void {
    if (this.stallTimer !== undefined) return;
    this.stallTimer = setTimeout(() => {
      this.stallTimer = undefined;
      const thread = this.thread;
      if (this.stopped || this.fallback !== undefined || this.waiting.size === 0 || !thread) {
        this.seen = { inCall: -1, since: 0 };
        return;
      }
      const now = Date.now();
      const inCall = Atomics.load(thread.shared, SHARED_IN_CALL);
      const asBefore = inCall === this.seen.inCall;
      if (!asBefore) this.seen = { inCall, since: now };
      if (inCall !== 0 && asBefore && now - this.seen.since >= this.stallMs) return this.leaveBehind(thread, inCall);
      // Between calls at two checks in a row, and silent for `stallMs` with lookups waiting: the thread itself is
      // broken, not a file. (Found between calls once, it may just have returned and be about to answer.)
      if (inCall === 0 && asBefore && now - this.heardAt >= this.stallMs) {
        this.release();
        return this.giveUp(`the file-lookup thread answered nothing for ${this.stallMs / 1000} s`);
      }
      this.watchForStall();
    }, this.stallMs / 4);
    this.stallTimer.unref();
  }

  /**
   * The thread is inside a call that has not returned for `stallMs` (a file of a network share whose server went
   * away). That lookup is answered with an error, the thread is left to end when the call returns, and the lookups
   * behind it go to a new thread. Asked again from the main thread, the same call would hold one of libuv's pool
   * threads, which the app's file writes share, for as long. Past MAX_LEFT_BEHIND such threads at once, lookups
   * are refused until one of them ends.
   */
  private leaveBehind(thread: LookupThread, inCall: number): void {
    this.release();
    this.leftBehind.add(thread);
    const stuck = this.waiting.get(inCall);
    this.waiting.delete(inCall);
    if (stuck) {
      const asked = { op: stuck.request.op, path: stuck.request.path };
      stuck.reject(
        new Error(
          `${WHAT[asked.op]} of ${asked.path} did not return within ${this.stallMs / 1000} s (a file on a network share that does not answer?)`,
        ),
      );
    }
    if (this.stillInCalls() >= MAX_LEFT_BEHIND) {
      const refused = [...this.waiting.values()];
      this.waiting.clear();
      this.outbox = [];
      for (const w of refused) w.reject(this.paused());
      return;
    }
    this.heardAt = Date.now();
    this.outbox = [...this.waiting.values()].map((w) => w.request);
    if (this.outbox.length > 0 && this.start()) this.flush();
  }

  /** Threads left behind that are still inside their call (one that returned ends soon and holds nothing). */
  private stillInCalls(): number {
    let n = 0;
    for (const thread of this.leftBehind) if (Atomics.load(thread.shared, SHARED_IN_CALL) !== 0) n++;
    return n;
  }

  private paused(): Error {
    return new Error(
      `file lookups paused: ${this.stillInCalls()} calls into Windows have not returned (files on a network share that does not answer?)`,
    );
  }

  private start(): boolean {
    if (this.thread) return true;
    try {
      const shared = new Int32Array(new SharedArrayBuffer(8));
      const worker = spawn(this.script, { ...(this.libraryPath ? { libraryPath: this.libraryPath } : {}), shared });
      const thread: LookupThread = { worker, shared, unanswered: new Map() };
      notEnded.add(thread);
      worker.unref();
      worker.on('message', (message: { answers: readonly LookupAnswer[] }) => {
        for (const a of message.answers) thread.unanswered.delete(a.id);
        // A thread left behind may still answer what it finished before its call hung: taken, since those requests
        // wait on the new thread too, but it says nothing of whether the new thread is alive.
        if (this.thread === thread) this.heardAt = Date.now();
        this.settle(message.answers);
      });
      // Only the thread in use falls back: one left behind ends when its call returns, as asked.
      worker.on('error', (e) => {
        if (this.thread === thread) this.giveUp(`the file-lookup thread failed: ${e.message}`);
      });
      worker.on('exit', (code) => {
        notEnded.delete(thread);
        this.leftBehind.delete(thread);
        if (this.thread === thread) this.giveUp(`the file-lookup thread ended (exit code ${code})`);
      });
      this.thread = thread;
      this.seen = { inCall: -1, since: 0 };
      return true;
    } catch (e) {
      this.giveUp(`the file-lookup thread could not start: ${e instanceof Error ? e.message : String(e)}`);
      return false;
    }
  }

  private settle(answers: readonly LookupAnswer[]): void {
    for (const a of answers) {
      const w = this.waiting.get(a.id);
      if (!w) continue;
      this.waiting.delete(a.id);
      if (a.error !== undefined) w.reject(new Error(a.error));
      else w.resolve(a.value);
    }
  }

  /** The thread is gone: what it had not answered, and everything after, is looked up from the main thread. */
  private giveUp(reason: string): void {
    if (this.stopped || this.fallback !== undefined) return;
    this.fallback = reason;
    this.thread = undefined;
    clearTimeout(this.stallTimer);
    this.onFallback?.(reason);
    const pending = [...this.waiting.values()];
    this.waiting.clear();
    this.outbox = [];
    for (const w of pending) this.onMainThread(w.request.op, w.request.path).then(w.resolve, w.reject);
  }

  private onMainThread(op: LookupOp, path: string): Promise<unknown> {
    const asked: Asked = { op, path, at: Date.now() };
    onMainInFlight.add(asked);
    return this.lookUpOnMainThread(op, path).finally(() => onMainInFlight.delete(asked));
  }

  private lookUpOnMainThread(op: LookupOp, path: string): Promise<unknown> {
    const options = this.libraryPath ? { libraryPath: this.libraryPath } : {};
    switch (op) {
      case 'realCase':
        return realCasePath(path, (this.files ??= loadFiles(options)));
      case 'signature':
        return verifyFileSignature(path, (this.trust ??= loadTrust(options)));
      case 'identity':
        return fileIdentity(path);
    }
  }
}
