// Reads a rules file and asks core for its preview. A file above one message's size (the app's own export of
// 100,000 rules is about 22 MB) goes to core in pieces first; the preview and the import then name the upload.
import type { ImportPreview } from '../../../../electron/core/model';
import { act } from '../../components/act';

/** Characters per message: far below Electron's IPC limit whatever the characters are. */
const PIECE_CHARS = 4 * 1024 * 1024;
export const MAX_IMPORT_BYTES = 256 * 1024 * 1024;

export type ImportSource = { readonly json: string } | { readonly uploadId: string };

export async function previewFile(file: File): Promise<{ source: ImportSource; preview: ImportPreview } | undefined> {
  const text = await file.text();
  let source: ImportSource = { json: text };
  if (text.length > PIECE_CHARS) {
    const uploadId = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) =>
      b.toString(16).padStart(2, '0'),
    ).join('');
    const count = Math.ceil(text.length / PIECE_CHARS);
    for (let index = 0; index < count; index++) {
      const piece = text.slice(index * PIECE_CHARS, (index + 1) * PIECE_CHARS);
      if (!(await act('rules.uploadImport', { uploadId, index, count, text: piece }))) return undefined;
    }
    source = { uploadId };
  }
  const preview = await act('rules.previewImport', source);
  return preview ? { source, preview } : undefined;
}
