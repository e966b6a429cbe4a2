// settings.json with the same guarantee as the rules: a change another process made (`portcullis mode enforce`
// while the app runs) is merged in field by field, never overwritten by this process's next save.
import type { Settings } from '../model';
import type { JsonFile, LoadResult } from '../persistence/json-file';
import { baseOf, mergeByKey, stableJson } from '../persistence/three-way-merge';
import { existsSync, readFileSync } from 'node:fs';
import { decodeDocument } from '../persistence/document-text';
import { settingsSchema } from './schema';
import { enforcesLess, strongestModeIn } from './settings-file';

export interface ExternalSettings {
  /** The settings with the other process's change merged in, when there was one. */
  readonly next?: Settings;
  readonly problem?: string;
}

export interface SavedSettings extends ExternalSettings {
  readonly saved: Settings;
}

export class SettingsStore {
  /** settings.json (normalized) as this process last read or wrote it. */
  private base = new Map<string, string>();
  /** Fields of settings.json this version does not know, as last read. */
  private extras: Record<string, unknown> = {};

  constructor(
    private readonly file: JsonFile<Settings>,
    /** Applied to whatever is read, so that a derived difference never counts as a change of ours. */
    private readonly normalize: (settings: Settings) => Settings,
  ) {}

  load(): LoadResult<Settings> {
    const result = this.file.load();
    let value = this.normalize(this.ours(result.value));
    const problems = [...result.problems];
    if (problems.length > 0) {
      // Whatever went wrong, never come back in a mode that protects less than the one written down.
      const texts = [result.setAside, this.file.backupPath]
        .filter((path): path is string => path !== undefined && existsSync(path))
        .map((path) => decodeDocument(readFileSync(path)).text);
      const stored = strongestModeIn(texts);
      if (stored && enforcesLess(value.mode, stored)) {
        value = { ...value, mode: stored };
        problems.push(`The mode ${stored} written in the damaged settings was kept.`);
        this.file.save({ ...this.extras, ...value });
      }
    }
    this.remember(value);
    return { ...result, value, problems };
  }

  /** Splits off the fields another version added: kept aside, written back with every save. */
  private ours(stored: Settings): Settings {
    const known = new Set(Object.keys(settingsSchema.shape));
    const mine: Record<string, unknown> = {};
    const extras: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(stored)) (known.has(key) ? mine : extras)[key] = value;
    this.extras = extras;
    return mine as unknown as Settings;
  }

  /** `current` with what another process wrote since this one last read or wrote the file. */
  syncFromDisk(current: Settings): ExternalSettings {
    const disk = this.file.readChange();
    if (disk.kind === 'none') return {};
    if (disk.kind === 'invalid') return { problem: disk.problem };
    const theirs = this.normalize(this.ours(disk.value));
    const merged = this.merge(current, theirs);
    this.remember(theirs);
    return stableJson(merged) === stableJson(current) ? {} : { next: merged };
  }

  /** Writes `next` on top of whatever another process wrote meanwhile; `saved` is what is now in force. */
  save(next: Settings): SavedSettings {
    const base = this.base;
    try {
      return this.file.locked(() => {
        const external = this.syncFromDisk(next);
        const saved = external.next ?? next;
        this.file.save({ ...this.extras, ...saved });
        this.remember(saved);
        return { ...external, saved };
      });
    } catch (error) {
      // Nothing was written: the next save measures "changed here" against the same base and reads the file again.
      this.base = base;
      this.file.forgetSeen();
      throw error;
    }
  }

  private merge(mine: Settings, theirs: Settings): Settings {
    const merged = Object.fromEntries(mergeByKey(this.base, fields(mine), fields(theirs), stableJson));
    // Each field is valid on its own and they do not depend on one another; should that change, ours stands.
    const checked = settingsSchema.safeParse(merged);
    return checked.success ? checked.data : mine;
  }

  private remember(settings: Settings): void {
    this.base = baseOf(fields(settings), stableJson);
  }
}

function fields(settings: Settings): Map<string, unknown> {
  return new Map(Object.entries(settings).filter(([, v]) => v !== undefined));
}
