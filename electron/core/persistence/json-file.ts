// A JSON document on disk that survives crashes: every save writes a temporary file, flushes it to disk and renames
// it over the old one (a crash leaves the old or the new document, never a torn one). The previous good document is
// kept as a rolling backup; a document that fails to parse or validate is moved aside, reported, and the backup is
// loaded in its place.
//
// Another process (the `portcullis` command next to the running app) may replace the document at any time. The file
// remembers what it last read or wrote (size, mtime, inode and the text itself), so that its owner can tell "someone
// else changed this" from "this is what I wrote" and merge instead of overwriting.
import { copyFileSync, readFileSync, renameSync, statSync, mkdirSync, type Stats } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { z } from 'zod';
import type { Clock } from '../util/runtime';
import {
  removeStrayTemps,
  sameFile,
  signatureOf,
  writeAtomic,
  writeAtomicAsync,
  type DiskSignature,
} from './atomic-write';
import { documentWrites } from './document-write';
import { asidePath, checkDocument, readDocument, salvageDocument, type Salvage } from './document-read';
import { decodeDocument } from './document-text';
import { FileLock, type FileLockOptions } from './file-lock';

export interface JsonFileHooks {
  /** Called after the temporary file is durable and before it replaces the document (tests force a crash here). */
  beforeRename?(tempPath: string): void;
  /** How long to wait for another process's lock, and when a lock is stale. */
  lock?: FileLockOptions;
}

export interface LoadResult<T> {
  readonly value: T;
  readonly source: 'file' | 'backup' | 'defaults';
  /** What the user should be told (corrupt file set aside, backup loaded, ...). */
  readonly problems: readonly string[];
  /** Where the unreadable document was moved or copied, when it was. */
  readonly setAside?: string;
}

/** What another process left in the document since this process last read or wrote it. */
export type DiskChange<T> =
  | { readonly kind: 'none' }
  | { readonly kind: 'changed'; readonly value: T }
  /** Unreadable: it was set aside and the document in use written back; `problem` says so for the user. */
  | { readonly kind: 'invalid'; readonly problem: string };

/** A document's text as peekText() found it, with what identifies that version on disk. */
export interface PeekedText {
  readonly text: string;
  readonly signature: DiskSignature;
}

export class JsonFile<T> {
  readonly backupPath: string;
  /** Held around every read-merge-write, by this process and by any other that opens the same document. */
  readonly lock: FileLock;
  private lastGoodText: string | undefined;
  /** The document at `path` as this process last read or wrote it. */
  private seen: DiskSignature | undefined;
  /** An asynchronous save is writing the document and its backup now. */
  private writing = false;

  constructor(
    readonly path: string,
    private readonly schema: z.ZodType<T>,
    private readonly defaults: () => T,
    private readonly clock: Clock,
    private readonly hooks: JsonFileHooks = {},
    /** Keeps what is good in a document that fails validation (field by field, rule by rule), saying what was not. */
    private readonly salvage?: Salvage<T>,
  ) {
    this.backupPath = `${path}.bak`;
    this.lock = new FileLock(`${path}.lock`, hooks.lock);
  }

  /** Runs `work` (read, merge, write) while no other process can do the same to this document. */
  locked<R>(work: () => R): R {
    return this.lock.run(work);
  }

  /** locked() for work that awaits (saveTextAsync): other processes wait until it settles. */
  lockedAsync<R>(work: () => Promise<R>): Promise<R> {
    return this.lock.runAsync(work);
  }

  /** Forgets what was last read or written, so that the next readChange reads the document again (after a failed save). */
  forgetSeen(): void {
    this.seen = undefined;
  }

  load(): LoadResult<T> {
    mkdirSync(dirname(this.path), { recursive: true });
    return this.locked(() => this.loadLocked());
  }

  private loadLocked(): LoadResult<T> {
    removeStrayTemps([this.path, this.backupPath]);
    const problems: string[] = [];
    let setAside: string | undefined;
    const name = basename(this.path);
    const found = readDocument(this.path, this.clock, problems);
    if (found !== undefined) {
      const parsed = checkDocument(found.text, this.schema);
      if (parsed.ok) {
        this.lastGoodText = found.text;
        this.seen = signatureOf(statSync(this.path), found.text);
        if (found.reencoded) this.save(parsed.value); // written back as UTF-8 without a BOM
        return { value: parsed.value, source: 'file', problems };
      }
      const salvaged = salvageDocument(found.text, this.schema, this.salvage);
      const aside = asidePath(this.path, 'corrupt', this.clock);
      // The backup stays the last good document: saving what was salvaged must not overwrite it.
      if (salvaged) this.lastGoodText = readDocument(this.backupPath, this.clock, [])?.text;
      if (salvaged && salvaged.problems.length === 0) {
        this.save(salvaged.value); // only defaults added for missing fields: nothing to report
        return { value: salvaged.value, source: 'file', problems };
      }
      if (salvaged) {
        // Part of it is good: keep that, set the original aside for the rest, and say what was left out.
        copyFileSync(this.path, aside);
        problems.push(...salvaged.problems.map((p) => `${name}: ${p}`));
        problems.push(`The original ${name} was kept as ${basename(aside)}.`);
        this.save(salvaged.value);
        return { value: salvaged.value, source: 'file', problems, setAside: aside };
      }
      renameSync(this.path, aside);
      setAside = aside;
      problems.push(`${name} could not be read (${parsed.error}); it was moved to ${basename(aside)}.`);
    }
    const backup = readDocument(this.backupPath, this.clock, problems);
    if (backup !== undefined) {
      const parsed = checkDocument(backup.text, this.schema);
      if (parsed.ok) {
        if (problems.length === 0) problems.push(`${name} was missing; its backup was loaded.`);
        else problems.push(`The backup ${basename(this.backupPath)} was loaded instead.`);
        this.lastGoodText = backup.text;
        this.seen = writeAtomic(this.path, backup.text);
        return { value: parsed.value, source: 'backup', problems, ...(setAside ? { setAside } : {}) };
      }
      problems.push(
        `The backup ${basename(this.backupPath)} is unusable too (${parsed.error}); starting from defaults.`,
      );
    } else if (problems.length > 0) {
      problems.push('No backup exists; starting from defaults.');
    }
    return { value: this.defaults(), source: 'defaults', problems, ...(setAside ? { setAside } : {}) };
  }

  save(value: T): void {
    this.locked(() => this.saveLocked(value));
  }

  /**
   * Saves a document its owner has already checked against the schema and serialised, in steps (a document too
   * large to check and serialise in one piece of main-thread work): `text` must be exactly what save() would write.
   */
  saveText(text: string): void {
    this.locked(() => this.writeDocument(text));
  }

  /** saveText with the bytes written off the main thread (a document of megabytes); the lock is held throughout. */
  saveTextAsync(text: string): Promise<void> {
    return this.lockedAsync(() => this.writeDocumentAsync(text));
  }

  private saveLocked(value: T): void {
    const checked = this.schema.parse(value);
    this.writeDocument(`${JSON.stringify(checked, null, 2)}\n`);
  }

  private writeDocument(text: string): void {
    this.refuseWhileWriting();
    for (const write of documentWrites(this.path, this.backupPath, this.lastGoodText, text, this.hooks.beforeRename)) {
      const signature = writeAtomic(write.path, write.text, write.beforeRename);
      if (write.path === this.path) this.seen = signature;
    }
    this.lastGoodText = text;
  }

  private async writeDocumentAsync(text: string): Promise<void> {
    this.refuseWhileWriting();
    this.writing = true;
    try {
      for (const write of documentWrites(
        this.path,
        this.backupPath,
        this.lastGoodText,
        text,
        this.hooks.beforeRename,
      )) {
        const signature = await writeAtomicAsync(write.path, write.text, write.beforeRename);
        if (write.path === this.path) this.seen = signature;
      }
      this.lastGoodText = text;
    } finally {
      this.writing = false;
    }
  }

  /**
   * While an asynchronous save is in flight, this process holds the lock and anything of its own enters it as
   * re-entrant (FileLock.runAsync): a second writer would interleave with the first. The owner queues its writes;
   * one that does not is a bug, and is told so instead of tearing the document and its backup.
   */
  private refuseWhileWriting(): void {
    if (this.writing) throw new Error(`${basename(this.path)} is being saved by this process; save again after it.`);
  }

  /**
   * Whether another process replaced the document since this one last read or wrote it, and with what. Cheap when
   * nothing changed (one stat). A missing document is not a change: the next save writes it again. An unreadable one
   * is set aside like at load and the document in use is written back, so that the next reader (this process or
   * another) finds a good one rather than falling back to an older backup.
   */
  readChange(): DiskChange<T> {
    return this.locked(() => this.readChangeLocked());
  }

  /**
   * The text another process left in the document since this one last read or wrote it, for an owner that checks a
   * large document in steps; undefined when there is none (one stat when nothing changed). Nothing is taken in until
   * acceptText(); an owner that finds the text unreadable calls readChange(), which sets it aside.
   */
  peekText(): PeekedText | undefined {
    return this.locked(() => {
      let stats: Stats;
      let text: string;
      try {
        stats = statSync(this.path);
        if (this.seen && sameFile(this.seen, stats)) return undefined;
        text = decodeDocument(readFileSync(this.path)).text;
      } catch {
        return undefined; // missing, or replaced again while reading: the next look sees the final one
      }
      const signature = signatureOf(stats, text);
      if (this.seen && this.seen.text === signature.text) {
        this.seen = signature;
        return undefined;
      }
      return { text, signature };
    });
  }

  /** Takes in a text from peekText() that its owner checked: it is now what this process last read. */
  acceptText(peeked: PeekedText): void {
    this.seen = peeked.signature;
    this.lastGoodText = peeked.text;
  }

  private readChangeLocked(): DiskChange<T> {
    let stats: Stats;
    try {
      stats = statSync(this.path);
    } catch {
      return { kind: 'none' };
    }
    const seen = this.seen;
    if (seen && sameFile(seen, stats)) return { kind: 'none' };
    let text: string;
    try {
      text = decodeDocument(readFileSync(this.path)).text;
    } catch {
      return { kind: 'none' }; // replaced again while reading; the next check sees the final one
    }
    const signature = signatureOf(stats, text);
    if (seen && seen.text === signature.text) {
      this.seen = signature;
      return { kind: 'none' };
    }
    const parsed = checkDocument(text, this.schema);
    if (parsed.ok) {
      this.seen = signature;
      this.lastGoodText = text;
      return { kind: 'changed', value: parsed.value };
    }
    const name = basename(this.path);
    let problem = `${name} was changed by another program but could not be read (${parsed.error}); `;
    try {
      const aside = asidePath(this.path, 'corrupt', this.clock);
      renameSync(this.path, aside);
      if (this.lastGoodText !== undefined) this.seen = writeAtomic(this.path, this.lastGoodText);
      problem += `it was moved to ${basename(aside)} and the version in use was kept.`;
    } catch (error) {
      // Still held open by its writer (Windows refuses the rename); remember it so that it is reported once.
      this.seen = signature;
      problem += `the version in use was kept (${(error as Error).message}).`;
    }
    return { kind: 'invalid', problem };
  }
}
