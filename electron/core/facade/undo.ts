// Undo for decisions: before a decision changes anything, the state of the apps it touches is kept (their rules,
// ignored flags, open decision, learning candidate); undo puts exactly that back. The most recent actions stay
// listed, each undoable once.
import type { HistoryEntry, Rule } from '../model';
import type { ClosedDecision, PendingDecisions } from '../decisions/pending';
import type { CandidateMemo, LearningCandidates } from '../learning/candidates';
import type { RuleChange, RuleStore } from '../rules/rule-store';
import { CoreError } from '../util/errors';
import type { Clock, IdSource } from '../util/runtime';

export const HISTORY_SIZE = 50;

interface AppMemo {
  readonly key: string;
  readonly rules: readonly Rule[];
  readonly ignored: boolean;
  readonly decision: ClosedDecision | undefined;
  readonly candidate: CandidateMemo | undefined;
}

interface Action {
  entry: HistoryEntry;
  readonly before: readonly AppMemo[];
}

export interface UndoSources {
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly rules: RuleStore;
  readonly decisions: PendingDecisions;
  readonly candidates: LearningCandidates;
}

export type BeforeState = readonly AppMemo[];

export interface Restored {
  readonly entry: HistoryEntry;
  readonly change: RuleChange;
  readonly reopenedDecisions: readonly string[];
  readonly restoredCandidates: number;
}

export class ActionHistory {
  private actions: Action[] = [];

  constructor(private readonly s: UndoSources) {}

  /** The state of these apps now; call before changing them. */
  capture(appKeys: readonly string[]): BeforeState {
    return [...new Set(appKeys)].map((key) => ({
      key,
      rules: this.s.rules.forApp(key),
      ignored: this.s.rules.isIgnored(key),
      decision: this.s.decisions.memo(key),
      candidate: this.s.candidates.memo(key),
    }));
  }

  record(label: string, before: BeforeState): HistoryEntry {
    const entry: HistoryEntry = {
      id: this.s.ids(),
      time: this.s.clock.now(),
      label,
      appKeys: before.map((m) => m.key),
      undone: false,
    };
    this.actions.push({ entry, before });
    if (this.actions.length > HISTORY_SIZE) this.actions = this.actions.slice(-HISTORY_SIZE);
    return entry;
  }

  list(): HistoryEntry[] {
    return this.actions.map((a) => a.entry).reverse();
  }

  /** Restores the apps of an action as they were before it. The caller enforces the rule change. */
  async undo(id: string): Promise<Restored> {
    const action = this.actions.find((a) => a.entry.id === id);
    if (!action) throw new CoreError('NOT_FOUND', 'That action is no longer in the history; nothing was changed.');
    if (action.entry.undone) throw new CoreError('INVALID_ARGUMENT', `"${action.entry.label}" was already undone.`);
    const ignored = new Set(action.before.filter((m) => m.ignored).map((m) => m.key));
    const change = await this.s.rules.restoreApps(
      action.before.map((m) => m.key),
      action.before.flatMap((m) => m.rules),
      ignored,
    );
    const reopenedDecisions: string[] = [];
    let restoredCandidates = 0;
    for (const memo of action.before) {
      if (memo.decision) {
        const reopened = this.s.decisions.restore(memo.decision);
        if (reopened) reopenedDecisions.push(reopened.id);
      }
      if (memo.candidate && this.s.candidates.restore(memo.candidate)) restoredCandidates++;
    }
    action.entry = { ...action.entry, undone: true };
    return { entry: action.entry, change, reopenedDecisions, restoredCandidates };
  }
}
