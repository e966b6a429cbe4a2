// Strings kept by many entries, stored once: each distinct string gets a small number, counted by how many entries
// hold it, and is forgotten when the last one lets go. Number 0 stands for "absent".
export class StringTable {
  private readonly ids = new Map<string, number>();
  private strings: (string | undefined)[] = [undefined];
  private refs: number[] = [0];
  private notes: (string | undefined)[] = [undefined];
  private readonly free: number[] = [];

  /**
   * The string's number, its count raised by one; 0 for undefined. `note` is kept beside it (the latest given wins):
   * an app's display name beside its key.
   */
  acquire(text: string | undefined, note?: string): number {
    if (text === undefined) return 0;
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.free.pop() ?? this.strings.length;
      this.strings[id] = text;
      this.refs[id] = 0;
      this.ids.set(text, id);
    }
    this.refs[id]!++;
    if (note !== undefined) this.notes[id] = note;
    return id;
  }

  /**
   * As acquire, but first tries `hint` (the number this string had last time, kept by whoever holds the string):
   * when that number still holds this very string, no lookup is needed.
   */
  acquireHinted(text: string | undefined, hint: number, note?: string): number {
    if (text === undefined) return 0;
    if (hint === 0 || this.strings[hint] !== text) return this.acquire(text, note);
    this.refs[hint]!++;
    if (note !== undefined) this.notes[hint] = note;
    return hint;
  }

  release(id: number): void {
    if (id === 0) return;
    if (--this.refs[id]! === 0) {
      this.ids.delete(this.strings[id]!);
      this.strings[id] = undefined;
      this.notes[id] = undefined;
      this.free.push(id);
    }
  }

  get(id: number): string | undefined {
    return this.strings[id];
  }

  note(id: number): string | undefined {
    return this.notes[id];
  }

  /** Distinct strings held now. */
  get size(): number {
    return this.ids.size;
  }
}
