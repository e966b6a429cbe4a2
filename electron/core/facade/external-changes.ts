// The app and the `portcullis` command may run at the same time on one data folder. Whatever one of them writes to
// rules.json or settings.json, the other takes in: it is merged with this process's state (never overwritten),
// shown in the next delta, and WFP is brought in line by full enumeration, since the other process changed our
// filters too. The data folder is watched; the files are also looked at before every change in core's queue, so a
// change is always made on top of the latest files.
import type { Settings } from '../model';
import { FolderWatcher, type FolderWatchOptions } from '../persistence/folder-watch';
import type { ExternalRules } from '../rules/rule-store';
import { stableJson } from '../persistence/three-way-merge';
import type { ExternalSettings } from '../settings/settings-store';
import type { CoreState } from './core';

const WATCHED = ['rules.json', 'settings.json'];

export class ExternalChanges {
  private watcher: FolderWatcher | undefined;
  private lookQueued = false;
  private resyncNeeded = false;

  constructor(
    private readonly core: CoreState,
    private readonly options: FolderWatchOptions = {},
  ) {}

  start(): void {
    this.watcher ??= new FolderWatcher(this.core.dataDir, WATCHED, this.core.timers, () => this.look(), this.options);
    this.watcher.start();
  }

  stop(): void {
    this.watcher?.stop();
  }

  /**
   * Takes in what other processes wrote and reconciles WFP if they did. Runs in core's change queue (serial runs it
   * before every change), so it never interleaves with a change of this process.
   */
  async sync(): Promise<void> {
    this.lookQueued = false; // this look covers every change made before it starts
    if (!this.core.lifeCycle.isStarted) return;
    const rules = await this.core.rules.syncFromDiskInSteps();
    const settings = this.core.settingsStore.syncFromDisk(this.core.settings);
    this.adopt(rules, settings);
    if (this.resyncNeeded) await this.resyncWfp();
  }

  /** A save found another process's change and merged it in (a change made in the moment before the save). */
  mergedOnSave(rules: ExternalRules, settings: ExternalSettings = {}, savingSettings?: Settings): void {
    this.adopt(rules, settings, savingSettings);
    // The change being saved reconciles WFP fully next; the queued look re-applies the mode's event collection.
    if (this.resyncNeeded && this.core.lifeCycle.isStarted) void this.core.serial(() => undefined);
  }

  private look(): void {
    if (this.lookQueued) return;
    this.lookQueued = true;
    void this.core.serial(() => undefined); // serial looks before running it
  }

  /** `ours`: the settings this process meant to have, to name only what the other process changed. */
  private adopt(rules: ExternalRules, settings: ExternalSettings, ours?: Settings): void {
    const core = this.core;
    for (const problem of [rules.problem, settings.problem]) if (problem) core.publisher.notice('warning', problem);
    if (!rules.change && !settings.next) return;
    if (rules.change) {
      core.ruleChanges.afterChange(rules.change);
      const { upserted, removed } = rules.change;
      if (upserted.length > 0 || removed.length > 0) {
        core.publisher.notice(
          'info',
          `Rules were changed outside this window (the portcullis command or another program): ` +
            `${upserted.length} added or changed, ${removed.length} removed.`,
        );
      }
    }
    if (settings.next) {
      const changed = changedFields(ours ?? core.settings, settings.next);
      core.settings = settings.next;
      core.publisher.markSettings();
      core.settingsChanges.applyRuntime();
      core.publisher.notice('info', `Settings were changed outside this window: ${changed}.`);
    }
    // The other process reconciled WFP to its view: enumerate before the next transaction rather than trust ours.
    core.wfp.forget();
    this.resyncNeeded = true;
  }

  private async resyncWfp(): Promise<void> {
    this.resyncNeeded = false;
    const core = this.core;
    try {
      await core.backend.setAllowEvents(core.settings.mode === 'learning');
    } catch (error) {
      core.publisher.notice(
        'error',
        `Collecting allow events could not be switched for the new mode: ${messageOf(error)}`,
      );
    }
    // enforce() reports a refusal as a notice; the next change retries.
    await core.wfp.enforce().catch(() => undefined);
  }
}

function changedFields(before: Settings, after: Settings): string {
  const names: string[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)]) as Set<keyof Settings>) {
    if (stableJson(before[key]) === stableJson(after[key])) continue;
    names.push(key === 'mode' ? `mode is now ${after.mode}` : key);
  }
  return names.join(', ');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
