// Core's state and its wiring: stores, pipeline, enforcer, decisions, learning, enrichment and the delta batcher.
// Commands (commands.ts) and the public facade (index.ts) are thin layers over this.
import { join } from 'node:path';
import type { NetEvent } from '../../../native/api';
import type { CoreBackend, EventSubscription } from '../backend/port';
import type {
  AppIdentity,
  DeltaBatch,
  Mode,
  Notice,
  NotificationRequest,
  Rule,
  Settings,
  Snapshot,
  Status,
} from '../model';
import { AppIndex } from '../apps/app-index';
import type { AppRecord } from '../apps/app-record';
import { IdentityResolver, identityFromPath, SYSTEM_IDENTITY } from '../apps/identity';
import { PendingDecisions } from '../decisions/pending';
import { Enforcer } from '../enforcement/enforcer';
import { scopeEssentialsToServices, upgradeEssentials } from '../enforcement/essentials';
import { planFilters, ruleSpec } from '../enforcement/filter-plan';
import { CodeSignatures } from '../enrichment/code-signature';
import { addressesOfQueryResults, HostNames } from '../enrichment/host-names';
import { RealCasePaths } from '../enrichment/real-case';
import { ReverseDns, systemResolver } from '../enrichment/reverse-dns';
import { LearningCandidates } from '../learning/candidates';
import { defaultDataDir } from '../persistence/data-dir';
import { JsonFile } from '../persistence/json-file';
import { ActivityLog } from '../pipeline/activity-log';
import { FilterAttribution } from '../pipeline/attribution';
import { EventCounters } from '../pipeline/counters';
import { EventPipeline } from '../pipeline/pipeline';
import { emptyRulesDocument, RuleStore, type RuleChange, type RuleDraft } from '../rules/rule-store';
import { SettingsStore } from '../settings/settings-store';
import { isAppWide, overrideProblem, rulesDocumentSchema } from '../rules/schema';
import { requireValidRule, ruleProblem } from '../rules/validate';
import { defaultSettings, mergeSettings } from '../settings/schema';
import { salvageSettings, settingsFileSchema } from '../settings/settings-file';
import { salvageRules } from '../rules/rules-file';
import { CoreError } from '../util/errors';
import { randomIds, systemClock, systemTimers, type Clock, type IdSource, type Timers } from '../util/runtime';
import { ServiceNames } from '../services/service-names';
import { syncServiceNames } from '../services/service-setting';
import { serviceRuleCaveat, serviceRuleRefusal } from '../services/service-rules';
import { DecisionPolicy } from './decision-policy';
import { ExternalChanges } from './external-changes';
import { Housekeeping } from './housekeeping';
import { previewMode } from './mode-preview';
import { Publisher } from './publisher';
import { ActionHistory, type BeforeState } from './undo';
import { DEFAULT_LIMITS, type CoreLimits, type PortcullisCoreOptions, type StartOptions } from './options';

/** How often at most an app's file is handed to the signature and real-case lookups. */
const ENRICHMENT_ASK_MS = 1_000;

/** Rules planned or checked between two pauses of the main thread. */
const PLAN_STEP = 500;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

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
  private dnsWatch: { stop(): Promise<void> } | undefined;
  /** Absent when the backend has no signature check (unit tests' memory backend). */
  readonly signatures: CodeSignatures | undefined;
  readonly identities: IdentityResolver;
  readonly publisher: Publisher;
  readonly policy: DecisionPolicy;
  readonly history: ActionHistory;

  settings: Settings = defaultSettings();
  readonly settingsStore: SettingsStore;
  private readonly external: ExternalChanges;
  private subscription: EventSubscription | undefined;
  private started = false;
  private backendOpen = false;
  private prepared = false;
  /** Rules kept in the store but left out of WFP, with the reason (refused by the validator or by WFP). */
  private notEnforcedRules = new Map<string, string>();
  /** Rules the validator refuses, by id, as of the last plan. */
  private invalidRules = new Map<string, string>();
  /** Changes to rules, mode and WFP run one after another, in the order they were asked for. */
  private queue: Promise<unknown> = Promise.resolve();

  private readonly housekeeping: Housekeeping;

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
      ? new RealCasePaths(lookUp, this.timers, (appKeys) => {
          for (const key of appKeys) this.publisher.markApp(key);
        })
      : undefined;
    const verify = this.backend.verifySignature?.bind(this.backend);
    this.signatures = verify
      ? new CodeSignatures({ verify }, this.clock, this.timers, (_path, _publisher, appKeys) => {
          for (const key of appKeys) this.publisher.markApp(key);
        })
      : undefined;
    this.publisher = new Publisher({
      clock: this.clock,
      timers: this.timers,
      ids: this.ids,
      settings: () => this.settings,
      backendKind: () => this.backend.kind,
      delivery: () => this.subscription?.delivery?.() ?? this.backend.eventDelivery?.(),
      dataFolder: this.dataDir,
      counters: this.counters,
      decisions: this.decisions,
      rules: this.rules,
      index: this.index,
      candidates: this.candidates,
      activity: this.activity,
      reverseDns: () => this.reverseDns,
      notEnforced: (id) => this.notEnforcedRules.get(id),
      publisherOf: (path) => this.signatures?.publisherOf(path),
      hostNamesOf: (path) => this.hostNames.namesOf(path),
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

  // ---- life cycle ----

  async start(options: StartOptions = {}): Promise<void> {
    if (this.started) return;
    const settingsLoad = this.settingsStore.load();
    this.settings = settingsLoad.value;
    for (const problem of settingsLoad.problems) this.publisher.notice('warning', problem);
    const rulesLoad = this.rules.load();
    for (const problem of rulesLoad.problems) this.publisher.notice('warning', problem);
    this.activity.resize(this.settings.activityLogSize);
    this.publisher.batcher.setInterval(this.settings.batchIntervalMs);

    await this.backend.open();
    this.backendOpen = true;
    this.started = true;
    await this.rules.expire(this.clock.now());
    if (options.reconcile !== false) {
      await this.backend.setAllowEvents(this.settings.mode === 'learning');
      await this.ensurePrepared();
      await this.enforcer.reconcileFull(await this.plan());
      this.noteEnforcement();
    }
    if (options.subscribe !== false) {
      this.subscription = await this.backend.subscribe({
        onEvent: (event) => this.handleEvent(event),
        onMalformed: () => {
          this.counters.malformed++;
          this.publisher.markStatus();
        },
        onLost: (count) => {
          this.counters.lost += count;
          this.publisher.markStatus();
        },
        onResubscribed: (reason) =>
          this.publisher.notice('warning', `The WFP event subscription was re-established (${reason}).`),
        onError: (message) =>
          this.publisher.notice('error', `Events are no longer arriving: ${message}. Restart Portcullis.`),
        onEngineLost: (message) =>
          this.publisher.notice('warning', `The Base Filtering Engine went away (${message}); reconnecting.`),
        onEngineRestarted: () => void this.afterEngineRestart(),
      });
    }
    if (options.subscribe !== false) await this.watchDns();
    if (options.subscribe !== false) await this.syncServiceNames();
    this.housekeeping.armAll();
    if (options.watchDataFolder !== false) this.external.start();
    this.publisher.markStatus();
  }

  /** Domain names from the DNS client; without them (not elevated, no such source) names fall back to reverse DNS. */
  private async watchDns(): Promise<void> {
    const watch = this.backend.watchDnsQueries;
    if (!watch) return;
    try {
      this.dnsWatch = await watch.call(this.backend, (query) => {
        if (query.imagePath) this.realCase?.learn(query.imagePath);
        if (query.status !== 0) return;
        this.hostNames.add({ ...query, addresses: addressesOfQueryResults(query.results) });
      });
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      this.publisher.notice('info', `Domain names are not shown (reverse DNS names are): ${reason}`);
    }
  }

  async stop(): Promise<void> {
    this.external.stop();
    this.housekeeping.cancelAll();
    this.reverseDns.stop();
    this.signatures?.stop();
    this.realCase?.stop();
    const dns = this.dnsWatch;
    this.dnsWatch = undefined;
    await dns?.stop().catch(() => undefined);
    // Auditing stays on while the setting is: it is put back when the user turns it off, resets or uninstalls.
    await this.serviceNames.stop();
    const subscription = this.subscription;
    this.subscription = undefined;
    try {
      await subscription?.stop();
      await this.queue.catch(() => undefined);
    } finally {
      if (this.started) await this.rules.flushHits().catch(() => undefined);
      this.publisher.batcher.flush();
      this.publisher.batcher.cancel();
      this.started = false;
      if (this.backendOpen) {
        this.backendOpen = false;
        await this.backend.close();
      }
    }
  }

  get isStarted(): boolean {
    return this.started;
  }

  requireStarted(): void {
    if (!this.started) throw new CoreError('NOT_STARTED', 'Portcullis core is not running; start() it first.');
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

  /** Hands the app's file to the signature and real-case lookups, at most once a second per app. */
  private askAboutFile(appKey: string, event: NetEvent, now: number, record: AppRecord | undefined): void {
    if (event.appPath === undefined) return;
    // Both look a file up again only after a minute (signatures) or never (real case), and asking costs a
    // lower-cased copy of the path and two lookups, on every event of a flood.
    if (record !== undefined) {
      if (now - record.enrichmentAskedAt < ENRICHMENT_ASK_MS) return;
      record.enrichmentAskedAt = now;
    }
    this.signatures?.request(event.appPath, appKey);
    this.realCase?.request(event.appPath, appKey);
  }

  // ---- rules and enforcement ----

  /**
   * The filters WFP should hold; a rule the validator refuses is left out (and reported), never sent to WFP. Built
   * PLAN_STEP rules at a time with a pause between, so that 20,000 rules never hold the main thread in one piece.
   */
  async plan(): Promise<ReturnType<typeof planFilters>> {
    const { mode, essentials } = this.settings;
    const rules = this.rules.all();
    const plan: ReturnType<typeof planFilters> = new Map();
    const invalid = new Map<string, string>();
    for (let start = 0; start < rules.length; start += PLAN_STEP) {
      if (start > 0) await nextTurn();
      const usable: Rule[] = [];
      for (const rule of rules.slice(start, start + PLAN_STEP)) {
        const problem = ruleProblem(rule);
        if (problem === undefined) usable.push(rule);
        else invalid.set(rule.id, problem);
      }
      for (const [tag, spec] of planFilters(mode, usable, [])) plan.set(tag, spec);
    }
    // Essentials and the default block, once (planFilters per rule is independent of the other rules).
    for (const [tag, spec] of planFilters(mode, [], essentials)) plan.set(tag, spec);
    this.invalidRules = invalid;
    return plan;
  }

  /**
   * Refuses, with the reason, a rule that could not become its filter: what the validator refuses, and what WFP
   * would refuse now (a drive that is not present, a network drive). Every way a rule comes in passes here.
   */
  checkRuleInput(draft: RuleDraft): void {
    requireValidRule(draft);
    if (!this.backendOpen) return;
    const spec = ruleSpec({ ...draft, id: 'new', created: 0 });
    const service = draft.app.kind === 'service' ? draft.app.serviceName : undefined;
    const reason =
      (spec && this.backend.checkFilter?.(spec)) ||
      (service !== undefined ? serviceRuleRefusal(service, this.backend.services) : undefined);
    if (reason) {
      throw new CoreError('INVALID_ARGUMENT', `Rule for ${draft.app.displayName} refused: ${reason}.`);
    }
  }

  /** Publishes which rules are not enforced, and tells the user about the ones that just became so. */
  private noteEnforcement(): void {
    const next = new Map(this.invalidRules);
    for (const { source, reason } of this.enforcer.notEnforced()) {
      if (source.kind === 'rule') next.set(source.id, reason);
      else if (source.kind === 'essential') {
        this.publisher.notice('warning', `The essential "${source.id}" is not enforced: ${reason}.`);
      }
    }
    const fresh: string[] = [];
    for (const [id, reason] of next) {
      if (this.notEnforcedRules.get(id) !== reason) {
        this.publisher.markRule(id);
        const rule = this.rules.get(id);
        if (rule) fresh.push(`${rule.app.displayName} (${reason})`);
      }
    }
    for (const id of this.notEnforcedRules.keys()) if (!next.has(id)) this.publisher.markRule(id);
    this.notEnforcedRules = next;
    if (fresh.length > 0) {
      const shown = fresh.slice(0, 3).join('; ') + (fresh.length > 3 ? `; and ${fresh.length - 3} more` : '');
      this.publisher.notice(
        'warning',
        `${fresh.length === 1 ? 'A rule is' : `${fresh.length} rules are`} kept but not enforced: ${shown}. ` +
          'Edit or remove them in Rules.',
      );
    }
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

  /** BFE restarted and we have a new session: filter ids changed and dynamic objects are gone; apply the rules again. */
  private afterEngineRestart(): Promise<void> {
    return this.serial(async () => {
      this.forgetWfpState();
      this.attribution.forgetAll();
      try {
        await this.backend.setAllowEvents(this.settings.mode === 'learning');
        await this.enforce();
        this.publisher.notice(
          'info',
          'The Base Filtering Engine restarted; Portcullis reconnected and re-applied its rules.',
        );
      } catch {
        // enforce() has published what went wrong.
      }
    });
  }

  /** Another process changed our WFP objects: enumerate them at the next reconcile instead of trusting our picture. */
  forgetWfpState(): void {
    this.enforcer.invalidate();
    this.prepared = false;
  }

  private async ensurePrepared(): Promise<void> {
    if (this.prepared || this.settings.mode === 'off') return;
    await this.backend.ensureProviderAndSublayer();
    this.prepared = true;
  }

  /** Brings WFP to the plan in one transaction; failures are reported and the store stays the truth. */
  async enforce(): Promise<void> {
    this.requireStarted();
    try {
      await this.ensurePrepared();
      await this.enforcer.reconcile(await this.plan());
      this.noteEnforcement();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.publisher.notice('error', `WFP was not updated: ${message}`);
      throw new CoreError('BACKEND_FAILED', `The rules were saved but WFP refused them: ${message}`);
    } finally {
      this.attribution.forgetOurs();
      this.housekeeping.armExpiry();
    }
  }

  /** Applies a rule change: marks it for the next delta, updates the affected apps and closes their decisions. */
  afterRuleChange(change: RuleChange): void {
    for (const rule of change.upserted) {
      this.publisher.markRule(rule.id);
      this.publisher.markApp(rule.app.key);
      this.decisions.forgetOverflow(rule.app.key);
      if (isAppWide(rule)) {
        const closed = this.decisions.closeForApp(rule.app.key);
        if (closed) this.publisher.markDecision(closed);
        this.candidates.take([rule.app.key]);
      }
    }
    for (const id of change.removed) this.publisher.markRule(id);
    for (const key of change.removedAppKeys) this.publisher.markApp(key);
    this.publisher.markStatus();
  }

  /** Adds rules for apps; app-wide rules replace the app's other app-wide rules (allow after block, ...). */
  async addRules(drafts: readonly RuleDraft[], keepIds?: readonly (string | undefined)[]): Promise<Rule[]> {
    for (let i = 0; i < drafts.length; i++) {
      if (i > 0 && i % PLAN_STEP === 0) await nextTurn(); // a large import stays responsive while it is checked
      this.checkRuleInput(drafts[i]!);
    }
    const replaced: string[] = [];
    for (const draft of drafts) {
      const problem = draft.overridesWindowsFirewall ? overrideProblem(draft) : undefined;
      if (problem) throw new CoreError('INVALID_ARGUMENT', `No rule made for ${draft.app.displayName}: ${problem}.`);
    }
    for (const draft of drafts) {
      if (!isAppWide(draft)) continue;
      for (const existing of this.rules.forApp(draft.app.key)) {
        if (isAppWide(existing) && existing.direction !== draft.direction) replaced.push(existing.id);
      }
    }
    let removed: RuleChange = { upserted: [], removed: [], removedAppKeys: [] };
    if (replaced.length > 0) removed = await this.rules.remove(replaced);
    const { rules, change } = await this.rules.add(drafts, keepIds);
    this.afterRuleChange({ ...change, removed: removed.removed, removedAppKeys: removed.removedAppKeys });
    await this.enforce();
    // Said once per service, where Windows holds the rule to only part of what the service does.
    const caveats = new Set(
      rules.map((r) => (r.app.kind === 'service' ? serviceRuleCaveat(r.app.serviceName ?? '') : undefined)),
    );
    for (const caveat of caveats) if (caveat) this.publisher.notice('info', `${caveat}.`);
    return rules;
  }

  async removeRules(ids: readonly string[]): Promise<number> {
    const change = await this.rules.remove(ids);
    this.afterRuleChange(change);
    await this.enforce();
    return change.removed.length;
  }

  /** The identity an app key stands for: as seen in events, decisions, candidates or rules, or built from the key. */
  identityForKey(key: string): AppIdentity {
    const known =
      this.index.get(key)?.identity ??
      this.decisionApp(key) ??
      this.candidates.get(key)?.app ??
      this.rules.forApp(key)[0]?.app;
    if (known) return known;
    if (key === 'system') return SYSTEM_IDENTITY;
    if (key.startsWith('path:')) return identityFromPath(key.slice(5));
    if (key.startsWith('service:')) return this.identities.serviceIdentity(key.slice(8));
    throw new CoreError('NOT_FOUND', `Unknown application ${key}: it has not been seen since Portcullis started.`);
  }

  private decisionApp(key: string): AppIdentity | undefined {
    const id = this.decisions.forApp(key);
    return id === undefined ? undefined : this.decisions.get(id)?.app;
  }

  // ---- undo ----

  /** Runs a decision so that it can be undone: the apps' state before it is kept under `label`. */
  async undoable<T>(
    label: string,
    appKeys: readonly string[],
    work: () => Promise<T>,
  ): Promise<{ result: T; actionId: string }> {
    const before: BeforeState = this.history.capture(appKeys);
    const result = await work();
    return { result, actionId: this.history.record(label, before).id };
  }

  /** Puts the apps of an earlier action back exactly as they were: rules, ignored flags, decision, candidate. */
  async undo(actionId: string): Promise<void> {
    const restored = await this.history.undo(actionId);
    this.afterRuleChange(restored.change);
    for (const key of restored.entry.appKeys) this.publisher.markApp(key);
    for (const id of restored.reopenedDecisions) {
      this.publisher.markDecision(id);
      const deadline = this.decisions.get(id)?.deadline;
      if (deadline !== undefined) this.housekeeping.armDecisionDeadline(deadline);
    }
    await this.enforce();
  }

  // ---- mode and settings ----

  previewMode(mode: Mode): ReturnType<typeof previewMode> {
    return previewMode(mode, {
      index: this.index,
      rulesForApp: (key) => this.rules.forApp(key),
      allRules: () => this.rules.all(),
      essentials: this.settings.essentials,
    });
  }

  async setMode(mode: Mode): Promise<void> {
    this.requireStarted();
    if (mode === this.settings.mode) return;
    const previous = this.settings;
    this.saveSettings({ ...this.settings, mode });
    try {
      await this.backend.setAllowEvents(mode === 'learning');
      await this.enforce();
    } catch (error) {
      // A mode that WFP could not apply is not claimed: go back to the previous one.
      this.saveSettings({ ...this.settings, mode: previous.mode });
      await this.backend.setAllowEvents(previous.mode === 'learning').catch(() => undefined);
      await this.enforce().catch(() => undefined);
      throw error;
    }
    // Decisions belong to Monitor and Enforce; leaving them keeps the inbox but opens no new ones.
    this.publisher.markStatus();
  }

  async updateSettings(patch: Record<string, unknown>): Promise<Settings> {
    const next = mergeSettings(this.settings, patch);
    const modeChanged = next.mode !== this.settings.mode;
    const essentialsChanged = JSON.stringify(next.essentials) !== JSON.stringify(this.settings.essentials);
    const servicesChanged = next.tellServicesApart !== this.settings.tellServicesApart;
    if (modeChanged) await this.setMode(next.mode);
    this.saveSettings(next);
    this.applyRuntimeSettings();
    if (servicesChanged && this.started) await this.syncServiceNames();
    if (essentialsChanged && this.started) await this.enforce();
    return this.settings;
  }

  /** What settings change without WFP: the activity log's size, the delta interval, the timers. */
  applyRuntimeSettings(): void {
    this.activity.resize(this.settings.activityLogSize);
    this.publisher.batcher.setInterval(this.settings.batchIntervalMs);
    if (this.started) this.housekeeping.armAll();
  }

  /** Saves on top of whatever another process wrote meanwhile (merged field by field). */
  saveSettings(next: Settings): void {
    const { saved, ...external } = this.settingsStore.save(next);
    if (external.next || external.problem) this.external.mergedOnSave({}, external, next);
    this.settings = saved;
    this.publisher.markSettings();
  }

  /** Removes every WFP object of ours (filters, sublayer, provider) and switches to Off. */
  async reset(): Promise<void> {
    this.requireStarted();
    await this.backend.setAllowEvents(false);
    await this.backend.removeAllOurs();
    this.enforcer.invalidate();
    this.attribution.forgetOurs();
    this.prepared = false;
    if (this.settings.tellServicesApart) this.saveSettings({ ...this.settings, tellServicesApart: false });
    await this.syncServiceNames(); // puts Windows' audit policy back as Portcullis found it
    if (this.settings.mode !== 'off') this.saveSettings({ ...this.settings, mode: 'off' });
    this.publisher.notice(
      'info',
      'Every WFP filter, sublayer and provider of Portcullis was removed; the mode is Off.',
    );
  }

  /** Starts or stops telling svchost services apart to match the setting (see services/service-setting.ts). */
  private async syncServiceNames(): Promise<void> {
    const result = await syncServiceNames(this.serviceNames, this.settings);
    if (result.settings !== this.settings) this.saveSettings(result.settings);
    if (result.notice) this.publisher.notice(result.notice.level, result.notice.message);
  }

  // ---- what the UI and the commands read ----

  notice(level: Notice['level'], message: string): void {
    this.publisher.notice(level, message);
  }

  status(): Status {
    return this.publisher.status();
  }

  snapshot(): Snapshot {
    return this.publisher.snapshot();
  }

  onDelta(listener: (batch: DeltaBatch) => void): () => void {
    return this.publisher.onDelta(listener);
  }

  onNotification(listener: (request: NotificationRequest) => void): () => void {
    return this.policy.onNotification(listener);
  }

  markDecisionClosed(id: string): void {
    this.publisher.markDecision(id);
  }

  markAppChanged(key: string): void {
    this.publisher.markApp(key);
  }
}
