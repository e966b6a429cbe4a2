// An in-memory stand-in for the WFP layer, for unit tests of core's own logic. It keeps filters the way WFP
// would (one per layer, ids increasing) and lets the test deliver events. Integration tests use the real native
// layer on the simulator instead.
import type { FilterInfo, NetEvent } from '../../../../native/api';
import type {
  CoreBackend,
  DnsQuery,
  EventSink,
  EventSubscription,
  TaggedFilter,
  TaggedFilterSpec,
} from '../../../../electron/core/backend/port';
import type { EventDelivery } from '../../../../electron/core/model';

const LAYERS = { out: ['connect-v4', 'connect-v6'], in: ['recv-v4', 'recv-v6'] } as const;

export interface StoredFilter extends TaggedFilter {
  readonly spec: TaggedFilterSpec;
}

export class MemoryBackend implements CoreBackend {
  readonly kind = 'simulator' as const;
  filters = new Map<number, StoredFilter>();
  providerAndSublayer = false;
  allowEvents = false;
  transactions = 0;
  sink: EventSink | undefined;
  opened = false;
  failNextApply: Error | undefined;
  /** Drive letters present (the native backend refuses filters for programs elsewhere). */
  drives = new Set(['C:']);
  /** Tags whose filter WFP refuses inside the transaction (FWP_E_INVALID_PARAMETER), like a condition it rejects. */
  refuseInTransaction = new Set<string>();
  foreign = new Map<number, FilterInfo>();
  private nextId = 1000;

  async open(): Promise<void> {
    this.opened = true;
  }

  async setAllowEvents(on: boolean): Promise<void> {
    this.allowEvents = on;
  }

  async ensureProviderAndSublayer(): Promise<void> {
    this.providerAndSublayer = true;
  }

  /** How the subscription says its events arrive (the native backend reports its subscription's). */
  delivery: EventDelivery | undefined = undefined;

  async subscribe(sink: EventSink): Promise<EventSubscription> {
    this.sink = sink;
    return {
      delivery: () => this.delivery,
      stop: async () => {
        await new Promise((r) => setTimeout(r, 5));
        this.sink = undefined;
      },
    };
  }

  checkFilter(spec: TaggedFilterSpec): string | undefined {
    const path = spec.appPath;
    if (path === undefined || path === 'System') return undefined;
    const drive = path.slice(0, 2).toUpperCase();
    return this.drives.has(drive) ? undefined : `drive ${drive} is not present (a removed or unmapped drive)`;
  }

  async apply(change: { add: readonly TaggedFilterSpec[]; remove: readonly number[] }): Promise<{ added: number[][] }> {
    return this.applyNow(change);
  }

  /** The same as apply, synchronously (tests that tamper with the filters). */
  applyNow(change: { add: readonly TaggedFilterSpec[]; remove: readonly number[] }): { added: number[][] } {
    if (this.failNextApply) {
      const error = this.failNextApply;
      this.failNextApply = undefined;
      throw error;
    }
    if (!this.providerAndSublayer) throw new Error('FwpmFilterAdd0 failed: FWP_E_SUBLAYER_NOT_FOUND');
    const refused = change.add.find((spec) => this.refuseInTransaction.has(spec.tag));
    if (refused) {
      throw Object.assign(new Error(`FwpmFilterAdd0 failed: FWP_E_INVALID_PARAMETER (${refused.name})`), {
        symbol: 'FWP_E_INVALID_PARAMETER',
      });
    }
    this.transactions++;
    for (const id of change.remove) {
      if (!this.filters.delete(id)) throw new Error(`FwpmFilterDeleteById0 failed: FWP_E_FILTER_NOT_FOUND (${id})`);
    }
    const added = change.add.map((spec) => {
      const layers = spec.direction === 'both' ? [...LAYERS.out, ...LAYERS.in] : LAYERS[spec.direction];
      return layers.map((layerKey) => {
        const filterId = this.nextId++;
        this.filters.set(filterId, {
          filterId,
          key: `key-${filterId}`,
          name: spec.name,
          layerKey,
          action: spec.action,
          tag: spec.tag,
          spec,
        });
        return filterId;
      });
    });
    return { added };
  }

  async listOurs(): Promise<TaggedFilter[]> {
    return [...this.filters.values()].map(({ spec: _spec, ...f }) => f);
  }

  async removeAllOurs(): Promise<void> {
    this.filters.clear();
    this.providerAndSublayer = false;
  }

  filterInfo(filterId: number): FilterInfo | undefined {
    const ours = this.filters.get(filterId);
    if (ours) {
      return { filterId, name: ours.name, layerKey: ours.layerKey, action: ours.action, owner: 'portcullis' };
    }
    return this.foreign.get(filterId);
  }

  dosToNt(path: string): string | undefined {
    return /^c:/i.test(path) ? `\\device\\harddiskvolume3${path.slice(2).toLowerCase()}` : undefined;
  }

  async close(): Promise<void> {
    this.opened = false;
  }

  /** Filters serving one tag prefix ("r:<ruleId>:", "e:", "d:"). */
  withTag(prefix: string): StoredFilter[] {
    return [...this.filters.values()].filter((f) => f.tag?.startsWith(prefix));
  }

  emit(event: Partial<NetEvent> & Pick<NetEvent, 'type'>): void {
    if (!this.sink) throw new Error('no subscription');
    this.sink.onEvent({ time: Date.now(), rawType: event.type === 'drop' ? 3 : 6, flags: 0, ...event });
  }
}

export function drop(appPath: string, extra: Partial<NetEvent> = {}): Partial<NetEvent> & Pick<NetEvent, 'type'> {
  return {
    type: 'drop',
    appPath,
    appId: `\\device\\harddiskvolume3${appPath.slice(2).toLowerCase()}`,
    direction: 'out',
    protocol: 6,
    remoteAddress: '93.184.216.34',
    remotePort: 443,
    ipVersion: 4,
    ...extra,
  };
}

/** A memory backend whose DNS client reports the queries the test makes with `query` (as event 3008 would). */
export function withDnsClient(): { backend: MemoryBackend; query: (q: DnsQuery) => void } {
  let listener: ((query: DnsQuery) => void) | undefined;
  const backend = Object.assign(new MemoryBackend(), {
    watchDnsQueries: async (l: (query: DnsQuery) => void) => {
      listener = l;
      return { stop: async () => {} };
    },
  });
  return { backend, query: (q) => listener!(q) };
}
