// CoreBackend over native/: fwpuclnt.dll on Windows, the simulator library elsewhere. A non-dynamic session, so
// that our filters persist (they are the user's firewall rules) and engine options can be set.
//
// When the Base Filtering Engine restarts (the subscription reports its session gone), the session is opened again
// (retrying while BFE starts), the subscription is made again with the same handlers, and core is told to
// reconcile: BFE kept our persistent filters but numbers them anew, and dynamic objects are gone.
import {
  createFilterManager,
  createPathMapper,
  enableEventCollection,
  loadWfp,
  simulatorFromEnvironment,
  subscribe,
  WfpEngine,
  type CollectionLedger,
  type EventCollection,
  type FilterManager,
  type NetEventHandlers,
  type NetEventSubscription,
  type PathMapper,
  type WfpLibrary,
  validateSpec,
  FOLDERID,
  windowsSystem,
} from '../../../native/index';
import { watchDnsClient } from '../../../native/etw/dns-client';
import { callsHoldingExit, FileLookups } from '../../../native/lookups/file-lookups';
import { nativeServiceSource } from '../services/native-source';
import { loadEventRingLibrary } from '../../../native/batch/load';
import { EventQueue } from './event-queue';
import type { CoreBackend, EventSink, EventSubscription, TaggedFilter, TaggedFilterSpec } from './port';

export interface NativeBackendOptions {
  /** A simulator library to load instead of the default (tests). */
  readonly libraryPath?: string;
  /** Silence after which the subscription is renewed (native's watchdog). */
  readonly watchdogMs?: number;
  /** How often the lost-event counter is read (native's default when absent). */
  readonly lostPollMs?: number;
  /** Decoded events waiting for the pipeline beyond which new ones are counted as lost. */
  readonly queueCapacity?: number;
  /** Opening again after an engine restart: how often and how long to wait while BFE starts. */
  readonly reopenRetry?: { attempts: number; delayMs: number };
}

interface Open {
  readonly lib: WfpLibrary;
  readonly engine: WfpEngine;
  readonly filters: FilterManager;
  readonly paths: PathMapper;
}

const DEFAULT_REOPEN_RETRY = { attempts: 12, delayMs: 250 };

export function createNativeBackend(options: NativeBackendOptions = {}): CoreBackend {
  let open: Open | undefined;
  let collection: EventCollection | undefined;
  let allowEvents: boolean | undefined;
  let ledger: CollectionLedger | undefined;
  const predicted: CoreBackend['kind'] =
    process.platform === 'win32' && !options.libraryPath && !simulatorFromEnvironment() ? 'wfp' : 'simulator';

  // Signature checks, real-case paths and file identities, on a thread of their own (native/lookups), started on the
  // first lookup and ended with the session.
  let lookups: FileLookups | undefined;
  let lookupsFallback: ((reason: string) => void) | undefined;
  const fileLookups = (): FileLookups => {
    if (lookups) return lookups;
    lookups = new FileLookups();
    lookups.onFallback = (reason) => lookupsFallback?.(reason);
    return lookups;
  };

  const need = (): Open => {
    if (!open) throw new Error('The WFP engine is not open.');
    return open;
  };

  const openSession = async (retry?: { attempts: number; delayMs: number }): Promise<Open> => {
    const lib = loadWfp(options.libraryPath ? { libraryPath: options.libraryPath } : {});
    const engine = await WfpEngine.open(lib, { dynamic: false, name: 'Portcullis', ...(retry ? { retry } : {}) });
    // The drive table is read again with each session: the mapper outlives it (one per library), and drive letters
    // may name other volumes than when it was last read.
    const paths = createPathMapper(lib);
    paths.refresh();
    return { lib, engine, filters: createFilterManager(engine), paths };
  };

  const subscribeOptions = {
    ...(options.watchdogMs !== undefined ? { watchdogMs: options.watchdogMs } : {}),
    ...(options.lostPollMs !== undefined ? { lostPollMs: options.lostPollMs } : {}),
  };

  return {
    get kind() {
      return open?.lib.backend ?? predicted;
    },

    async open() {
      if (open) return;
      open = await openSession();
    },

    async setAllowEvents(on) {
      const { engine } = need();
      if (collection && allowEvents === on) return;
      await collection?.restore(engine);
      collection = await enableEventCollection(engine, { allowEvents: on, ...(ledger ? { ledger } : {}) });
      allowEvents = on;
    },

    useCollectionLedger(given) {
      ledger = given;
    },

    ensureProviderAndSublayer: () => need().filters.ensureProviderAndSublayer(),

    eventDelivery() {
      const ring = loadEventRingLibrary();
      return ring.available ? { mode: 'ring' } : { mode: 'per-event', note: ring.reason };
    },

    async subscribe(sink: EventSink): Promise<EventSubscription> {
      const queue = new EventQueue(
        (event) => sink.onEvent(event),
        (count) => sink.onLost(count),
        options.queueCapacity,
      );
      let stopped = false;
      let subscription: NetEventSubscription;

      const reconnect = async (cause: Error): Promise<void> => {
        if (stopped) return;
        sink.onEngineLost?.(cause.message);
        const old = open;
        open = undefined;
        await old?.engine.close().catch(() => undefined);
        try {
          const fresh = await openSession(options.reopenRetry ?? DEFAULT_REOPEN_RETRY);
          if (stopped) {
            await fresh.engine.close();
            return;
          }
          open = fresh;
          subscription = await subscribe(fresh.engine, handlers, subscribeOptions);
          if (stopped) return void (await subscription.stop());
          // Engine options live in BFE's store and survive its restart; the filters are core's to reconcile.
          sink.onEngineRestarted?.();
        } catch (e) {
          sink.onError(`the Base Filtering Engine did not come back: ${e instanceof Error ? e.message : String(e)}`);
        }
      };

      const handlers: NetEventHandlers = {
        onEvent: (event, taken) => (taken ? queue.pass(event) : queue.push(event)),
        onMalformed: (reason) => sink.onMalformed(reason),
        onLost: (count) => sink.onLost(count),
        // Only a subscription found dead is worth a notice; quiet renewals on a quiet PC are not.
        onResubscribed: (info) => sink.onResubscribed(`${info.missed} event(s) were lost while it was not delivering`),
        onError: (error) => sink.onError(error.message),
        onEngineLost: (error) => void reconnect(error),
      };
      subscription = await subscribe(need().engine, handlers, subscribeOptions);
      return {
        delivery: () => {
          const { delivery, deliveryNote } = subscription.stats;
          return deliveryNote === undefined ? { mode: delivery } : { mode: delivery, note: deliveryNote };
        },
        takeWaiting: () => void subscription.takeWaiting(),
        stop: () => {
          stopped = true;
          // Events already received still count; none reaches the pipeline after this.
          queue.close();
          return subscription.stop();
        },
      };
    },

    checkFilter(spec) {
      const { paths } = need();
      try {
        validateSpec(spec);
        if (spec.appPath !== undefined) paths.appIdBlobFor(spec.appPath);
        return undefined;
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    },

    apply: (change: { add: readonly TaggedFilterSpec[]; remove: readonly number[] }) => need().filters.apply(change),

    listOurs: (): Promise<TaggedFilter[]> => need().filters.listOurs(),

    removeAllOurs: () => need().filters.removeAllOurs(),

    filterInfo: (filterId) => open?.filters.filterInfo(filterId),

    dosToNt: (path) => open?.paths.dosToNt(path),

    appIdFor(path) {
      try {
        return open?.paths.appIdFor(path);
      } catch {
        return undefined; // a drive not present now (a USB stick): its filter is left as it is
      }
    },

    endSession() {
      // restore() makes its native calls before its first await (it has none), so they are done when this returns;
      // a failure is reported through the promise, too late to matter to a process that is being killed.
      void collection?.restore().catch(() => undefined);
      collection = undefined;
      allowEvents = undefined;
    },

    // wintrust/crypt32/kernel32 on Windows, the simulator's elsewhere, called from a thread of their own (started on
    // the first lookup), never on the event path.
    verifySignature: (path) => fileLookups().verifySignature(path),

    realCasePath: (path) => fileLookups().realCasePath(path),

    fileIdentity: (path) => fileLookups().fileIdentity(path),

    onFileLookupsFallback(listener) {
      lookupsFallback = listener;
    },

    // The DNS client's own ETW events (advapi32 on Windows, the simulator's elsewhere).
    watchDnsQueries: (onQuery) => watchDnsClient(onQuery),

    // The services behind svchost: audit policy, the Security log, the service list (advapi32/wevtapi, or the simulator).
    services: nativeServiceSource(options.libraryPath),

    callsHoldingExit: () => callsHoldingExit(),

    // Windows' answer, not %SystemRoot%: this process may have been started with any environment.
    ...(predicted === 'wfp' ? { windowsFolder: () => windowsSystem().knownFolder(FOLDERID.Windows) } : {}),

    async close() {
      const lookupsEnded = lookups?.stop();
      lookups = undefined;
      await lookupsEnded;
      const current = open;
      if (!current) return;
      try {
        // Engine options are machine-wide and outlive us: put back exactly what we changed.
        await collection?.restore(current.engine);
      } finally {
        collection = undefined;
        allowEvents = undefined;
        open = undefined;
        await current.engine.close();
      }
    },
  };
}
