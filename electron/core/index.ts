// Portcullis core: the brain of the firewall in plain TypeScript. Main, the CLI and the tests all start here.
import type { NetEvent } from '../../native/api';
import type {
  ActivityEntry,
  AppIdentity,
  AppPublisher,
  DeltaBatch,
  NotificationRequest,
  Rule,
  RuleAction,
  Snapshot,
  Status,
} from './model';
import { identityFromPath } from './apps/identity';
import { createHandlers, type CoreHandlers } from './facade/commands';
import { CoreState } from './facade/core';
import type { PortcullisCoreOptions, StartOptions } from './facade/options';

export interface PortcullisCore {
  /** Every IPC command but apps.icon, for main's dispatcher and the e2e harness. */
  readonly handlers: CoreHandlers;
  readonly dataDir: string;
  /** Loads settings and rules, opens WFP, reconciles our filters to the rules and (by default) subscribes. */
  start(options?: StartOptions): Promise<void>;
  /** Stops the subscription (waits for it), saves what is unsaved, closes WFP. */
  stop(): Promise<void>;
  /** After stop: calls into Windows still running that would hold the process at its end (CoreBackend's). */
  callsHoldingExit(): readonly string[];
  /**
   * The Windows session is ending and the process is killed as soon as this returns: puts the machine-wide engine
   * options back now, synchronously. Nothing else is waited for.
   */
  endSession(): void;
  /** Delta batches, at most one per settings.batchIntervalMs. */
  onDelta(listener: (batch: DeltaBatch) => void): () => void;
  /** Notifications the policy allows (per app, per minute, pause already applied). */
  onNotification(listener: (request: NotificationRequest) => void): () => void;
  /** Every event as it passes the pipeline (the CLI's watch); `entry` is valid during the call only (copy to keep). */
  onEvent(listener: (entry: ActivityEntry, event: NetEvent) => void): () => void;
  snapshot(): Snapshot;
  status(): Status;
  /** Sends the pending delta now instead of at the end of the interval. */
  flush(): void;
  /** Settles once every change asked for so far (commands, a rule's expiry) has run, its save included. */
  changesDone(): Promise<void>;
  /** Who and where, as far as known when asked: the service, the executable's publisher, the remote host's name. */
  describe(entry: ActivityEntry, event: NetEvent): EventDescription;
  /** A rule for an executable given by its path (the CLI's allow/block). */
  ruleForPath(
    path: string,
    action: RuleAction,
    decidedBy?: Rule['decidedBy'],
    scope?: Pick<Rule, 'direction' | 'protocol' | 'localPort' | 'remotePort' | 'overridesWindowsFirewall'>,
  ): Promise<Rule>;
}

/** Fields `portcullis watch --json` adds to each event; null while unknown (a signature is checked after the first event). */
export interface EventDescription {
  readonly service: string | null;
  readonly publisher: AppPublisher | null;
  readonly host: string | null;
}

/** The service named for a row: its one service, or the services that share its svchost process. */
function serviceOf(identity: AppIdentity | undefined): string | null {
  return identity?.serviceName ?? (identity?.services ? identity.services.join(', ') : null);
}

export function createPortcullisCore(options: PortcullisCoreOptions): PortcullisCore {
  const core = new CoreState(options);
  const handlers = createHandlers(core);
  return {
    handlers,
    dataDir: core.dataDir,
    start: (startOptions) => core.lifeCycle.start(startOptions),
    stop: () => core.lifeCycle.stop(),
    callsHoldingExit: () => core.backend.callsHoldingExit?.() ?? [],
    endSession: () => core.backend.endSession?.(),
    onDelta: (listener) => core.publisher.onDelta(listener),
    onNotification: (listener) => core.policy.onNotification(listener),
    onEvent: (listener) => core.pipeline.onEvent(listener),
    snapshot: () => core.publisher.snapshot(),
    status: () => core.publisher.status(),
    flush: () => void core.publisher.batcher.flush(),
    changesDone: async () => {
      await core.changesDone();
    },
    describe: (entry, event) => ({
      service: serviceOf(core.index.get(entry.appKey)?.identity),
      publisher: (event.appPath !== undefined ? core.signatures?.publisherOf(event.appPath) : undefined) ?? null,
      host:
        (event.remoteAddress !== undefined
          ? (core.hostNames.nameOf(event.appPath, event.remoteAddress) ?? core.reverseDns.nameOf(event.remoteAddress))
          : undefined) ?? null,
    }),
    ruleForPath: (path, action, decidedBy = 'cli', scope = { direction: 'out' }) =>
      core.serial(async () => {
        core.lifeCycle.requireStarted();
        const app = identityFromPath(path, core.backend.dosToNt(path));
        const [rule] = await core.ruleChanges.add([
          { app, action, ...scope, duration: { kind: 'forever' }, source: 'user', decidedBy },
        ]);
        return rule as Rule;
      }),
  };
}

export type { PortcullisCoreOptions, StartOptions } from './facade/options';
export type { CoreLimits } from './facade/options';
export type { CoreHandlers } from './facade/commands';
export type { CoreBackend, EventSink, EventSubscription, TaggedFilter, TaggedFilterSpec } from './backend/port';
export type { ReverseResolver } from './enrichment/reverse-dns';
export type { Clock, Timers, IdSource } from './util/runtime';
export { CoreError } from './util/errors';
export { defaultDataDir } from './persistence/data-dir';
