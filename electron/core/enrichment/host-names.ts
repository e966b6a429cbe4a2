// The names people recognise for remote addresses: the domain an app looked up, from the DNS client's own record of
// each query it answered (Microsoft-Windows-DNS-Client, event 3008: the name, its addresses and the process that
// asked). An answer names the next connections from that program to those addresses; an address nobody looked up
// keeps its reverse-DNS name, which is marked as such (it is usually a CDN's machine name, not what the app asked for).
import { isIP } from 'node:net';
import type { EndpointNaming, LookedUpName } from '../apps/endpoint-names';
import { LruMap } from '../util/bounded';
import type { Clock } from '../util/runtime';

/** One completed DNS query as the DNS client reported it. */
export interface DnsAnswer {
  readonly time: number;
  readonly processId: number;
  /** The executable of that process (DOS path), when it could be found; the join needs it. */
  readonly imagePath?: string;
  readonly name: string;
  /** The addresses in the answer (A and AAAA records; CNAME steps are not addresses). */
  readonly addresses: readonly string[];
}

export interface HostName {
  readonly name: string;
  /** dns: the app looked this name up; reverse: the address's PTR record, a fallback. */
  readonly source: 'dns' | 'reverse';
}

export interface HostNamesOptions {
  /** (program, address) pairs remembered. */
  readonly size?: number;
  /** How long an answer names connections; DNS records rarely live longer than this. */
  readonly ttlMs?: number;
}

type Named = LookedUpName;

/** How many of the remembered pairs a program has, and the last change to them (a number that only grows). */
interface ProgramAnswers {
  pairs: number;
  version: number;
}

/** QueryResults as the DNS client writes it: "type:  5 edge.example.net;::ffff:203.0.113.10;2001:db8::10;". */
export function addressesOfQueryResults(results: string): string[] {
  const out: string[] = [];
  for (const raw of results.split(';')) {
    const item = raw.trim();
    if (!item || item.startsWith('type:')) continue;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(item);
    const address = mapped ? (mapped[1] as string) : item;
    if (isIP(address) !== 0) out.push(address.toLowerCase());
  }
  return out;
}

export class HostNames {
  private readonly byProgram: LruMap<string, Named>;
  /**
   * Each program's remembered pairs: most programs never looked anything up, and a row of theirs is then named
   * without building and hashing a key per endpoint; and when its names last changed (answersFor).
   */
  private readonly programs = new Map<string, ProgramAnswers>();
  private readonly ttlMs: number;
  private changes = 0;
  answers = 0;

  constructor(
    private readonly clock: Clock,
    options: HostNamesOptions = {},
  ) {
    this.byProgram = new LruMap(options.size ?? 16_384, (key) => this.forget(key));
    this.ttlMs = options.ttlMs ?? 6 * 3_600_000;
  }

  /** Takes in one answer. O(number of addresses). */
  add(answer: DnsAnswer): void {
    // An answer whose program could not be named joins nothing: another program's connection to the same address
    // (CDN addresses serve many sites) must not take its name.
    if (!answer.name || answer.addresses.length === 0 || !answer.imagePath) return;
    this.answers++;
    const named: Named = { source: 'dns', name: answer.name.replace(/\.$/, ''), until: this.clock.now() + this.ttlMs };
    const program = answer.imagePath.toLowerCase();
    for (const address of answer.addresses) {
      const key = `${program}|${address.toLowerCase()}`;
      if (!this.byProgram.has(key)) {
        const known = this.programs.get(program);
        if (known) known.pairs++;
        else this.programs.set(program, { pairs: 1, version: 0 });
      }
      this.byProgram.set(key, named);
    }
    const changed = this.programs.get(program);
    if (changed) changed.version = ++this.changes;
  }

  /** The name `program` (its executable's path) looked up for `address`, while the answer is fresh. O(1). */
  nameOf(program: string | undefined, address: string): string | undefined {
    if (!program) return undefined;
    const named = this.byProgram.peek(`${program.toLowerCase()}|${address.toLowerCase()}`);
    return named && named.until > this.clock.now() ? named.name : undefined;
  }

  /**
   * The answers `program` looked up, by address, each with its end, and when they last changed (rows name their
   * endpoints with them, apps/endpoint-names.ts): no lookup when it has none remembered. O(1), then O(1) per address.
   */
  answersFor(program: string | undefined, into: Pick<EndpointNaming, 'lookedUp' | 'lookedUpVersion'>): void {
    const lower = program?.toLowerCase();
    const known = lower === undefined ? undefined : this.programs.get(lower);
    into.lookedUp = known ? (address) => this.byProgram.peek(`${lower}|${address.toLowerCase()}`) : undefined;
    into.lookedUpVersion = known?.version ?? 0;
  }

  private forget(key: string): void {
    const program = key.slice(0, key.lastIndexOf('|'));
    const known = this.programs.get(program);
    if (known === undefined) return;
    known.version = ++this.changes;
    if (--known.pairs <= 0) this.programs.delete(program);
  }
}
