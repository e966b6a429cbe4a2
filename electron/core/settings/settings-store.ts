// settings.json with the same guarantee as the rules: a change another process made (`portcullis mode enforce`
// while the app runs) is merged in field by field, never overwritten by this process's next save.
import type { Settings } from '../model';
import type { JsonFile, LoadResult } from '../persistence/json-file';
import { baseOf, mergeByKey, stableJson } from '../persistence/three-way-merge';
import { settingsSchema } from './schema';

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

  constructor(
    private readonly file: JsonFile<Settings>,
    /** Applied to whatever is read, so that a derived difference never counts as a change of ours. */
    private readonly normalize: (settings: Settings) => Settings,
  ) {}

  load(): LoadResult<Settings> {
    const result = this.file.load();
    const value = this.normalize(result.value);
    this.remember(value);
    return { ...result, value };
  }

  /** `current` with what another process wrote since this one last read or wrote the file. */
  syncFromDisk(current: Settings): ExternalSettings {
    const disk = this.file.readChange();
    if (disk.kind === 'none') return {};
    if (disk.kind === 'invalid') return { problem: disk.problem };
    const theirs = this.normalize(disk.value);
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
        this.file.save(saved);
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
