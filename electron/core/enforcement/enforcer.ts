// Keeps WFP equal to the plan computed from the rule store. At start (and after a reset) it enumerates our filters
// and repairs them: adds what is missing, removes orphans and duplicates. After that it diffs against what it
// applied, so each change costs one transaction and no enumeration.
import type { CoreBackend, TaggedFilter, TaggedFilterSpec } from '../backend/port';
import { parseTag, type TagSource } from './filter-plan';

export interface ReconcileResult {
  readonly added: number;
  readonly removed: number;
}

export class Enforcer {
  /** tag -> filter ids in WFP */
  private applied = new Map<string, number[]>();
  /** filter id -> tag, for "which rule dropped this?" in O(1) */
  private byFilterId = new Map<number, string>();
  private synced = false;

  constructor(private readonly backend: CoreBackend) {}

  /** Enumerates our filters and makes WFP match the plan. */
  async reconcileFull(plan: Map<string, TaggedFilterSpec>): Promise<ReconcileResult> {
    const existing = await this.backend.listOurs();
    const remove: number[] = [];
    const present = new Map<string, number[]>();
    const layersSeen = new Set<string>();
    for (const filter of existing) {
      if (!filter.tag || !plan.has(filter.tag) || isDuplicate(filter, layersSeen)) {
        remove.push(filter.filterId);
        continue;
      }
      const ids = present.get(filter.tag) ?? [];
      ids.push(filter.filterId);
      present.set(filter.tag, ids);
    }
    this.applied = present;
    this.rebuildIndex();
    this.synced = true;
    return this.applyDiff(plan, remove);
  }

  /** Makes WFP match the plan in one transaction, from what this process applied. */
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
    const add: TaggedFilterSpec[] = [];
    for (const [tag, spec] of plan) if (!this.applied.has(tag)) add.push(spec);
    if (add.length === 0 && remove.length === 0) return { added: 0, removed: 0 };
    let result: { added: number[][] };
    try {
      result = await this.backend.apply({ add, remove });
    } catch (error) {
      // The transaction was aborted, so WFP is as it was; enumerate next time rather than trust our picture.
      this.invalidate();
      throw error;
    }
    const removedSet = new Set(remove);
    for (const [tag, ids] of this.applied) {
      const kept = ids.filter((id) => !removedSet.has(id));
      if (kept.length === 0) this.applied.delete(tag);
      else this.applied.set(tag, kept);
    }
    add.forEach((spec, i) => this.applied.set(spec.tag, result.added[i] ?? []));
    this.rebuildIndex();
    return { added: add.length, removed: remove.length };
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
