// Replacing a file so that a crash leaves the old or the new text, never a torn one: a temporary file under an
// unguessable name, flushed to disk, renamed over the target, and the rename itself flushed.
import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import {
  closeSync,
  fstatSync,
  fsyncSync,
  openSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { processAlive } from './file-lock';

/** A temporary file no process is writing any more: its writer is gone, or it is far older than any save. */
const STALE_TEMP_MS = 10 * 60_000;

/** What identifies one version of a file on disk. */
export interface DiskSignature {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ino: number;
  /** The text itself (kept anyway as the last good document): comparing it costs less than hashing megabytes. */
  readonly text: string;
}

/**
 * Writes `text` to `target` by temporary file, flush and rename; returns the signature of what now stands at
 * `target` (rename keeps size, mtime and inode).
 */
export function writeAtomic(target: string, text: string, beforeRename?: (temp: string) => void): DiskSignature {
  const temp = tempPath(target);
  const fd = openSync(temp, 'wx');
  let signature: DiskSignature;
  try {
    writeSync(fd, text);
    fsyncSync(fd);
    signature = signatureOf(fstatSync(fd), text);
  } finally {
    closeSync(fd);
  }
  return putInPlace(target, temp, signature, beforeRename);
}

/**
 * writeAtomic with the bytes written and flushed off the main thread: a document of megabytes (20,000 rules are
 * 9 MB) took 20-200 ms of it on a disk busy with other writes. The rename and the folder's flush stay synchronous
 * (short, and the rename is what makes the new text visible at once).
 */
export async function writeAtomicAsync(
  target: string,
  text: string,
  beforeRename?: (temp: string) => void,
): Promise<DiskSignature> {
  const temp = tempPath(target);
  const file = await open(temp, 'wx');
  let signature: DiskSignature;
  try {
    await file.writeFile(text);
    await file.sync();
    signature = signatureOf(await file.stat(), text);
  } finally {
    await file.close();
  }
  return putInPlace(target, temp, signature, beforeRename);
}

/**
 * A fresh, unguessable name, opened exclusively ('wx') by the caller: the data folder is writable by the user's
 * unelevated programs, and a link planted under a predictable name would redirect this elevated write to any file.
 */
function tempPath(target: string): string {
  return `${target}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
}

/** Renames the written and flushed `temp` over `target` and flushes the rename; on failure removes `temp`. */
function putInPlace(
  target: string,
  temp: string,
  signature: DiskSignature,
  beforeRename?: (temp: string) => void,
): DiskSignature {
  try {
    beforeRename?.(temp);
    renameSync(temp, target);
  } catch (error) {
    // The save failed: its temporary file is ours to remove (no other process removes a live writer's).
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    throw error;
  }
  syncDirectory(dirname(target));
  return signature;
}

/** Removes temporary files of saves of `paths` (all in one folder) that no process is writing any more. */
export function removeStrayTemps(paths: readonly string[]): void {
  const dir = dirname(paths[0]!);
  const prefixes = paths.map((path) => `${basename(path)}.tmp-`);
  for (const name of readdirSync(dir)) {
    const prefix = prefixes.find((p) => name.startsWith(p));
    if (prefix === undefined) continue;
    // Another process's save in flight is its own: only a temp whose writer is gone, or a very old one, is removed.
    const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
    const path = join(dir, name);
    try {
      const old = Date.now() - statSync(path).mtimeMs > STALE_TEMP_MS;
      if (old || pid === process.pid || !processAlive(pid)) unlinkSync(path); // ours: no save of ours is running now
    } catch {
      // Gone meanwhile, or held open; it is never read, so leaving it is harmless.
    }
  }
}

export function signatureOf(stats: Stats, text: string): DiskSignature {
  return { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino, text };
}

/** Every writer replaces the document by rename, which gives it a new inode; size and mtime catch in-place edits. */
export function sameFile(seen: DiskSignature, stats: Stats): boolean {
  return seen.size === stats.size && seen.mtimeMs === stats.mtimeMs && seen.ino === stats.ino;
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
