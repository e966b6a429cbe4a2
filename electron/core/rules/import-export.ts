// Export writes every lasting rule as one JSON document; import validates it and previews, per rule, exactly what
// would be written: the program's real path, the action, the direction and every condition, with a warning on rules
// that beat an essential or block a part of Windows. Import is all or nothing: one rule with an error and nothing
// is written. The preview carries a token; an import with that token writes what the preview showed, or nothing
// (when the rules changed in between).
import { createHash } from 'node:crypto';
import type { Essential, ImportItem, ImportPreview, Rule } from '../model';
import { EXPORT_FORMAT, exportDocumentSchema, matchKey, RULES_SCHEMA_VERSION, ruleSchema } from './schema';
import type { RuleStore } from './rule-store';
import { upgradeRuleV1 } from './upgrade';

/** Items sent with a preview: enough to review, bounded so that a 100,000-rule file stays far below the IPC limit. */
export const PREVIEW_ITEMS = 2_000;

export function exportRules(rules: readonly Rule[], now: number): string {
  const lasting = rules.filter((r) => r.duration.kind !== 'untilRestart');
  return `${JSON.stringify({ format: EXPORT_FORMAT, schemaVersion: RULES_SCHEMA_VERSION, exported: now, rules: lasting }, null, 2)}\n`;
}

export interface ImportPlan {
  readonly preview: ImportPreview;
  /** Rules to write, each with the id it will have (an existing rule it replaces keeps its id). */
  readonly toWrite: readonly Rule[];
}

/** Why a rule cannot be applied as it stands (the validator, and WFP's view of its drive), or undefined. */
export type RuleCheck = (rule: Rule) => string | undefined;

export interface ImportContext {
  readonly store: RuleStore;
  readonly now: number;
  readonly check?: RuleCheck;
  readonly essentials?: readonly Essential[];
}

/** Rules checked between two pauses: a 100,000-rule file never holds the main thread for long. */
const RULES_PER_STEP = 500;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function planImport(
  json: string,
  context: ImportContext,
  pause: () => Promise<void> = nextTurn,
): Promise<ImportPlan> {
  const { store, now, check = () => undefined, essentials = [] } = context;
  await pause(); // joining an uploaded file's pieces was one piece of work; parsing it is the next
  if (json.includes('\0')) return failed('The file contains a NUL character; it is not a Portcullis rules export.');
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    return failed(`The file is not valid JSON: ${(error as Error).message.slice(0, 200)}`);
  }
  const doc = exportDocumentSchema.safeParse(raw);
  if (!doc.success) {
    const issue = doc.error.issues[0];
    return failed(
      `The file is not a Portcullis rules export (${issue?.path.join('.') || 'document'}: ${issue?.message ?? 'mismatch'}).`,
    );
  }
  await pause(); // parsing a large file is one piece of work: the checks start on the next turn
  const errors: string[] = [];
  const added: Rule[] = [];
  const replaced: Rule[] = [];
  const toWrite: Rule[] = [];
  const items: ImportItem[] = [];
  const seen = new Set<string>();
  // The token covers every rule to write, hashed as it is planned (one hash of the whole list held the thread).
  const token = createHash('sha256');
  const write = (rule: Rule): void => {
    toWrite.push(rule);
    token.update(`${JSON.stringify(rule)}\n`);
  };
  let unchanged = 0;
  // An export written before rules had a local port is read the way the store upgrades it.
  const candidates = doc.data.schemaVersion === 1 ? doc.data.rules.flatMap(upgradeRuleV1) : doc.data.rules;
  for (let index = 0; index < candidates.length; index++) {
    if (index > 0 && index % RULES_PER_STEP === 0) await pause();
    const candidate = candidates[index];
    const parsed = ruleSchema.safeParse(candidate);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      errors.push(`rule ${index + 1}: ${issue?.path.join('.') || 'rule'}: ${issue?.message ?? 'invalid'}`);
      continue;
    }
    const rule = parsed.data as Rule;
    const problem = check(rule);
    if (problem !== undefined) {
      errors.push(`rule ${index + 1} (${rule.app.displayName || rule.app.key}): ${problem}`);
      continue;
    }
    if (rule.duration.kind === 'until' && rule.duration.until <= now) {
      errors.push(
        `rule ${index + 1} (${rule.app.displayName}): it expired on ${new Date(rule.duration.until).toISOString()}`,
      );
      continue;
    }
    const key = matchKey(rule);
    if (seen.has(key)) {
      errors.push(`rule ${index + 1} (${rule.app.displayName}): the file has two rules for the same traffic`);
      continue;
    }
    seen.add(key);
    const existing = store.findByMatch(key);
    const warning = overrideWarning(rule, essentials);
    if (existing) {
      if (sameDecision(existing, rule)) {
        unchanged++;
        continue;
      }
      const next: Rule = { ...rule, id: existing.id, source: 'import' };
      replaced.push(existing);
      write(next);
      items.push({ rule: next, replaces: existing, ...(warning ? { warning } : {}) });
      continue;
    }
    const idTaken = store.get(rule.id) !== undefined;
    const next: Rule = { ...rule, source: 'import', ...(idTaken ? { id: '' } : {}) };
    added.push(next);
    write(next);
    items.push({ rule: next, ...(warning ? { warning } : {}) });
  }
  token.update(JSON.stringify([replaced.map((r) => r.id), errors]));
  return {
    preview: {
      added: added.slice(0, PREVIEW_ITEMS),
      replaced: replaced.slice(0, PREVIEW_ITEMS),
      unchanged,
      errors: errors.slice(0, PREVIEW_ITEMS),
      items: boundedItems(items),
      counts: { added: added.length, replaced: replaced.length, errors: errors.length },
      commit: 'all-or-nothing',
      token: token.digest('hex').slice(0, 32),
    },
    toWrite,
  };
}

/** Every flagged item, then the others in file order, up to PREVIEW_ITEMS. */
function boundedItems(items: ImportItem[]): ImportItem[] {
  if (items.length <= PREVIEW_ITEMS) return items;
  const flagged = items.filter((i) => i.warning !== undefined).slice(0, PREVIEW_ITEMS);
  const rest = items.filter((i) => i.warning === undefined).slice(0, PREVIEW_ITEMS - flagged.length);
  return [...flagged, ...rest];
}

const WINDOWS_FOLDER = /^[a-z]:\\windows\\/i;
// Folders other programs can write to (shared, or temporary): a program there can be swapped for another one.
const SHARED_WRITABLE =
  /^[a-z]:\\(users\\public\\|programdata\\|windows\\temp\\|temp\\|users\\[^\\]+\\appdata\\local\\temp\\)/i;

/**
 * Why an imported rule deserves a second look, or undefined: it blocks what an essential allows (DNS, DHCP...),
 * blocks the kernel or a part of Windows, or allows a program in a folder where another program could replace it.
 */
export function overrideWarning(rule: Rule, essentials: readonly Essential[]): string | undefined {
  const app = rule.app;
  const path = app.path ?? '';
  if (rule.action === 'block') {
    if (app.kind === 'system') return 'blocks System, the Windows kernel (file sharing, network discovery…)';
    const service = app.serviceName?.toLowerCase();
    const essential = essentials.find(
      (e) =>
        e.enabled &&
        ((service !== undefined && e.services?.some((s) => s.toLowerCase() === service)) ||
          (app.kind !== 'service' && e.appPath !== '*' && e.appPath.toLowerCase() === path.toLowerCase())),
    );
    if (essential) return `overrides the essential "${essential.name}": ${essential.description}`;
    if (service !== undefined) return `blocks the Windows service ${service}`;
    if (WINDOWS_FOLDER.test(path)) return `blocks a Windows component (${path})`;
    return undefined;
  }
  if (SHARED_WRITABLE.test(path)) return `allows a program in a folder other programs can write to (${path})`;
  if (rule.overridesWindowsFirewall)
    return "overrides Windows Defender Firewall's blocks for this program, and those of any other firewall or VPN kill switch";
  return undefined;
}

function sameDecision(a: Rule, b: Rule): boolean {
  return (
    a.action === b.action &&
    JSON.stringify(a.duration) === JSON.stringify(b.duration) &&
    (a.note ?? '') === (b.note ?? '')
  );
}

function failed(message: string): ImportPlan {
  return {
    preview: {
      added: [],
      replaced: [],
      unchanged: 0,
      errors: [message],
      items: [],
      counts: { added: 0, replaced: 0, errors: 1 },
      commit: 'all-or-nothing',
    },
    toWrite: [],
  };
}
