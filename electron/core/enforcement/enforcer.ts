// Keeps WFP equal to the plan computed from the rule store. At start (and after a reset) it enumerates our filters
// and repairs them: adds what is missing, removes orphans and duplicates. After that it diffs against what it
// applied, so each change costs one transaction and no enumeration.
//
// One filter that cannot be added must not cost the others: a spec the backend refuses (its drive is gone, its
// package SID is malformed, WFP rejects its conditions) is set aside as "not enforced" with the reason, and the rest
// is applied. A large change runs as several transactions with a pause between them, so that the main thread keeps
// serving the window and the event stream while 20,000 rules go in.
import type { CoreBackend, TaggedFilter, TaggedFilterSpec } from '../backend/port';
import { parseTag, type TagSource } from './filter-plan';

export interface ReconcileResult {
  readonly added: number;
  readonly removed: number;
  /** Specs of the plan that are not in WFP, each with the reason. */
  readonly notEnforced: number;
}

export interface EnforcerOptions {
  /** Filters added or removed per transaction; a change above this is applied in steps. */
  readonly stepSize?: number;
  /** Lets the event loop run between steps. */
  readonly pause?: () => Promise<void>;
}

/** Small enough that one step stays far below 100 ms of main-thread time (measured in bench/rules). */
export const DEFAULT_STEP_SIZE = 250;

// A failure that names one filter (its conditions, its application) rather than the engine (not elevated, BFE gone,
// session aborted): only these are isolated filter by filter, the others fail the change as a whole.
const FILTER_SPECIFIC =
  /^(FWP_E_(INVALID_|INCOMPATIBLE_|TYPE_MISMATCH|OUT_OF_BOUNDS|NULL_POINTER|DUPLICATE_CONDITION|CONDITION_NOT_FOUND|EM_NOT_SUPPORTED|ACTION_INCOMPATIBLE_WITH|LAYER_NOT_FOUND)|ERROR_INVALID_PARAMETER|ERROR_FILE_NOT_FOUND|ERROR_PATH_NOT_FOUND|ERROR_INVALID_NAME)/;

export function isFilterSpecific(error: unknown): boolean {
  if (error instanceof TypeError) return true;
  const symbol = (error as { symbol?: unknown } | null)?.symbol;
  return typeof symbol === 'string' && FILTER_SPECIFIC.test(symbol);
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class Enforcer {
  /** tag -> filter ids in WFP */
  private applied = new Map<string, number[]>();
  /** filter id -> tag, for "which rule dropped this?" in O(1) */
  private byFilterId = new Map<number, string>();
  /** tag -> why its spec is not in WFP */
  private refused = new Map<string, string>();
  private synced = false;
  private readonly stepSize: number;
  private readonly pause: () => Promise<void>;

  constructor(
    private readonly backend: CoreBackend,
    options: EnforcerOptions = {},
  ) {
    this.stepSize = Math.max(1, options.stepSize ?? DEFAULT_STEP_SIZE);
    this.pause = options.pause ?? nextTurn;
  }

  /** Enumerates our filters and makes WFP match the plan. */
  async reconcileFull(plan: Map<string, TaggedFilterSpec>): Promise<ReconcileResult> {
    const existing = await this.backend.listOurs();
    const remove: number[] = [];
    const present = new Map<string, number[]>();
    const layersSeen = new Set<string>();
    for (const filter of existing) {
      const spec = filter.tag === undefined ? undefined : plan.get(filter.tag);
      if (!spec || isDuplicate(filter, layersSeen) || this.onAnotherVolume(filter, spec)) {
        remove.push(filter.filterId);
        continue;
      }
      const ids = present.get(filter.tag!) ?? [];
      ids.push(filter.filterId);
      present.set(filter.tag!, ids);
    }
    this.applied = present;
    this.rebuildIndex();
    this.synced = true;
    return this.applyDiff(plan, remove);
  }

  /**
   * A filter matches the \device\harddiskvolumeN path its program had when it was added, and a tag names the drive
   * letter path: after a partition was added or resized the volume numbers can change, and the filter then matches
   * nothing until it is added again (simplewall recreates all its filters at each install for this reason, src/wfp.c
   * `_wfp_installfilters`). Replaced only when the program's volume is known now and differs: a filter for a drive
   * that is not present (a USB stick) stays as it is.
   */
  private onAnotherVolume(filter: TaggedFilter, spec: TaggedFilterSpec): boolean {
    if (filter.appId === undefined || spec.appPath === undefined) return false;
    const now = this.backend.appIdFor?.(spec.appPath);
    return now !== undefined && now !== filter.appId;
  }

  /** Makes WFP match the plan, from what this process applied. */
  async reconcile(plan: Map<string, TaggedFilterSpec>): Promise<ReconcileResult> {
    if (!this.synced) return this.reconcileFull(plan);
    const remove: number[] = [];
    for (const [tag, ids] of this.applied) if (!plan.has(tag)) remove.push(...ids);
    return this.applyDiff(plan, remove);
  }

  /** Forgets what was applied: the next reconcile enumerates again (after a reset or a failed transaction). */
  invalidate(): void {
    this.synced = false;
    this.applied.clear();
    this.byFilterId.clear();
  }

  /** Specs of the last plan that are not in WFP: their source and the reason. */
  notEnforced(): { source: TagSource; reason: string }[] {
    const out: { source: TagSource; reason: string }[] = [];
    for (const [tag, reason] of this.refused) {
      const source = parseTag(tag);
      if (source) out.push({ source, reason });
    }
    return out;
  }

  sourceOfFilter(filterId: number): TagSource | undefined {
    return parseTag(this.byFilterId.get(filterId));
  }

  isOurs(filterId: number): boolean {
    return this.byFilterId.has(filterId);
  }

  get filterCount(): number {
    return this.byFilterId.size;
  }

  private async applyDiff(plan: Map<string, TaggedFilterSpec>, remove: number[]): Promise<ReconcileResult> {
    for (const tag of this.refused.keys()) if (!plan.has(tag)) this.refused.delete(tag);
    const add: TaggedFilterSpec[] = [];
    let checked = 0;
    for (const [tag, spec] of plan) {
      if (this.applied.has(tag)) continue;
      if (++checked % 1_000 === 0) await this.pause(); // checking 20,000 specs is itself a long task
      const reason = this.backend.checkFilter?.(spec);
      if (reason !== undefined) this.refused.set(tag, reason);
      else add.push(spec);
    }
    const result = { added: 0, removed: 0 };
    // Small changes stay one transaction (all or nothing); large ones go in steps.
    if (add.length + remove.length <= this.stepSize) {
      await this.applyStep(add, remove, result);
    } else {
      for (let i = 0; i < add.length; i += this.stepSize) {
        await this.applyStep(add.slice(i, i + this.stepSize), [], result);
        await this.pause();
      }
      for (let i = 0; i < remove.length; i += this.stepSize) {
        await this.applyStep([], remove.slice(i, i + this.stepSize), result);
        await this.pause();
      }
    }
    return { ...result, notEnforced: this.refused.size };
  }

  /** One transaction; when it fails because of one filter, the others go in without it (halving the step). */
  private async applyStep(
    add: TaggedFilterSpec[],
    remove: number[],
    result: { added: number; removed: number },
  ): Promise<void> {
    if (add.length === 0 && remove.length === 0) return;
    try {
      await this.commit(add, remove);
      result.added += add.length;
      result.removed += remove.length;
      return;
    } catch (error) {
      if (add.length === 0 || !isFilterSpecific(error)) {
        // The transaction was aborted, so WFP is as it was; enumerate next time rather than trust our picture.
        this.invalidate();
        throw error;
      }
      if (add.length === 1 && remove.length === 0) {
        this.refused.set(add[0]!.tag, error instanceof Error ? error.message : String(error));
        return;
      }
    }
    if (remove.length > 0) await this.applyStep([], remove, result);
    const half = Math.ceil(add.length / 2);
    await this.applyStep(add.slice(0, half), [], result);
    await this.applyStep(add.slice(half), [], result);
  }

  private async commit(add: TaggedFilterSpec[], remove: number[]): Promise<void> {
    const { added } = await this.backend.apply({ add, remove });
    // O(removed): the filter-id index says which tag each removed filter served.
    for (const id of remove) {
      const tag = this.byFilterId.get(id);
      this.byFilterId.delete(id);
      const ids = tag === undefined ? undefined : this.applied.get(tag);
      if (tag === undefined || ids === undefined) continue;
      const kept = ids.filter((other) => other !== id);
      if (kept.length === 0) this.applied.delete(tag);
      else this.applied.set(tag, kept);
    }
    add.forEach((spec, i) => {
      const ids = added[i] ?? [];
      this.applied.set(spec.tag, ids);
      this.refused.delete(spec.tag);
      for (const id of ids) this.byFilterId.set(id, spec.tag);
    });
  }

  private rebuildIndex(): void {
    this.byFilterId.clear();
    for (const [tag, ids] of this.applied) for (const id of ids) this.byFilterId.set(id, tag);
  }
}

/** One spec may yield several filters (one per layer); two with the same tag on the same layer are duplicates. */
function isDuplicate(filter: TaggedFilter, seen: Set<string>): boolean {
  const key = `${filter.tag}|${filter.layerKey}`;
  if (seen.has(key)) return true;
  seen.add(key);
  return false;
}
