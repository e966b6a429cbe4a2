// An exclusive lock between processes (the app and the `portcullis` command) around read-merge-write of one
// document. The lock is a file created with O_CREAT|O_EXCL ('wx'), which is atomic on NTFS and on POSIX file
// systems alike; it holds the owner's pid, a nonce and the time. A lock whose owner is gone (its pid no longer
// runs) or that is older than any save could take is stale and is broken, under a second short-lived lock so
// that two processes breaking it at once cannot delete a fresh lock by mistake.
//
// A save holds the lock for milliseconds (a large document's bytes go to disk off the main thread meanwhile, in the
// owner's process), so waiting is synchronous: Atomics.wait sleeps without spinning.
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';

export interface FileLockOptions {
  /** Give up after waiting this long for another process's lock (it is then reported as an error). */
  readonly timeoutMs?: number;
  /** A lock held longer than this is stale whatever its pid says (pids are reused). */
  readonly staleMs?: number;
}

export const DEFAULT_LOCK_OPTIONS: Required<FileLockOptions> = { timeoutMs: 10_000, staleMs: 30_000 };

export class LockTimeoutError extends Error {
  override readonly name = 'LockTimeoutError';
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** Whether a process with this id runs now (signal 0 checks without signalling; EPERM means it runs as another user). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface Holder {
  readonly pid: number;
  readonly nonce: string;
  readonly time: number;
}

function readHolder(path: string): { holder: Holder | undefined; text: string; mtimeMs: number } | undefined {
  try {
    const mtimeMs = statSync(path).mtimeMs;
    const text = readFileSync(path, 'utf8');
    let holder: Holder | undefined;
    try {
      const parsed = JSON.parse(text) as Partial<Holder>;
      if (typeof parsed.pid === 'number' && typeof parsed.nonce === 'string' && typeof parsed.time === 'number') {
        holder = parsed as Holder;
      }
    } catch {
      holder = undefined; // being written right now, or torn by a crash: judged by its age
    }
    return { holder, text, mtimeMs };
  } catch {
    return undefined; // released meanwhile
  }
}

function tryCreate(path: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

export class FileLock {
  private readonly options: Required<FileLockOptions>;
  private held: string | undefined;
  private depth = 0;

  constructor(
    readonly path: string,
    options: FileLockOptions = {},
  ) {
    this.options = { ...DEFAULT_LOCK_OPTIONS, ...options };
  }

  /** Runs `work` holding the lock; re-entrant within this process. */
  run<T>(work: () => T): T {
    if (this.depth > 0) {
      this.depth++;
      try {
        return work();
      } finally {
        this.depth--;
      }
    }
    this.acquire();
    this.depth = 1;
    try {
      return work();
    } finally {
      this.depth = 0;
      this.release();
    }
  }

  /**
   * run() for work that awaits (a large document written off the main thread): the lock is held until `work`
   * settles, so other processes still wait for the whole read-merge-write. Within this process, what runs meanwhile
   * and takes the lock enters as re-entrant, as in run(): a document's owner queues its own writes one after
   * another (JsonFile refuses a second write while one is in flight), so what can run meanwhile only reads.
   */
  async runAsync<T>(work: () => Promise<T>): Promise<T> {
    if (this.depth > 0) {
      this.depth++;
      try {
        return await work();
      } finally {
        // The outer holder may have settled first and released (depth 0): nothing of ours to count down then.
        if (this.depth > 0) this.depth--;
      }
    }
    this.acquire();
    this.depth = 1;
    try {
      return await work();
    } finally {
      this.depth = 0;
      this.release();
    }
  }

  private acquire(): void {
    const text = JSON.stringify({ pid: process.pid, nonce: randomBytes(8).toString('hex'), time: Date.now() });
    const deadline = Date.now() + this.options.timeoutMs;
    let wait = 1;
    for (;;) {
      if (tryCreate(this.path, text)) {
        this.held = text;
        return;
      }
      this.breakIfStale();
      if (Date.now() > deadline) {
        const holder = readHolder(this.path)?.holder;
        throw new LockTimeoutError(
          `${this.path} is held by process ${holder?.pid ?? 'unknown'} for more than ${this.options.timeoutMs} ms. ` +
            'Close the other Portcullis window or command and try again.',
        );
      }
      sleep(wait);
      wait = Math.min(wait * 2, 20);
    }
  }

  private release(): void {
    // Only our own lock is removed: if it was broken as stale and taken by another process, that one stays.
    const now = readHolder(this.path);
    if (now && now.text === this.held) unlinkQuietly(this.path);
    this.held = undefined;
  }

  private isStale(found: { holder: Holder | undefined; mtimeMs: number }): boolean {
    const age = Date.now() - (found.holder?.time ?? found.mtimeMs);
    if (age > this.options.staleMs) return true;
    if (found.holder === undefined) return Date.now() - found.mtimeMs > 1_000;
    return !processAlive(found.holder.pid);
  }

  private breakIfStale(): void {
    const found = readHolder(this.path);
    if (!found || !this.isStale(found)) return;
    const breaker = `${this.path}.break`;
    const mine = JSON.stringify({ pid: process.pid, nonce: randomBytes(8).toString('hex'), time: Date.now() });
    if (!tryCreate(breaker, mine)) {
      // Someone else is breaking it; a breaker left by a dead process is itself stale after a moment.
      const other = readHolder(breaker);
      if (other && (Date.now() - other.mtimeMs > 2_000 || (other.holder && !processAlive(other.holder.pid)))) {
        unlinkQuietly(breaker);
      }
      return;
    }
    try {
      // Still the same stale lock (not one created since we looked): remove it.
      const again = readHolder(this.path);
      if (again && again.text === found.text && this.isStale(again)) unlinkQuietly(this.path);
    } finally {
      unlinkQuietly(breaker);
    }
  }
}
