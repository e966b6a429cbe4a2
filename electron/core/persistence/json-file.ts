// A JSON document on disk that survives crashes: every save writes a temporary file, flushes it to disk and renames
// it over the old one (a crash leaves the old or the new document, never a torn one). The previous good document is
// kept as a rolling backup; a document that fails to parse or validate is moved aside, reported, and the backup is
// loaded in its place.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
  mkdirSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { z } from 'zod';
import type { Clock } from '../util/runtime';

export interface JsonFileHooks {
  /** Called after the temporary file is durable and before it replaces the document (tests force a crash here). */
  beforeRename?(tempPath: string): void;
}

export interface LoadResult<T> {
  readonly value: T;
  readonly source: 'file' | 'backup' | 'defaults';
  /** What the user should be told (corrupt file set aside, backup loaded, ...). */
  readonly problems: readonly string[];
}

export class JsonFile<T> {
  readonly backupPath: string;
  private lastGoodText: string | undefined;

  constructor(
    readonly path: string,
    private readonly schema: z.ZodType<T>,
    private readonly defaults: () => T,
    private readonly clock: Clock,
    private readonly hooks: JsonFileHooks = {},
  ) {
    this.backupPath = `${path}.bak`;
  }

  load(): LoadResult<T> {
    mkdirSync(dirname(this.path), { recursive: true });
    this.removeStrayTemps();
    const problems: string[] = [];
    if (existsSync(this.path)) {
      const text = readFileSync(this.path, 'utf8');
      const parsed = this.parse(text);
      if (parsed.ok) {
        this.lastGoodText = text;
        return { value: parsed.value, source: 'file', problems };
      }
      const aside = `${this.path}.corrupt-${new Date(this.clock.now()).toISOString().replace(/[:.]/g, '-')}`;
      renameSync(this.path, aside);
      problems.push(`${basename(this.path)} could not be read (${parsed.error}); it was moved to ${basename(aside)}.`);
    }
    if (existsSync(this.backupPath)) {
      const text = readFileSync(this.backupPath, 'utf8');
      const parsed = this.parse(text);
      if (parsed.ok) {
        if (problems.length === 0) problems.push(`${basename(this.path)} was missing; its backup was loaded.`);
        else problems.push(`The backup ${basename(this.backupPath)} was loaded instead.`);
        this.lastGoodText = text;
        this.writeAtomic(this.path, text);
        return { value: parsed.value, source: 'backup', problems };
      }
      problems.push(
        `The backup ${basename(this.backupPath)} is unusable too (${parsed.error}); starting from defaults.`,
      );
    } else if (problems.length > 0) {
      problems.push('No backup exists; starting from defaults.');
    }
    return { value: this.defaults(), source: 'defaults', problems };
  }

  save(value: T): void {
    const checked = this.schema.parse(value);
    const text = `${JSON.stringify(checked, null, 2)}\n`;
    if (this.lastGoodText !== undefined && this.lastGoodText !== text) {
      this.writeAtomic(this.backupPath, this.lastGoodText);
    }
    this.writeAtomic(this.path, text, this.hooks.beforeRename);
    // The very first document is its own backup, so that even it survives a later corruption.
    if (this.lastGoodText === undefined) this.writeAtomic(this.backupPath, text);
    this.lastGoodText = text;
  }

  private parse(text: string): { ok: true; value: T } | { ok: false; error: string } {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      return { ok: false, error: `not valid JSON: ${(error as Error).message}` };
    }
    const result = this.schema.safeParse(raw);
    if (result.success) return { ok: true, value: result.data };
    const first = result.error.issues[0];
    const where = first?.path.length ? first.path.join('.') : 'document';
    return { ok: false, error: `invalid at ${where}: ${first?.message ?? 'schema mismatch'}` };
  }

  private writeAtomic(target: string, text: string, beforeRename?: (temp: string) => void): void {
    // A fresh, unguessable name opened exclusively ('wx'): the data folder is writable by the user's unelevated
    // programs, and a link planted under a predictable name would redirect this elevated write to any file.
    const temp = `${target}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
    const fd = openSync(temp, 'wx');
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    beforeRename?.(temp);
    renameSync(temp, target);
    syncDirectory(dirname(target));
  }

  private removeStrayTemps(): void {
    const dir = dirname(this.path);
    const prefixes = [`${basename(this.path)}.tmp-`, `${basename(this.backupPath)}.tmp-`];
    for (const name of readdirSync(dir)) {
      if (prefixes.some((p) => name.startsWith(p))) {
        try {
          unlinkSync(join(dir, name));
        } catch {
          // Another process may hold it; it is never read, so leaving it is harmless.
        }
      }
    }
  }
}

/** Makes the rename itself durable. Windows cannot open a directory for flushing; NTFS journals the rename. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Not supported on this platform.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
