// Changes to the mode and the settings, and what each must carry along: a mode WFP could not apply is not claimed,
// essentials reach WFP, the audit policy follows "tell services apart", the log size and timers follow at once, and
// every save is merged with what another process wrote meanwhile. Reset (remove everything of ours, mode Off) too.
import type { Mode, Settings } from '../model';
import { mergeSettings } from '../settings/schema';
import { syncServiceNames } from '../services/service-setting';
import type { CoreState } from './core';
import { previewMode } from './mode-preview';

export class SettingsChanges {
  constructor(private readonly core: CoreState) {}

  previewMode(mode: Mode): ReturnType<typeof previewMode> {
    const core = this.core;
    return previewMode(mode, {
      index: core.index,
      rulesForApp: (key) => core.rules.forApp(key),
      allRules: () => core.rules.all(),
      essentials: core.settings.essentials,
    });
  }

  async setMode(mode: Mode): Promise<void> {
    const core = this.core;
    core.lifeCycle.requireStarted();
    if (mode === core.settings.mode) return;
    const previous = core.settings;
    this.save({ ...core.settings, mode });
    try {
      await core.backend.setAllowEvents(mode === 'learning');
      await core.wfp.enforce();
    } catch (error) {
      // A mode that WFP could not apply is not claimed: go back to the previous one.
      this.save({ ...core.settings, mode: previous.mode });
      await core.backend.setAllowEvents(previous.mode === 'learning').catch(() => undefined);
      await core.wfp.enforce().catch(() => undefined);
      throw error;
    }
    // Decisions belong to Monitor and Enforce; leaving them keeps the inbox but opens no new ones.
    core.publisher.markStatus();
  }

  async update(patch: Record<string, unknown>): Promise<Settings> {
    const core = this.core;
    const next = mergeSettings(core.settings, patch);
    const modeChanged = next.mode !== core.settings.mode;
    const essentialsChanged = JSON.stringify(next.essentials) !== JSON.stringify(core.settings.essentials);
    const servicesChanged = next.tellServicesApart !== core.settings.tellServicesApart;
    if (modeChanged) await this.setMode(next.mode);
    this.save(next);
    this.applyRuntime();
    if (servicesChanged && core.lifeCycle.isStarted) await this.syncServiceNames();
    if (essentialsChanged && core.lifeCycle.isStarted) await core.wfp.enforce();
    return core.settings;
  }

  /** What settings change without WFP: the activity log's size, the delta interval, the timers. */
  applyRuntime(): void {
    const core = this.core;
    core.activity.resize(core.settings.activityLogSize);
    core.publisher.batcher.setInterval(core.settings.batchIntervalMs);
    if (core.lifeCycle.isStarted) core.housekeeping.armAll();
  }

  /** Saves on top of whatever another process wrote meanwhile (merged field by field). */
  save(next: Settings): void {
    const core = this.core;
    const { saved, ...external } = core.settingsStore.save(next);
    if (external.next || external.problem) core.external.mergedOnSave({}, external, next);
    core.settings = saved;
    core.publisher.markSettings();
  }

  /** Removes every WFP object of ours (filters, sublayer, provider) and switches to Off. */
  async reset(): Promise<void> {
    const core = this.core;
    core.lifeCycle.requireStarted();
    await core.wfp.removeAllOurs();
    if (core.settings.tellServicesApart) this.save({ ...core.settings, tellServicesApart: false });
    await this.syncServiceNames(); // puts Windows' audit policy back as Portcullis found it
    if (core.settings.mode !== 'off') this.save({ ...core.settings, mode: 'off' });
    core.publisher.notice(
      'info',
      'Every WFP filter, sublayer and provider of Portcullis was removed; the mode is Off.',
    );
  }

  /** Starts or stops telling svchost services apart to match the setting (see services/service-setting.ts). */
  async syncServiceNames(): Promise<void> {
    const core = this.core;
    const result = await syncServiceNames(core.serviceNames, core.settings);
    if (result.settings !== core.settings) this.save(result.settings);
    if (result.notice) core.publisher.notice(result.notice.level, result.notice.message);
  }
}
