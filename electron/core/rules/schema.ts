// The rule store's document on disk (rules.json) and the export format. Versioned; validated on every load.
// Version 2 told the local port from the remote port (see upgrade.ts for what version 1 rules become).
import { z } from 'zod';
import type { AppIdentity, Rule } from '../model';
import { upgradeRulesDocument } from './upgrade';

export const RULES_SCHEMA_VERSION = 2;

export const appIdentitySchema = z
  .object({
    key: z.string().min(1).max(2048),
    kind: z.enum(['path', 'service', 'package', 'system', 'svchost-unknown']),
    displayName: z.string().max(512),
    path: z.string().max(2048).optional(),
    ntPath: z.string().max(2048).optional(),
    serviceName: z.string().max(256).optional(),
    services: z.array(z.string().max(256)).max(64).readonly().optional(),
    packageSid: z.string().max(256).optional(),
  })
  .strict() satisfies z.ZodType<AppIdentity>;

export const ruleDurationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('forever') }).strict(),
  z.object({ kind: z.literal('untilRestart') }).strict(),
  z.object({ kind: z.literal('until'), until: z.number().int().positive() }).strict(),
]);

const port = z.number().int().min(1).max(65_535);

/** Why a rule cannot override Windows Firewall, or undefined when it may. */
export function overrideProblem(rule: Pick<Rule, 'action' | 'app'>): string | undefined {
  if (rule.action !== 'allow') return 'only an allow rule can override Windows Firewall';
  if (rule.app.kind === 'package')
    return "a packaged app's network isolation is Windows' protection of that app: Portcullis never lifts it";
  return undefined;
}

export const ruleSchema = z
  .object({
    id: z.string().min(1).max(128),
    app: appIdentitySchema,
    action: z.enum(['allow', 'block']),
    direction: z.enum(['out', 'in', 'both']),
    protocol: z.number().int().min(0).max(255).optional(),
    localPort: port.optional(),
    remotePort: port.optional(),
    remoteAddress: z.string().min(2).max(64).optional(),
    overridesWindowsFirewall: z.literal(true).optional(),
    duration: ruleDurationSchema,
    created: z.number().int().nonnegative(),
    source: z.enum(['user', 'prompt', 'learning', 'import', 'essential']),
    note: z.string().max(1000).optional(),
    lastHit: z.number().int().nonnegative().optional(),
    decidedBy: z.enum(['user', 'timeout', 'cli', 'learning-period']).optional(),
  })
  .strict()
  // A flag that may not be there (a block, a packaged app) is dropped rather than failing the document: a rule file
  // edited by hand loses no rule, and no such rule ever lifts a packaged app's isolation.
  .transform((rule) => {
    if (!rule.overridesWindowsFirewall || !overrideProblem(rule)) return rule;
    const { overridesWindowsFirewall: _dropped, ...rest } = rule;
    return rest;
  }) satisfies z.ZodType<Rule>;

const rulesDocumentV2Schema = z
  .object({
    schemaVersion: z.literal(RULES_SCHEMA_VERSION),
    rules: z.array(ruleSchema).max(100_000),
    /** App keys the user chose to ignore: no decisions are opened for them. */
    ignored: z.array(z.string().min(1).max(2048)).max(100_000),
  })
  .strict();

/** Accepts version 1 (upgraded on load, written back as version 2 with the next save) and version 2. */
export const rulesDocumentSchema = z.preprocess(upgradeRulesDocument, rulesDocumentV2Schema);

export type RulesDocument = z.infer<typeof rulesDocumentV2Schema>;

export const EXPORT_FORMAT = 'portcullis-rules';

export const exportDocumentSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  schemaVersion: z.union([z.literal(1), z.literal(RULES_SCHEMA_VERSION)]),
  exported: z.number().int().nonnegative().optional(),
  rules: z.array(z.unknown()).max(100_000),
});

type MatchFields = Pick<Rule, 'app' | 'direction' | 'protocol' | 'localPort' | 'remotePort' | 'remoteAddress'>;

/** Two rules with the same key match the same traffic; a store holds at most one rule per key. */
export function matchKey(rule: MatchFields): string {
  return [
    rule.app.key,
    rule.direction,
    rule.protocol ?? '*',
    rule.remotePort ?? '*',
    rule.remoteAddress?.toLowerCase() ?? '*',
    // Last, and only when set, so keys of rules without a local port read as before.
    ...(rule.localPort !== undefined ? [`local:${rule.localPort}`] : []),
  ].join('|');
}

export function isAppWide(rule: Pick<Rule, 'protocol' | 'localPort' | 'remotePort' | 'remoteAddress'>): boolean {
  return (
    rule.protocol === undefined &&
    rule.localPort === undefined &&
    rule.remotePort === undefined &&
    rule.remoteAddress === undefined
  );
}
