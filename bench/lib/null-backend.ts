// A CoreBackend that does nothing, for benchmarks of core alone (no WFP, no simulator): rules are accepted, filter
// ids invented, and a few filter ids are attributed to Windows Defender Firewall as on a fresh machine.
import type { FilterInfo } from '../../native/api';
import type { CoreBackend, EventSink, TaggedFilter, TaggedFilterSpec } from '../../electron/core/backend/port';

export const WINDOWS_FIREWALL_FILTER_IDS = [70_001, 70_002, 70_003, 70_004];

export function createNullBackend(): CoreBackend & { sink: EventSink | undefined } {
  let nextId = 100_000;
  const ours = new Map<number, TaggedFilter>();
  const backend = {
    kind: 'simulator' as const,
    sink: undefined as EventSink | undefined,
    open: async () => {},
    setAllowEvents: async () => {},
    ensureProviderAndSublayer: async () => {},
    subscribe: async (sink: EventSink) => {
      backend.sink = sink;
      return { stop: async () => void (backend.sink = undefined) };
    },
    apply: async (change: { add: readonly TaggedFilterSpec[]; remove: readonly number[] }) => {
      for (const id of change.remove) ours.delete(id);
      const added = change.add.map((spec) => {
        const id = nextId++;
        ours.set(id, {
          filterId: id,
          key: `bench-${id}`,
          name: spec.name,
          layerKey: 'connect-v4',
          action: spec.action,
          tag: spec.tag,
        });
        return [id];
      });
      return { added };
    },
    listOurs: async () => [...ours.values()],
    removeAllOurs: async () => void ours.clear(),
    filterInfo: (filterId: number): FilterInfo | undefined =>
      WINDOWS_FIREWALL_FILTER_IDS.includes(filterId)
        ? {
            filterId,
            name: `Windows Defender Firewall rule ${filterId}`,
            layerKey: 'c38d57d1-05a7-4c33-904f-7fbceee60e82',
            action: 'block',
            owner: 'windows-firewall',
          }
        : undefined,
    dosToNt: (path: string) => `\\device\\harddiskvolume3${path.slice(2)}`,
    close: async () => {},
  };
  return backend;
}
