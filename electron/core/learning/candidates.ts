// In Learning every application that connects becomes a candidate: the allow rule it would need, with what it
// contacted. The user commits all or some of them. Bounded per app and in total.
import type { AppIdentity, AppPublisher, LearningCandidate } from '../model';
import { LruMap } from '../util/bounded';
import { EndpointSet } from '../apps/app-record';
import { isUserWritable } from '../decisions/app-source';

/**
 * Remote ports most software uses (web, mail, DNS, time, chat and calls, remote access, common alternates). A
 * connection to any other port is shown as a reason to look before allowing (4444 is Metasploit's default).
 */
const USUAL_PORTS = new Set([
  20, 21, 22, 25, 53, 67, 68, 80, 88, 110, 123, 135, 143, 389, 443, 445, 465, 546, 547, 587, 636, 853, 993, 995, 1194,
  1900, 3389, 3478, 3479, 3480, 3481, 5222, 5223, 5228, 5353, 5355, 8080, 8443, 19302,
]);

const MAX_ENDPOINTS = 16;

interface Candidate {
  readonly app: AppIdentity;
  readonly firstSeen: number;
  lastSeen: number;
  connections: number;
  inbound: boolean;
  outbound: boolean;
  readonly endpoints: EndpointSet;
}

export interface Connection {
  readonly time: number;
  readonly direction?: 'out' | 'in' | 'forward';
  readonly remoteAddress?: string;
  readonly remotePort?: number;
  readonly protocol?: number;
}

export type CandidateMemo = { readonly __candidate: unique symbol };

/** The app's code signature as far as it is known yet (checked off the event path, so at first it may not be). */
export type PublisherLookup = (path: string) => AppPublisher | undefined;

export class LearningCandidates {
  private readonly candidates: LruMap<string, Candidate>;
  private readonly dirty = new Set<string>();
  private readonly removed = new Set<string>();

  private readonly toPlain = (c: Candidate): LearningCandidate => toPlain(c, this.publisherOf);

  constructor(
    maxCandidates = 10_000,
    private readonly publisherOf: PublisherLookup = () => undefined,
  ) {
    this.candidates = new LruMap(maxCandidates, (key) => {
      this.dirty.delete(key);
      this.removed.add(key);
    });
  }

  get size(): number {
    return this.candidates.size;
  }

  /** O(1). */
  observe(app: AppIdentity, c: Connection): void {
    let candidate = this.candidates.get(app.key);
    if (!candidate) {
      candidate = {
        app,
        firstSeen: c.time,
        lastSeen: c.time,
        connections: 0,
        inbound: false,
        outbound: false,
        endpoints: new EndpointSet(MAX_ENDPOINTS),
      };
      this.candidates.set(app.key, candidate);
      this.removed.delete(app.key);
    }
    candidate.connections++;
    candidate.lastSeen = c.time;
    if (c.direction === 'in') candidate.inbound = true;
    else candidate.outbound = true;
    if (c.remoteAddress !== undefined) {
      candidate.endpoints.record(c.remoteAddress, c.remotePort, c.protocol, c.time);
    }
    this.dirty.add(app.key);
  }

  get(key: string): LearningCandidate | undefined {
    const c = this.candidates.peek(key);
    return c ? this.toPlain(c) : undefined;
  }

  all(): LearningCandidate[] {
    return [...this.candidates.values()].map(this.toPlain);
  }

  keys(): string[] {
    return [...this.candidates.keys()];
  }

  /** The candidate as it is now, to hand back to restore() after it was committed or discarded (undo). */
  memo(key: string): CandidateMemo | undefined {
    return this.candidates.peek(key) as unknown as CandidateMemo | undefined;
  }

  /** Puts a taken candidate back unchanged; false when the app became a candidate again meanwhile. */
  restore(memo: CandidateMemo): boolean {
    const c = memo as unknown as Candidate;
    if (this.candidates.has(c.app.key)) return false;
    this.candidates.set(c.app.key, c);
    this.removed.delete(c.app.key);
    this.dirty.add(c.app.key);
    return true;
  }

  /**
   * Removes and returns the candidates with these keys (unknown keys are skipped). 'all' means every candidate
   * without a risk: a risky one is committed only when chosen by name.
   */
  take(keys: readonly string[] | 'all'): LearningCandidate[] {
    const wanted = keys === 'all' ? this.keys().filter((k) => this.get(k)?.risks.length === 0) : keys;
    const out: LearningCandidate[] = [];
    for (const key of wanted) {
      const c = this.candidates.peek(key);
      if (!c) continue;
      out.push(this.toPlain(c));
      this.candidates.delete(key);
      this.dirty.delete(key);
      this.removed.add(key);
    }
    return out;
  }

  takeChanges(): { changed: LearningCandidate[]; removed: string[] } {
    const changed: LearningCandidate[] = [];
    for (const key of this.dirty) {
      const c = this.candidates.peek(key);
      if (c) changed.push(this.toPlain(c));
    }
    const removed = [...this.removed];
    this.dirty.clear();
    this.removed.clear();
    return { changed, removed };
  }
}

/** Why a proposal deserves a look before it is allowed; empty when nothing stands out. */
export function risksOf(
  app: AppIdentity,
  inbound: boolean,
  endpoints: readonly { readonly port?: number }[],
  publisher?: AppPublisher,
): string[] {
  const risks: string[] = [];
  if (isUserWritable(app)) risks.push('Runs from a folder any user can write to');
  // The signature as WinVerifyTrust reported it: an unsigned program, or one changed after it was signed, is not
  // committed with the rest. A program whose check has not finished yet carries no such risk until it has.
  // (publisher.risk already says when a signed file was changed, or when a well-known name is not what it claims.)
  if (publisher?.status === 'unsigned') risks.push('Not signed');
  else if (publisher?.status === 'untrusted') risks.push('Signed by a publisher Windows does not trust');
  if (publisher?.risk) risks.push(publisher.risk);
  const unusual = [...new Set(endpoints.map((e) => e.port).filter((p) => p !== undefined && !USUAL_PORTS.has(p)))];
  if (unusual.length > 0)
    risks.push(`Unusual port${unusual.length === 1 ? '' : 's'}: ${unusual.slice(0, 3).join(', ')}`);
  if (inbound) risks.push('Accepts connections from other computers');
  return risks;
}

function toPlain(c: Candidate, publisherOf: PublisherLookup): LearningCandidate {
  const direction = c.inbound && c.outbound ? 'both' : c.inbound ? 'in' : 'out';
  const endpoints = c.endpoints.newestFirst();
  return {
    app: c.app,
    firstSeen: c.firstSeen,
    lastSeen: c.lastSeen,
    connections: c.connections,
    endpoints,
    risks: risksOf(c.app, c.inbound, endpoints, c.app.path !== undefined ? publisherOf(c.app.path) : undefined),
    proposed: {
      app: c.app,
      action: 'allow',
      direction,
      duration: { kind: 'forever' },
      source: 'learning',
      note: `Learned from ${c.connections} connection${c.connections === 1 ? '' : 's'}`,
    },
  };
}
