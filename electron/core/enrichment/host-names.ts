// The names people recognise for remote addresses: the domain an app looked up, from the DNS client's own record of
// each query it answered (Microsoft-Windows-DNS-Client, event 3008: the name, its addresses and the process that
// asked). An answer names the next connections from that program to those addresses; an address nobody looked up
// keeps its reverse-DNS name, which is marked as such (it is usually a CDN's machine name, not what the app asked for).
import { isIP } from 'node:net';
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

interface Named {
  readonly name: string;
  readonly until: number;
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
   * How many of the remembered pairs each program has: most programs never looked anything up, and a row of theirs
   * is then named without building and hashing a key per endpoint (namesOf).
   */
  private readonly pairsOf = new Map<string, number>();
  private readonly ttlMs: number;
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
    const named = { name: answer.name.replace(/\.$/, ''), until: this.clock.now() + this.ttlMs };
    const program = answer.imagePath.toLowerCase();
    for (const address of answer.addresses) {
      const key = `${program}|${address.toLowerCase()}`;
      if (!this.byProgram.has(key)) this.pairsOf.set(program, (this.pairsOf.get(program) ?? 0) + 1);
      this.byProgram.set(key, named);
    }
  }

  /** The name `program` (its executable's path) looked up for `address`, while the answer is fresh. O(1). */
  nameOf(program: string | undefined, address: string): string | undefined {
    if (!program) return undefined;
    const named = this.byProgram.peek(`${program.toLowerCase()}|${address.toLowerCase()}`);
    return named && named.until > this.clock.now() ? named.name : undefined;
  }

  /**
   * Names for one program's endpoints, for a whole row: undefined when the program has no answer remembered (then
   * no endpoint of it has a name to look up). O(1), then O(1) per address.
   */
  namesOf(program: string | undefined): ((address: string) => string | undefined) | undefined {
    if (!program) return undefined;
    const lower = program.toLowerCase();
    if (!this.pairsOf.has(lower)) return undefined;
    const now = this.clock.now();
    return (address) => {
      const named = this.byProgram.peek(`${lower}|${address.toLowerCase()}`);
      return named && named.until > now ? named.name : undefined;
    };
  }

  private forget(key: string): void {
    const program = key.slice(0, key.lastIndexOf('|'));
    const left = (this.pairsOf.get(program) ?? 1) - 1;
    if (left > 0) this.pairsOf.set(program, left);
    else this.pairsOf.delete(program);
  }
}
