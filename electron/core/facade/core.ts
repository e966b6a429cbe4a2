// Core's parts and how they are wired together (stores, pipeline, enforcer, decisions, learning, enrichment, the
// delta publisher), and the way of one event through them, which runs for every event of a flood and is kept free of
// allocations and indirection. What runs on start and stop (life-cycle.ts), on a change of the rules (rule-changes.ts)
// or of the mode and settings (settings-changes.ts), and what brings WFP to the rules (wfp-state.ts) hold this object.
// Commands (commands.ts) and the public facade (index.ts) are thin layers over all of it.
import { join } from 'node:path';
import type { NetEvent } from '../../../native/api';
import type { CoreBackend } from '../backend/port';
import type { Settings } from '../model';
import { AppIndex } from '../apps/app-index';
import type { AppRecord } from '../apps/app-record';
import { IdentityResolver } from '../apps/identity';
import { PendingDecisions } from '../decisions/pending';
import { Enforcer } from '../enforcement/enforcer';
import { scopeEssentialsToServices, upgradeEssentials } from '../enforcement/essentials';
import { CodeSignatures } from '../enrichment/code-signature';
import { HostNames } from '../enrichment/host-names';
import { RealCasePaths } from '../enrichment/real-case';
import { ReverseDns, systemResolver } from '../enrichment/reverse-dns';
import { LearningCandidates } from '../learning/candidates';
import { defaultDataDir } from '../persistence/data-dir';
import { JsonFile } from '../persistence/json-file';
import { ActivityLog } from '../pipeline/activity-log';
import { FilterAttribution } from '../pipeline/attribution';
import { EventCounters } from '../pipeline/counters';
import { EventPipeline } from '../pipeline/pipeline';
import { emptyRulesDocument, RuleStore } from '../rules/rule-store';
import { SettingsStore } from '../settings/settings-store';
import { rulesDocumentSchema } from '../rules/schema';
import { defaultSettings } from '../settings/schema';
import { salvageSettings, settingsFileSchema } from '../settings/settings-file';
import { salvageRules } from '../rules/rules-file';
import { randomIds, systemClock, systemTimers, type Clock, type IdSource, type Timers } from '../util/runtime';
import { ServiceNames } from '../services/service-names';
import { DecisionPolicy } from './decision-policy';
import { ExternalChanges } from './external-changes';
import { Housekeeping } from './housekeeping';
import { LifeCycle } from './life-cycle';
import { Publisher } from './publisher';
import { RuleChanges } from './rule-changes';
import { SettingsChanges } from './settings-changes';
import { ActionHistory } from './undo';
import { WfpState } from './wfp-state';
import { DEFAULT_LIMITS, type CoreLimits, type PortcullisCoreOptions } from './options';

/**
 * How soon an app's file is handed to the signature and real-case lookups again: once they said when asking again
 * would change anything (a signature is rechecked after a minute, a real case is looked up once), then, within these
 * bounds. A busy app of a flood asks about once a minute instead of every second.
 */
const ENRICHMENT_ASK_MIN_MS = 1_000;
const ENRICHMENT_ASK_MAX_MS = 60_000;

export class CoreState {
  readonly clock: Clock;
  readonly timers: Timers;
  readonly ids: IdSource;
  readonly dataDir: string;
  readonly backend: CoreBackend;
  readonly limits: CoreLimits;

  readonly rules: RuleStore;
  readonly index: AppIndex;
  readonly activity: ActivityLog;
  readonly counters = new EventCounters();
  readonly decisions: PendingDecisions;
  readonly candidates: LearningCandidates;
  readonly enforcer: Enforcer;
  readonly attribution: FilterAttribution;
  readonly pipeline: EventPipeline;
  /** Names the service behind an svchost drop from the Security log, while the setting is on. */
  readonly serviceNames: ServiceNames;
  readonly reverseDns: ReverseDns;
  /** Domain names programs looked up, from the DNS client's events. */
  readonly hostNames: HostNames;
  /** Paths as written on disk, for display. */
  readonly realCase: RealCasePaths | undefined;
  /** Absent when the backend has no signature check (unit tests' memory backend). */
  readonly signatures: CodeSignatures | undefined;
  readonly identities: IdentityResolver;
  readonly publisher: Publisher;
  readonly policy: DecisionPolicy;
  readonly history: ActionHistory;

  settings: Settings = defaultSettings();
  readonly settingsStore: SettingsStore;
  readonly external: ExternalChanges;
  readonly housekeeping: Housekeeping;
  readonly lifeCycle = new LifeCycle(this);
  readonly wfp = new WfpState(this);
  readonly ruleChanges = new RuleChanges(this);
  readonly settingsChanges = new SettingsChanges(this);
  /** Changes to rules, mode and WFP run one after another, in the order they were asked for. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: PortcullisCoreOptions) {
    this.clock = options.clock ?? systemClock;
    this.timers = options.timers ?? systemTimers;
    this.ids = options.ids ?? randomIds;
    this.dataDir = options.dataDir ?? defaultDataDir();
    this.backend = options.backend;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };

    this.settingsStore = new SettingsStore(
      new JsonFile(
        join(this.dataDir, 'settings.json'),
        settingsFileSchema,
        defaultSettings,
        this.clock,
        options.persistenceHooks?.settings,
        salvageSettings,
      ),
      (s) => {
        const upgraded = upgradeEssentials(s);
        return { ...upgraded, essentials: scopeEssentialsToServices(upgraded.essentials) };
      },
    );
    this.external = new ExternalChanges(this, options.dataFolderWatch);
    this.rules = new RuleStore(
      new JsonFile(
        join(this.dataDir, 'rules.json'),
        rulesDocumentSchema,
        emptyRulesDocument,
        this.clock,
        options.persistenceHooks?.rules,
        salvageRules,
      ),
      this.clock,
      this.ids,
      (external) => this.external.mergedOnSave(external),
    );
    this.index = new AppIndex({ maxApps: this.limits.maxApps, maxEndpointsPerApp: this.limits.maxEndpointsPerApp });
    this.activity = new ActivityLog(this.settings.activityLogSize);
    this.decisions = new PendingDecisions(this.ids, this.limits.maxPendingDecisions);
    this.candidates = new LearningCandidates(this.limits.maxCandidates, (path) => this.signatures?.publisherOf(path));
    this.enforcer = new Enforcer(this.backend);
    this.attribution = new FilterAttribution(
      (id) => this.backend.filterInfo(id),
      (id) => this.enforcer.sourceOfFilter(id),
    );
    this.identities = new IdentityResolver();
    this.reverseDns = new ReverseDns(
      options.resolver ?? systemResolver(this.limits.dnsTimeoutMs),
      this.clock,
      this.timers,
      (_address, _name, appKeys) => {
        for (const key of appKeys) this.publisher.markApp(key);
      },
      { cacheSize: this.limits.dnsCacheSize, timeoutMs: this.limits.dnsTimeoutMs },
    );
    this.hostNames = new HostNames(this.clock);
    const lookUp = this.backend.realCasePath?.bind(this.backend);
    this.realCase = lookUp
      ? new RealCasePaths(lookUp, this.clock, this.timers, (appKeys) => {
          for (const key of appKeys) this.publisher.markApp(key);
        })
      : undefined;
    const verify = this.backend.verifySignature?.bind(this.backend);
    this.signatures = verify
      ? new CodeSignatures(
          { verify },
          this.clock,
          this.timers,
          (_path, _publisher, appKeys) => {
            for (const key of appKeys) this.publisher.markApp(key);
          },
          this.backend.fileIdentity?.bind(this.backend),
        )
      : undefined;
    this.publisher = new Publisher({
      clock: this.clock,
      timers: this.timers,
      ids: this.ids,
      settings: () => this.settings,
      backendKind: () => this.backend.kind,
      delivery: () => this.lifeCycle.delivery(),
      takeWaiting: () => this.lifeCycle.takeWaiting(),
      dataFolder: this.dataDir,
      counters: this.counters,
      decisions: this.decisions,
      rules: this.rules,
      index: this.index,
      candidates: this.candidates,
      activity: this.activity,
      reverseDns: () => this.reverseDns,
      notEnforced: (id) => this.wfp.notEnforced(id),
      publisherOf: (path) => this.signatures?.publisherOf(path),
      hostNames: this.hostNames,
      realCaseOf: (path) => this.realCase?.of(path),
    });
    this.policy = new DecisionPolicy({
      clock: this.clock,
      settings: () => this.settings,
      rules: this.rules,
      decisions: this.decisions,
      candidates: this.candidates,
      index: this.index,
      publisher: this.publisher,
      armDecisionTimer: (deadline) => this.housekeeping.armDecisionDeadline(deadline),
    });
    this.pipeline = new EventPipeline({
      clock: this.clock,
      identities: this.identities,
      index: this.index,
      activity: this.activity,
      counters: this.counters,
      attribution: this.attribution,
      reverseDns: () => this.settings.reverseDns,
      hooks: {
        mode: () => this.settings.mode,
        blocked: (app, event, who, now, record) => this.policy.onBlocked(app, event, who, now, record),
        learned: (app, event, now) => this.policy.onLearned(app, event, now),
        ruleHit: (id, now) => {
          if (this.rules.hit(id, now)) this.publisher.markRule(id);
        },
        requestHostname: (address, appKey) => this.reverseDns.request(address, appKey),
        seen: (appKey, event, now, record) => this.askAboutFile(appKey, event, now, record),
      },
    });
    this.serviceNames = new ServiceNames({
      source: this.backend.services,
      clock: this.clock,
      timers: this.timers,
      deliver: (event, services) => this.handleEvent(event, services ?? null),
    });
    this.identities.serviceDisplayName = (name) => this.serviceNames.displayName(name);
    this.housekeeping = new Housekeeping(this);
    this.history = new ActionHistory({
      clock: this.clock,
      ids: this.ids,
      rules: this.rules,
      decisions: this.decisions,
      candidates: this.candidates,
    });
  }

  /** `joined`: set when the event comes back from the svchost hold (the services named, or null: none). */
  handleEvent(event: NetEvent, joined?: readonly string[] | null): void {
    try {
      const services = joined === undefined ? this.serviceNames.take(event) : (joined ?? undefined);
      if (services === 'held') return;
      this.pipeline.handle(event, services);
    } catch {
      // An event we cannot process is counted like a malformed one rather than breaking the stream.
      this.counters.malformed++;
    }
    this.publisher.markStatus();
  }

  /**
   * Hands the app's file to the signature and real-case lookups, at most once a second per app, and only once they
   * may have something to do. Asking costs two lower-cased copies of the path and a few lookups.
   */
  private askAboutFile(appKey: string, event: NetEvent, now: number, record: AppRecord | undefined): void {
    if (event.appPath === undefined) return;
    if (record !== undefined && now < record.enrichmentAskAt) return;
    const signature = this.signatures?.request(event.appPath, appKey) ?? Infinity;
    const realCase = this.realCase?.request(event.appPath, appKey) ?? Infinity;
    if (record === undefined) return;
    const wait = Math.min(ENRICHMENT_ASK_MAX_MS, Math.max(ENRICHMENT_ASK_MIN_MS, Math.min(signature, realCase)));
    record.enrichmentAskAt = now + wait;
  }

  /**
   * Runs `work` after every change asked for before it; a failure does not stop the ones after. What another process
   * wrote to the data folder is taken in first, so that `work` builds on the latest rules and settings.
   */
  serial<T>(work: () => Promise<T> | T): Promise<T> {
    const step = async (): Promise<T> => {
      await this.external.sync();
      return work();
    };
    const run = this.queue.then(step, step);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Settles once every change asked for so far has run (stop waits for them). */
  changesDone(): Promise<unknown> {
    return this.queue.catch(() => undefined);
  }
}
