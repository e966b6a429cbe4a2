// CoreBackend over native/: fwpuclnt.dll on Windows, the simulator library elsewhere. A non-dynamic session, so
// that our filters persist (they are the user's firewall rules) and engine options can be set.
import {
  createFilterManager,
  createPathMapper,
  enableEventCollection,
  loadWfp,
  subscribe,
  WfpEngine,
  type EventCollection,
  type FilterManager,
  type PathMapper,
  type WfpLibrary,
} from '../../../native/index';
import { EventQueue } from './event-queue';
import type { CoreBackend, EventSink, EventSubscription, TaggedFilter, TaggedFilterSpec } from './port';

export interface NativeBackendOptions {
  /** A simulator library to load instead of the default (tests). */
  readonly libraryPath?: string;
  /** Silence after which the subscription is renewed (native's watchdog). */
  readonly watchdogMs?: number;
  /** Decoded events waiting for the pipeline beyond which new ones are counted as lost. */
  readonly queueCapacity?: number;
}

interface Open {
  readonly lib: WfpLibrary;
  readonly engine: WfpEngine;
  readonly filters: FilterManager;
  readonly paths: PathMapper;
}

export function createNativeBackend(options: NativeBackendOptions = {}): CoreBackend {
  let open: Open | undefined;
  let collection: EventCollection | undefined;
  let allowEvents: boolean | undefined;
  const predicted: CoreBackend['kind'] =
    process.platform === 'win32' && !options.libraryPath && !process.env.PORTCULLIS_SIM_LIB ? 'wfp' : 'simulator';

  const need = (): Open => {
    if (!open) throw new Error('The WFP engine is not open.');
    return open;
  };

  return {
    get kind() {
      return open?.lib.backend ?? predicted;
    },

    async open() {
      if (open) return;
      const lib = loadWfp(options.libraryPath ? { libraryPath: options.libraryPath } : {});
      const engine = await WfpEngine.open(lib, { dynamic: false, name: 'Portcullis' });
      open = { lib, engine, filters: createFilterManager(engine), paths: createPathMapper(lib) };
    },

    async setAllowEvents(on) {
      const { engine } = need();
      if (collection && allowEvents === on) return;
      await collection?.restore();
      collection = await enableEventCollection(engine, { allowEvents: on });
      allowEvents = on;
    },

    ensureProviderAndSublayer: () => need().filters.ensureProviderAndSublayer(),

    async subscribe(sink: EventSink): Promise<EventSubscription> {
      const queue = new EventQueue(
        (event) => sink.onEvent(event),
        (count) => sink.onLost(count),
        options.queueCapacity,
      );
      const subscription = await subscribe(
        need().engine,
        {
          onEvent: (event) => queue.push(event),
          onMalformed: (reason) => sink.onMalformed(reason),
          onLost: (count) => sink.onLost(count),
          onResubscribed: (info) =>
            sink.onResubscribed(info.confirmedDead ? 'events were lost while it was silent' : 'it had gone silent'),
          onError: (error) => sink.onError(error.message),
        },
        options.watchdogMs !== undefined ? { watchdogMs: options.watchdogMs } : {},
      );
      return {
        stop: () => {
          // Events already received still count; none reaches the pipeline after this.
          queue.close();
          return subscription.stop();
        },
      };
    },

    apply: (change: { add: readonly TaggedFilterSpec[]; remove: readonly number[] }) => need().filters.apply(change),

    listOurs: (): Promise<TaggedFilter[]> => need().filters.listOurs(),

    removeAllOurs: () => need().filters.removeAllOurs(),

    filterInfo: (filterId) => open?.filters.filterInfo(filterId),

    dosToNt: (path) => open?.paths.dosToNt(path),

    async close() {
      const current = open;
      if (!current) return;
      try {
        // Engine options are machine-wide and outlive us: put back exactly what we changed.
        await collection?.restore();
      } finally {
        collection = undefined;
        allowEvents = undefined;
        open = undefined;
        await current.engine.close();
      }
    },
  };
}
