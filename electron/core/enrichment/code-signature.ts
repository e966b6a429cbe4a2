// Publishers of the apps' executables, checked off the event path: a request only queues the path (O(1)); the checks
// start in rounds (WinVerifyTrust reads and hashes the whole file, on the backend's file-lookup thread); answers are
// cached per path together with the file's identity (size, modification time, file id). A path seen again after
// `recheckMs` is looked at again: when its identity changed (an update, a tampered file) it is checked again, so a
// file changed after signing is reported as such.
import { fileIdentity } from '../../../native/files/identity';
import type { AppPublisher } from '../model';
import { LruMap } from '../util/bounded';
import { isNetworkOrDevicePath } from '../util/network-paths';
import type { Clock, Timers } from '../util/runtime';
import { WorkQueue } from '../util/work-queue';
import { describePublisher, type SignatureCheck } from './publisher-label';

export interface SignatureSource {
  verify(path: string): Promise<SignatureCheck>;
}

/** Something that changes whenever the file's content may have changed; undefined when the file cannot be read. */
export type FileIdentityProbe = (path: string) => Promise<string | undefined>;

export interface CodeSignatureOptions {
  readonly cacheSize?: number;
  readonly maxQueued?: number;
  readonly concurrency?: number;
  /** How long a check is trusted before the file's identity is looked at again. */
  readonly recheckMs?: number;
  /**
   * Least time between two rounds of checks, each starting `concurrency` checks together. A check hashes the whole
   * executable (hundreds of ms of CPU for a big one), so a flood of new apps is worked through in the background,
   * at most concurrency / roundMs checks a second, instead of taking the CPU from the event path and the window.
   */
  readonly roundMs?: number;
}

interface Entry {
  identity: string | undefined;
  publisher: AppPublisher | undefined;
  checkedAt: number;
  queued: boolean;
  readonly apps: Set<string>;
}

export class CodeSignatures {
  private readonly cache: LruMap<string, Entry>;
  private readonly work: WorkQueue<string>;
  private readonly recheckMs: number;
  /** Checks run and how long they took in total (ms), for the benchmark and the status line. */
  checks = 0;
  checkMs = 0;

  constructor(
    private readonly source: SignatureSource,
    private readonly clock: Clock,
    timers: Timers,
    private readonly onChanged: (path: string, publisher: AppPublisher, appKeys: ReadonlySet<string>) => void,
    private readonly probe: FileIdentityProbe = fileIdentity,
    options: CodeSignatureOptions = {},
  ) {
    this.cache = new LruMap(options.cacheSize ?? 4_096);
    this.recheckMs = options.recheckMs ?? 60_000;
    this.work = new WorkQueue(timers, clock, (path) => this.check(path), {
      maxQueued: options.maxQueued ?? 512,
      concurrency: options.concurrency ?? 4,
      roundMs: options.roundMs ?? 200,
    });
  }

  /** The publisher last found for `path`, if checked. Never waits. */
  publisherOf(path: string): AppPublisher | undefined {
    return this.cache.peek(path.toLowerCase())?.publisher;
  }

  /**
   * Asks for `path`'s publisher on behalf of `appKey`. O(1); drops the request when the queue is full. Returns how
   * long (ms) asking again would change nothing: until the check is due again; 0 while one waits or was refused.
   */
  request(path: string, appKey: string): number {
    if (this.work.isStopped) return Infinity;
    if (isNetworkOrDevicePath(path)) return this.onNetworkShare(path, appKey);
    if (!/^[a-z]:\\/i.test(path)) return Infinity;
    const key = path.toLowerCase();
    let entry = this.cache.peek(key);
    if (entry) {
      if (entry.apps.size < 16) entry.apps.add(appKey);
      if (entry.queued) return 0;
      const due = entry.checkedAt + this.recheckMs - this.clock.now();
      if (due > 0) return due;
    } else {
      entry = { identity: undefined, publisher: undefined, checkedAt: 0, queued: false, apps: new Set([appKey]) };
    }
    if (this.work.full) return 0;
    entry.queued = true;
    this.cache.set(key, entry);
    this.work.push(path);
    return 0;
  }

  /**
   * A program on a network share is not opened: reading it would make this elevated process connect, and
   * authenticate with the user's credentials, to whatever server a program of the user named (a share path, or a
   * WebDAV one on a local port), and a server that stops answering holds the call. The row says so instead.
   */
  private onNetworkShare(path: string, appKey: string): number {
    const key = path.toLowerCase();
    if (this.cache.peek(key)) return Infinity;
    const publisher = describePublisher(path, { verdict: 'unreadable', symbol: NETWORK_SHARE });
    this.cache.set(key, {
      identity: undefined,
      publisher,
      checkedAt: this.clock.now(),
      queued: false,
      apps: new Set([appKey]),
    });
    return Infinity;
  }

  get pending(): number {
    return this.work.pending;
  }

  stop(): void {
    this.work.stop();
  }

  private async check(path: string): Promise<void> {
    const key = path.toLowerCase();
    let identity: string | undefined;
    // A lookup that fails (its call did not return, lookups paused) is a check that failed: shown as not checked,
    // and checked again when due like any other, never left waiting for good.
    let failed: SignatureCheck | undefined;
    try {
      identity = await this.probe(path);
    } catch (e) {
      failed = notChecked(e);
    }
    const entry = this.cache.peek(key);
    if (this.work.isStopped || !entry) return;
    // Unchanged since its check: the same size, time and file id, or still no file to read (a program deleted while
    // it runs, a path WFP names that is gone); a file that appears there is checked.
    if (!failed && entry.publisher && identity === entry.identity) {
      entry.checkedAt = this.clock.now();
      entry.queued = false;
      return;
    }
    let check: SignatureCheck;
    if (failed) check = failed;
    else {
      const started = performance.now();
      try {
        check = await this.source.verify(path);
      } catch (e) {
        check = notChecked(e);
      }
      this.checks++;
      this.checkMs += performance.now() - started;
    }
    if (this.work.isStopped) return;
    const publisher = describePublisher(path, check);
    const changed = JSON.stringify(publisher) !== JSON.stringify(entry.publisher);
    entry.identity = identity;
    entry.publisher = publisher;
    entry.checkedAt = this.clock.now();
    entry.queued = false;
    // A file that could not be read has nothing to show in a row: its app is not republished for it (the detail
    // panel still says why when it is next drawn).
    if (changed && publisher.status !== 'unreadable') this.onChanged(path, publisher, entry.apps);
  }
}

function notChecked(error: unknown): SignatureCheck {
  return { verdict: 'unreadable', symbol: error instanceof Error ? error.message : String(error) };
}

const NETWORK_SHARE = 'on a network share, which Portcullis does not open';
