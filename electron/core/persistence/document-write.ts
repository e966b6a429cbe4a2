// What a save of a document writes, in order: the last good text as the backup, then the new text (its own backup
// too when it is the very first, so that even it survives a later corruption). The same for a save written at once
// and for one written off the main thread (json-file.ts).

export interface PlannedWrite {
  readonly path: string;
  readonly text: string;
  /** Called with the temporary file, durable, just before it replaces `path` (tests force a crash there). */
  readonly beforeRename?: (temp: string) => void;
}

export function documentWrites(
  path: string,
  backupPath: string,
  lastGoodText: string | undefined,
  text: string,
  beforeRename?: (temp: string) => void,
): PlannedWrite[] {
  const writes: PlannedWrite[] = [];
  if (lastGoodText !== undefined && lastGoodText !== text) writes.push({ path: backupPath, text: lastGoodText });
  writes.push({ path, text, ...(beforeRename ? { beforeRename } : {}) });
  if (lastGoodText === undefined) writes.push({ path: backupPath, text });
  return writes;
}
