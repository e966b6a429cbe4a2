// Something that changes whenever a file's content may have changed: its size, modification time and file id (on
// Windows, Node's stat gives the NTFS file index as `ino`). The signature check is trusted for as long as it holds.
import { statSync, type BigIntStats } from 'node:fs';
import { stat } from 'node:fs/promises';

const identityOf = (s: BigIntStats): string => `${s.size}:${s.mtimeNs}:${s.ino}`;

/** undefined when the file cannot be read. From the main thread: libuv's pool does the stat. */
export async function fileIdentity(path: string): Promise<string | undefined> {
  try {
    return identityOf(await stat(path, { bigint: true }));
  } catch {
    return undefined;
  }
}

/** The same, on the calling thread: for the file-lookup thread (native/lookups/worker.ts). */
export function fileIdentityHere(path: string): string | undefined {
  try {
    const s = statSync(path, { bigint: true, throwIfNoEntry: false });
    return s ? identityOf(s) : undefined;
  } catch {
    return undefined;
  }
}
