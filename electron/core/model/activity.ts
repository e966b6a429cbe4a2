// One entry of the activity log: a connection attempt and what became of it.
import type { BlockedBy } from './apps';

export interface ActivityEntry {
  readonly seq: number;
  readonly time: number;
  readonly appKey: string;
  readonly appName: string;
  readonly verdict: 'blocked' | 'allowed' | 'other';
  readonly direction?: 'out' | 'in' | 'forward';
  readonly protocol?: number;
  readonly remoteAddress?: string;
  readonly remotePort?: number;
  readonly localPort?: number;
  readonly blockedBy?: BlockedBy;
  readonly filterName?: string;
}
