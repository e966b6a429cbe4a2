// What a change of the rules says to the rest of core (the UI, the enforcer), and the shapes changes are asked in.
import type { Rule } from '../model';
import { RULES_SCHEMA_VERSION, type RulesDocument } from './schema';

export type RuleDraft = Omit<Rule, 'id' | 'created'>;
export type RulePatch = {
  action?: Rule['action'];
  direction?: Rule['direction'];
  protocol?: number | null;
  localPort?: number | null;
  remotePort?: number | null;
  remoteAddress?: string | null;
  overridesWindowsFirewall?: true | null;
  duration?: Rule['duration'];
  note?: string;
};

export interface RuleChange {
  readonly upserted: readonly Rule[];
  readonly removed: readonly string[];
  /** Apps whose removed rules changed their state. */
  readonly removedAppKeys: readonly string[];
}

/** What another process changed in rules.json, as merged into this store. */
export interface ExternalRules {
  readonly change?: RuleChange;
  /** The other process left an unreadable file (set aside; the rules in use were kept). */
  readonly problem?: string;
}

export function emptyRulesDocument(): RulesDocument {
  return { schemaVersion: RULES_SCHEMA_VERSION, rules: [], ignored: [] };
}
