// The notices the user should read (a rule not enforced, WFP refusing a change, names not available), shown with
// the status. The same notice again is counted on the one already shown rather than listed twice, and only the
// latest MAX_NOTICES are kept, so a failure that repeats all day stays one line.
import type { Notice } from '../model';
import type { Clock, IdSource } from '../util/runtime';

const MAX_NOTICES = 50;

export class Notices {
  private notices: Notice[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly ids: IdSource,
  ) {}

  /** Adds a notice; the same notice again moves to the end with its count, instead of a second copy. */
  add(level: Notice['level'], message: string): void {
    const time = this.clock.now();
    const index = this.notices.findIndex((n) => n.level === level && n.message === message);
    if (index >= 0) {
      const same = this.notices[index]!;
      this.notices.splice(index, 1);
      this.notices.push({ ...same, time, count: (same.count ?? 1) + 1 });
    } else {
      this.notices.push({ id: this.ids(), time, level, message });
    }
    if (this.notices.length > MAX_NOTICES) this.notices = this.notices.slice(-MAX_NOTICES);
  }

  /** False when no notice has that id (dismissed already). */
  dismiss(id: string): boolean {
    const before = this.notices.length;
    this.notices = this.notices.filter((n) => n.id !== id);
    return this.notices.length !== before;
  }

  /** A copy, for a status that must not change when a notice comes later. */
  list(): Notice[] {
    return [...this.notices];
  }
}
