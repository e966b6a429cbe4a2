// A rules import as previewed before anything is written, and as answered after.
import type { Rule } from './rules';

/** One rule of an import as it will be written, with the rule it replaces and why it deserves a second look. */
export interface ImportItem {
  readonly rule: Rule;
  readonly replaces?: Rule;
  /** It beats an essential, blocks a part of Windows, or allows a program in a folder others can write to. */
  readonly warning?: string;
}

export interface ImportPreview {
  /** At most 2,000 of each; `counts` has the totals. */
  readonly added: readonly Rule[];
  readonly replaced: readonly Rule[];
  readonly unchanged: number;
  readonly errors: readonly string[];
  /** Per rule, exactly what would be written: flagged ones first, then the others, at most 2,000. */
  readonly items?: readonly ImportItem[];
  readonly counts?: { readonly added: number; readonly replaced: number; readonly errors: number };
  /** Import writes every rule or none: one rule with an error and nothing is written. */
  readonly commit?: 'all-or-nothing';
  /** Identifies what this preview showed; an import with it writes exactly that, or nothing if the rules changed. */
  readonly token?: string;
  /** In the answer to an import: how many rules were written (0 when an error stopped it). */
  readonly imported?: number;
}
