// In Learning every application that connects becomes a candidate: the allow rule it would need, with what it
// contacted. The user commits all or some of them. Bounded per app and in total.
import type { AppIdentity, LearningCandidate } from '../model';
import { LruMap } from '../util/bounded';
import { EndpointSet, endpointsNewestFirst, recordEndpoint } from '../apps/app-record';

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

export class LearningCandidates {
  private readonly candidates: LruMap<string, Candidate>;
  private readonly dirty = new Set<string>();
  private readonly removed = new Set<string>();

  constructor(maxCandidates = 10_000) {
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
      recordEndpoint(candidate.endpoints, c.remoteAddress, c.remotePort, c.protocol, c.time);
    }
    this.dirty.add(app.key);
  }

  get(key: string): LearningCandidate | undefined {
    const c = this.candidates.peek(key);
    return c ? toPlain(c) : undefined;
  }

  all(): LearningCandidate[] {
    return [...this.candidates.values()].map(toPlain);
  }

  keys(): string[] {
    return [...this.candidates.keys()];
  }

  /** Removes and returns the candidates with these keys (unknown keys are skipped). */
  take(keys: readonly string[] | 'all'): LearningCandidate[] {
    const wanted = keys === 'all' ? this.keys() : keys;
    const out: LearningCandidate[] = [];
    for (const key of wanted) {
      const c = this.candidates.peek(key);
      if (!c) continue;
      out.push(toPlain(c));
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
      if (c) changed.push(toPlain(c));
    }
    const removed = [...this.removed];
    this.dirty.clear();
    this.removed.clear();
    return { changed, removed };
  }
}

function toPlain(c: Candidate): LearningCandidate {
  const direction = c.inbound && c.outbound ? 'both' : c.inbound ? 'in' : 'out';
  return {
    app: c.app,
    firstSeen: c.firstSeen,
    lastSeen: c.lastSeen,
    connections: c.connections,
    endpoints: endpointsNewestFirst(c.endpoints, () => undefined),
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
