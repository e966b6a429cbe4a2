// A rules file larger than one IPC message (the app's own export of 100,000 rules is about 22 MB; Electron refuses
// messages over 20 MB... and the contract caps one at 8 MB) arrives in pieces. One upload at a time, bounded in
// size, joined only when every piece is there.
import { CoreError } from '../util/errors';

export const MAX_IMPORT_CHARS = 256 * 1024 * 1024;
export const MAX_IMPORT_PIECES = 128;

export class ImportUploads {
  private id: string | undefined;
  private pieces: (string | undefined)[] = [];
  private chars = 0;

  /** Stores one piece; a piece of another upload starts over (one upload at a time). */
  receive(uploadId: string, index: number, count: number, text: string): { received: number; complete: boolean } {
    if (count < 1 || count > MAX_IMPORT_PIECES || index < 0 || index >= count) {
      throw new CoreError('INVALID_ARGUMENT', `Piece ${index} of ${count} is out of range.`);
    }
    if (uploadId !== this.id || this.pieces.length !== count) {
      this.id = uploadId;
      this.pieces = new Array<string | undefined>(count).fill(undefined);
      this.chars = 0;
    }
    this.chars += text.length - (this.pieces[index]?.length ?? 0);
    if (this.chars > MAX_IMPORT_CHARS) {
      this.clear();
      throw new CoreError('INVALID_IMPORT', 'The file is larger than 256 MB; it cannot be a Portcullis rules export.');
    }
    this.pieces[index] = text;
    const received = this.pieces.filter((p) => p !== undefined).length;
    return { received, complete: received === count };
  }

  /** The whole text of a complete upload. */
  text(uploadId: string): string {
    if (uploadId !== this.id || this.pieces.some((p) => p === undefined)) {
      throw new CoreError('INVALID_IMPORT', 'The file was not received completely; open it again.');
    }
    return this.pieces.join('');
  }

  clear(): void {
    this.id = undefined;
    this.pieces = [];
    this.chars = 0;
  }
}
