// One entry of the activity log: a connection attempt and what became of it.
import type { BlockedBy } from './apps';

/** Where an attempt went, as the log, an app's record and the decision inbox each take it from the event. */
export interface AttemptTarget {
  readonly direction?: 'out' | 'in' | 'forward';
  readonly protocol?: number;
  readonly remoteAddress?: string;
  readonly remotePort?: number;
  /** This computer's port: for an inbound attempt, the port the sender tried to reach. */
  readonly localPort?: number;
}

export interface ActivityEntry extends AttemptTarget {
  readonly seq: number;
  readonly time: number;
  readonly appKey: string;
  readonly appName: string;
  readonly verdict: 'blocked' | 'allowed' | 'other';
  readonly blockedBy?: BlockedBy;
  readonly filterName?: string;
}
