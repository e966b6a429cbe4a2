// Reverse DNS names for remote addresses, looked up off the event path: a request only queues the address; a small
// pool of lookups runs with a timeout; answers (and failures) are cached in a bounded LRU. A resolver that hangs or
// fails delays nothing but its own answer.
//
// Each lookup is a PTR query to the user's DNS server. Under an inbound scan every probing address is a new
// endpoint, and a local resolver answers in a millisecond, so the pool alone would let the firewall send hundreds of
// queries a second: DNS traffic the scan caused, each query telling the resolver's operator another address that
// probed this PC, and the answers' work on the event loop. So new lookups start from a budget: 20 a second, and up
// to 100 at once after a quiet spell (a browser starting names its first hosts at once); an address asked for beyond
// it stays unnamed until its app uses it again (EndpointSet asks again, ever more rarely, while an endpoint stays in
// use), which a scanner probing once never does.
import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { ReverseName } from '../apps/endpoint-names';
import { LruMap } from '../util/bounded';
import { RateBudget } from '../util/rate-budget';
import type { Clock, Timers } from '../util/runtime';
import { WorkQueue } from '../util/work-queue';

export interface ReverseResolver {
  reverse(address: string): Promise<string[]>;
}

export function systemResolver(timeoutMs = 2_000): ReverseResolver {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  return { reverse: (address) => resolver.reverse(address) };
}

export interface ReverseDnsOptions {
  readonly timeoutMs?: number;
  readonly cacheSize?: number;
  readonly maxQueued?: number;
  readonly concurrency?: number;
  /** How long an answer (or a failure) is trusted. */
  readonly ttlMs?: number;
  /** Lookups started a second at most, sustained (default 20); five times that at once after a quiet spell. */
  readonly perSecond?: number;
}

/** A cached answer (or failure); marked stale once the cache no longer holds it, so that rows name it again. */
interface CacheEntry extends ReverseName {
  stale: boolean;
}

function markStale(_address: string, entry: CacheEntry): void {
  entry.stale = true;
}

function noAnswer(): CacheEntry {
  return { source: 'reverse', name: undefined, expires: Infinity, stale: false };
}

export class ReverseDns {
  private readonly cache: LruMap<string, CacheEntry>;
  /**
   * The stand-in for "no answer" handed to rows (answerOf): one for all addresses without a current answer, replaced
   * (the old one marked stale) whenever an answer arrives, so that those rows look again then and only then.
   */
  private none: CacheEntry = noAnswer();
  private readonly waiting = new Map<string, Set<string>>();
  private readonly work: WorkQueue<string>;
  private readonly timeoutMs: number;
  private readonly ttlMs: number;
  private readonly budget: RateBudget;

  constructor(
    private readonly resolver: ReverseResolver,
    private readonly clock: Clock,
    private readonly timers: Timers,
    private readonly onResolved: (address: string, name: string, appKeys: ReadonlySet<string>) => void,
    options: ReverseDnsOptions = {},
  ) {
    this.cache = new LruMap(options.cacheSize ?? 4_096, markStale);
    this.timeoutMs = options.timeoutMs ?? 2_000;
    this.work = new WorkQueue(timers, clock, (address) => this.lookup(address), {
      maxQueued: options.maxQueued ?? 256,
      concurrency: options.concurrency ?? 4,
    });
    this.ttlMs = options.ttlMs ?? 3_600_000;
    const perSecond = options.perSecond ?? 20;
    this.budget = new RateBudget(perSecond, 5 * perSecond, clock.now());
  }

  /** The cached name, if any. Never waits. */
  nameOf(address: string): string | undefined {
    const entry = this.cache.peek(address);
    return entry && entry.expires > this.clock.now() ? entry.name : undefined;
  }

  /**
   * What the cache says of `address` now, for naming rows (apps/endpoint-names.ts): its answer while it holds (it
   * turns stale when replaced or forgotten to make room), or the stand-in for "no answer", which turns stale when
   * any answer arrives. Never waits; O(1).
   */
  answerOf(address: string): ReverseName {
    const entry = this.cache.peek(address);
    return entry !== undefined && entry.expires > this.clock.now() ? entry : this.none;
  }

  /**
   * Asks for a name for `address` on behalf of `appKey`. O(1); drops the request when the queue is full or the
   * second's lookups are spent.
   */
  request(address: string, appKey: string): void {
    if (this.work.isStopped) return;
    // The cache first: a known address (the usual case, once per event) skips the address checks.
    const now = this.clock.now();
    const cached = this.cache.peek(address);
    if (cached && cached.expires > now) return;
    // An address already waiting was worth looking up; with the queue full nothing more is asked for: both before
    // the address checks (a flood of new endpoints fills the queue and would check every one of them for nothing).
    const waiting = this.waiting.get(address);
    if (waiting) {
      if (waiting.size < 64) waiting.add(appKey);
      return;
    }
    if (this.work.full || this.budget.refill(now) < 1 || !worthLookingUp(address)) return;
    this.budget.spend(1);
    this.waiting.set(address, new Set([appKey]));
    this.work.push(address);
  }

  get pending(): number {
    return this.work.pending;
  }

  stop(): void {
    this.work.stop();
    this.waiting.clear();
  }

  private async lookup(address: string): Promise<void> {
    let name: string | undefined;
    try {
      name = (await this.withTimeout(this.resolver.reverse(address)))[0];
    } catch {
      name = undefined;
    }
    if (this.work.isStopped) return;
    // Whoever read the earlier answer, or that there was none, reads this one with the next batch.
    const before = this.cache.peek(address);
    if (before !== undefined) before.stale = true;
    this.none.stale = true;
    this.none = noAnswer();
    const expires = this.clock.now() + (name ? this.ttlMs : this.ttlMs / 6);
    this.cache.set(address, { source: 'reverse', name, expires, stale: false });
    const apps = this.waiting.get(address) ?? new Set<string>();
    this.waiting.delete(address);
    if (name) this.onResolved(address, name, apps);
  }

  private withTimeout<T>(promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const handle = this.timers.setTimeout(() => reject(new Error('reverse lookup timed out')), this.timeoutMs);
      promise.then(
        (value) => {
          this.timers.clearTimeout(handle);
          resolve(value);
        },
        (error: unknown) => {
          this.timers.clearTimeout(handle);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }
}

function worthLookingUp(address: string): boolean {
  if (isIP(address) === 0) return false;
  if (address.startsWith('127.') || address === '::1' || address === '0.0.0.0' || address === '::') return false;
  if (/^(22[4-9]|23\d|255)\./.test(address) || address.toLowerCase().startsWith('ff')) return false;
  return true;
}
