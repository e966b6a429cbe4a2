// The little main keeps of core's state: enough to draw the tray and decide whether the prompt window shows.
// Fed by the snapshot and then by every delta batch; never computes policy.
import type { DeltaBatch, Mode, PendingDecision, Settings, Snapshot, Status } from '../core/model';

export interface ShellView {
  readonly mode: Mode;
  readonly status: Status;
  readonly settings: Settings;
  /** Oldest first. */
  readonly decisions: readonly PendingDecision[];
}

export class ShellState {
  private status: Status;
  private settings: Settings;
  private readonly decisions = new Map<string, PendingDecision>();

  constructor(snapshot: Snapshot) {
    this.status = snapshot.status;
    this.settings = snapshot.settings;
    for (const d of snapshot.decisions) this.decisions.set(d.id, d);
  }

  /** Applies a batch; returns whether anything the tray or prompt window shows has changed. */
  apply(batch: DeltaBatch): boolean {
    let changed = false;
    if (batch.status) {
      this.status = batch.status;
      changed = true;
    }
    if (batch.settings) {
      this.settings = batch.settings;
      changed = true;
    }
    for (const id of batch.closedDecisions ?? []) changed = this.decisions.delete(id) || changed;
    for (const d of batch.decisions ?? []) {
      this.decisions.set(d.id, d);
      changed = true;
    }
    return changed;
  }

  view(): ShellView {
    const decisions = [...this.decisions.values()].sort((a, b) => a.opened - b.opened);
    return { mode: this.status.mode, status: this.status, settings: this.settings, decisions };
  }
}
