// Core's start and stop: loading settings and rules, opening WFP and bringing it to the rules, subscribing to its
// events and the DNS client's, and on stop taking all of it down again in the reverse order. It also owns whether
// core runs, which every command asks before it changes anything.
import type { EventSubscription } from '../backend/port';
import type { Status } from '../model';
import { addressesOfQueryResults } from '../enrichment/host-names';
import { fileCollectionLedger } from '../persistence/collection-ledger';
import { CoreError } from '../util/errors';
import type { CoreState } from './core';
import type { StartOptions } from './options';

export class LifeCycle {
  private subscription: EventSubscription | undefined;
  private dnsWatch: { stop(): Promise<void> } | undefined;
  private started = false;
  private open = false;

  constructor(private readonly core: CoreState) {}

  get isStarted(): boolean {
    return this.started;
  }

  /** WFP is open: a rule can be checked against what it would refuse now. */
  get backendOpen(): boolean {
    return this.open;
  }

  requireStarted(): void {
    if (!this.started) throw new CoreError('NOT_STARTED', 'Portcullis core is not running; start() it first.');
  }

  /** Hands core the events received and not yet delivered (EventSubscription.takeWaiting). */
  takeWaiting(): void {
    this.subscription?.takeWaiting?.();
  }

  /** How events reach core: the subscription's way, else what the backend expects. */
  delivery(): Status['delivery'] {
    return this.subscription?.delivery?.() ?? this.core.backend.eventDelivery?.();
  }

  async start(options: StartOptions = {}): Promise<void> {
    if (this.started) return;
    const core = this.core;
    const settingsLoad = core.settingsStore.load();
    core.settings = settingsLoad.value;
    for (const problem of settingsLoad.problems) core.publisher.notice('warning', problem);
    const rulesLoad = core.rules.load();
    for (const problem of rulesLoad.problems) core.publisher.notice('warning', problem);
    core.activity.resize(core.settings.activityLogSize);
    core.publisher.batcher.setInterval(core.settings.batchIntervalMs);

    // Before the first change to BFE's options: a record of what this process changes, in the data folder.
    core.backend.useCollectionLedger?.(fileCollectionLedger(core.dataDir));
    await core.backend.open();
    this.open = true;
    this.started = true;
    await core.rules.expire(core.clock.now());
    if (options.reconcile !== false) await core.wfp.reconcileAtStart();
    core.backend.onFileLookupsFallback?.((reason) =>
      core.publisher.notice(
        'warning',
        `Publishers and real-case paths are now looked up from the main thread (${reason}). They still show; under a flood of new programs Portcullis uses more CPU.`,
      ),
    );
    if (options.subscribe !== false) {
      this.subscription = await core.backend.subscribe({
        onEvent: (event) => core.handleEvent(event),
        onMalformed: () => {
          core.counters.malformed++;
          core.publisher.markStatus();
        },
        onLost: (count) => {
          core.counters.lost += count;
          core.publisher.markStatus();
        },
        onResubscribed: (reason) =>
          core.publisher.notice('warning', `The WFP event subscription was re-established (${reason}).`),
        onError: (message) =>
          core.publisher.notice('error', `Events are no longer arriving: ${message}. Restart Portcullis.`),
        onEngineLost: (message) =>
          core.publisher.notice('warning', `The Base Filtering Engine went away (${message}); reconnecting.`),
        onEngineRestarted: () => void core.wfp.afterEngineRestart(),
      });
    }
    if (options.subscribe !== false) await this.watchDns();
    if (options.subscribe !== false) await core.settingsChanges.syncServiceNames();
    core.housekeeping.armAll();
    if (options.watchDataFolder !== false) core.external.start();
    core.publisher.markStatus();
  }

  /** Domain names from the DNS client; without them (not elevated, no such source) names fall back to reverse DNS. */
  private async watchDns(): Promise<void> {
    const core = this.core;
    const watch = core.backend.watchDnsQueries;
    if (!watch) return;
    try {
      this.dnsWatch = await watch.call(core.backend, (query) => {
        if (query.imagePath) core.realCase?.learn(query.imagePath);
        if (query.status !== 0) return;
        core.hostNames.add({ ...query, addresses: addressesOfQueryResults(query.results) });
      });
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      core.publisher.notice('info', `Domain names are not shown (reverse DNS names are): ${reason}`);
    }
  }

  async stop(): Promise<void> {
    const core = this.core;
    core.external.stop();
    core.housekeeping.cancelAll();
    core.reverseDns.stop();
    core.signatures?.stop();
    core.realCase?.stop();
    const dns = this.dnsWatch;
    this.dnsWatch = undefined;
    await dns?.stop().catch(() => undefined);
    // Auditing stays on while the setting is: it is put back when the user turns it off, resets or uninstalls.
    await core.serviceNames.stop();
    const subscription = this.subscription;
    this.subscription = undefined;
    try {
      await subscription?.stop();
      await core.changesDone();
    } finally {
      if (this.started) await core.rules.flushHits().catch(() => undefined);
      core.publisher.batcher.flush();
      core.publisher.batcher.cancel();
      this.started = false;
      if (this.open) {
        this.open = false;
        await core.backend.close();
      }
    }
  }
}
