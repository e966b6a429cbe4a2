// The most recent distinct remote endpoints of one app (or decision, or candidate), at most `capacity` (16-32).
// Looked up by the address string the event already carries (no key string built per event), then along the few
// entries of that address for the port and protocol; a repeat updates in place without touching the map. The
// least recently seen endpoint makes room for a new one. Constant work per event.
import type { Endpoint } from '../model';
import { RecencyList } from '../util/recency-list';
import { basisOf, holds, type EndpointNaming, type NameBasis } from './endpoint-names';

export interface MutableEndpoint {
  address: string;
  port: number | undefined;
  protocol: number | undefined;
  /** Inbound: `port` is this computer's port, `address` the sender's. */
  inbound: boolean;
  count: number;
  lastSeen: number;
  /** The address's number in the activity log when last logged (a hint: the log checks it). */
  logId: number;
  /**
   * Where the app's last row that carried its endpoint list put this one (facade/endpoint-rows.ts): its position
   * times two, plus one when its name there was a reverse-DNS name; -1 when no row listed it yet. Lets a later row
   * send only the order while the list and its names are unchanged.
   */
  rowSlot: number;
  /** The host name that row gave it. */
  rowName: string | undefined;
  /** What its name rests on, as last named (EndpointSet.refreshNames); undefined before. */
  nameBasis: NameBasis | undefined;
  /** The next entry with the same address. */
  next: MutableEndpoint | undefined;
  /** Recency list: a touch moves two pointers. */
  older: MutableEndpoint | undefined;
  newer: MutableEndpoint | undefined;
}

export class EndpointSet {
  private readonly byAddress = new Map<string, MutableEndpoint>();
  private readonly recency = new RecencyList<MutableEndpoint>();
  private count = 0;
  /** The version of the program's looked-up names its endpoints were last named with (endpoint-names.ts). */
  private namedVersion = -1;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.count;
  }

  /** The address of the endpoint recorded last, as the set keeps it (the first string seen for it). */
  get lastAddress(): string | undefined {
    return this.recency.newest?.address;
  }

  /** The endpoint recorded last. */
  get last(): MutableEndpoint | undefined {
    return this.recency.newest;
  }

  /**
   * Counts attempts; true when the endpoint was not in the set, or its count just reached a power of two: the
   * moments to ask for its name (a cached answer makes that cheap; a name that expired is asked for again, ever
   * more rarely), instead of on every attempt.
   */
  record(
    address: string,
    port: number | undefined,
    protocol: number | undefined,
    time: number,
    count = 1,
    inbound = false,
  ): boolean {
    let hit = this.recency.newest;
    if (
      hit === undefined ||
      hit.port !== port ||
      hit.protocol !== protocol ||
      hit.address !== address ||
      hit.inbound !== inbound
    ) {
      hit = this.byAddress.get(address);
      while (hit !== undefined && (hit.port !== port || hit.protocol !== protocol || hit.inbound !== inbound))
        hit = hit.next;
    }
    if (hit) {
      const before = hit.count;
      hit.count += count;
      hit.lastSeen = time;
      this.recency.touch(hit);
      // A power of two passed (or reached) since the last count.
      return 31 - Math.clz32(hit.count) > 31 - Math.clz32(before);
    }
    if (this.count >= this.capacity && this.recency.oldest) this.remove(this.recency.oldest);
    const fresh: MutableEndpoint = {
      address,
      port,
      protocol,
      inbound,
      count,
      lastSeen: time,
      logId: 0,
      rowSlot: -1,
      rowName: undefined,
      nameBasis: undefined,
      next: this.byAddress.get(address),
      older: undefined,
      newer: undefined,
    };
    this.byAddress.set(address, fresh);
    this.recency.append(fresh);
    this.count++;
    return true;
  }

  /**
   * Brings every endpoint's name up to date (endpoint-names.ts): names again those whose answer ran out or went
   * stale, or all of them when the program's looked-up names changed. The endpoints of one set are always named for
   * the same program. O(endpoints), no lookup for a name that holds.
   */
  refreshNames(naming: EndpointNaming): void {
    const all = this.namedVersion !== naming.lookedUpVersion;
    const now = naming.now;
    for (let e = this.recency.newest; e; e = e.older)
      if (all || !holds(e.nameBasis, now)) e.nameBasis = basisOf(e.address, naming);
    this.namedVersion = naming.lookedUpVersion;
  }

  /** Newest first, as published; named (refreshNames) when `naming` is given. */
  newestFirst(naming?: EndpointNaming): Endpoint[] {
    if (naming !== undefined) this.refreshNames(naming);
    const out: Endpoint[] = [];
    for (let e = this.recency.newest; e; e = e.older) out.push(publishedEndpoint(e, naming !== undefined));
    return out;
  }

  private remove(gone: MutableEndpoint): void {
    this.recency.unlink(gone);
    this.count--;
    const head = this.byAddress.get(gone.address);
    if (head === gone) {
      if (gone.next) this.byAddress.set(gone.address, gone.next);
      else this.byAddress.delete(gone.address);
      return;
    }
    let e = head;
    while (e !== undefined && e.next !== gone) e = e.next;
    if (e) e.next = gone.next;
  }
}

/** The name an endpoint was last given (EndpointSet.refreshNames), if any. */
export function currentName(e: MutableEndpoint): string | undefined {
  return e.nameBasis?.name || undefined;
}

/** One endpoint as published, with the name it was last given when `named`: one object, no copy to add a name. */
export function publishedEndpoint(e: MutableEndpoint, named: boolean): Endpoint {
  const endpoint: { -readonly [K in keyof Endpoint]: Endpoint[K] } = {
    address: e.address,
    count: e.count,
    lastSeen: e.lastSeen,
  };
  if (e.port !== undefined) endpoint.port = e.port;
  if (e.protocol !== undefined) endpoint.protocol = e.protocol;
  if (e.inbound) endpoint.inbound = true;
  const name = named ? currentName(e) : undefined;
  if (name !== undefined) {
    endpoint.hostname = name;
    endpoint.hostnameSource = e.nameBasis!.source;
  }
  return endpoint;
}
