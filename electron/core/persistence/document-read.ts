// Reading a document that a person, another program or a crash may have damaged: only a regular file at its name is
// read, its text is checked against the schema with an error a person can act on, and what is good in a document that
// fails the check is salvaged. Nothing unusable is deleted: it is moved aside under a dated name beside the document.
import { lstatSync, readFileSync, renameSync, type Stats } from 'node:fs';
import { basename } from 'node:path';
import type { z } from 'zod';
import type { Clock } from '../util/runtime';
import { decodeDocument } from './document-text';

export interface Salvaged<T> {
  readonly value: T;
  readonly problems: readonly string[];
}

/** Returns undefined when nothing can be kept (the document is not even the right kind of object). */
export type Salvage<T> = (raw: unknown) => Salvaged<T> | undefined;

export type CheckedDocument<T> = { ok: true; value: T } | { ok: false; error: string };

/** Where something unusable at `path` is moved: beside it, named for why and when. */
export function asidePath(path: string, why: 'corrupt' | 'not-a-file', clock: Clock): string {
  return `${path}.${why}-${new Date(clock.now()).toISOString().replace(/[:.]/g, '-')}`;
}

/**
 * The text of a document, or undefined when there is none. Anything at its name that is not a regular file (a
 * folder, a link, a dangling link) is moved aside with a sentence, never followed and never a raw EISDIR.
 */
export function readDocument(
  path: string,
  clock: Clock,
  problems: string[],
): { text: string; reencoded: boolean } | undefined {
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch {
    return undefined;
  }
  if (!stats.isFile()) {
    const what = stats.isDirectory() ? 'a folder' : stats.isSymbolicLink() ? 'a link' : 'not a regular file';
    const aside = asidePath(path, 'not-a-file', clock);
    try {
      renameSync(path, aside);
      problems.push(`${basename(path)} was ${what}, not a file; it was moved to ${basename(aside)}.`);
    } catch (error) {
      problems.push(
        `${basename(path)} is ${what}, not a file, and could not be moved aside (${(error as Error).message}): ` +
          `delete or rename ${path} and start Portcullis again.`,
      );
    }
    return undefined;
  }
  return decodeDocument(readFileSync(path));
}

/** The document in `text` if it is JSON the schema accepts; otherwise the first thing wrong, and where. */
export function checkDocument<T>(text: string, schema: z.ZodType<T>): CheckedDocument<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `not valid JSON: ${(error as Error).message}` };
  }
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, value: result.data };
  const first = result.error.issues[0];
  const where = first?.path.length ? first.path.join('.') : 'document';
  return { ok: false, error: `invalid at ${where}: ${first?.message ?? 'schema mismatch'}` };
}

/** What `salvage` keeps of a document that failed the check, if it is JSON and what is kept passes the schema. */
export function salvageDocument<T>(
  text: string,
  schema: z.ZodType<T>,
  salvage: Salvage<T> | undefined,
): Salvaged<T> | undefined {
  if (!salvage) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  const salvaged = salvage(raw);
  return salvaged && schema.safeParse(salvaged.value).success ? salvaged : undefined;
}
