// The rule store's document on disk (rules.json) and the export format. Versioned; validated on every load.
import { z } from 'zod';
import type { AppIdentity, Rule } from '../model';

export const RULES_SCHEMA_VERSION = 1;

export const appIdentitySchema = z
  .object({
    key: z.string().min(1).max(2048),
    kind: z.enum(['path', 'service', 'package', 'system', 'svchost-unknown']),
    displayName: z.string().max(512),
    path: z.string().max(2048).optional(),
    ntPath: z.string().max(2048).optional(),
    serviceName: z.string().max(256).optional(),
    packageSid: z.string().max(256).optional(),
  })
  .strict() satisfies z.ZodType<AppIdentity>;

export const ruleDurationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('forever') }).strict(),
  z.object({ kind: z.literal('untilRestart') }).strict(),
  z.object({ kind: z.literal('until'), until: z.number().int().positive() }).strict(),
]);

export const ruleSchema = z
  .object({
    id: z.string().min(1).max(128),
    app: appIdentitySchema,
    action: z.enum(['allow', 'block']),
    direction: z.enum(['out', 'in', 'both']),
    protocol: z.number().int().min(0).max(255).optional(),
    remotePort: z.number().int().min(1).max(65_535).optional(),
    remoteAddress: z.string().min(2).max(64).optional(),
    duration: ruleDurationSchema,
    created: z.number().int().nonnegative(),
    source: z.enum(['user', 'prompt', 'learning', 'import', 'essential']),
    note: z.string().max(1000).optional(),
    lastHit: z.number().int().nonnegative().optional(),
    decidedBy: z.enum(['user', 'timeout', 'cli', 'learning-period']).optional(),
  })
  .strict() satisfies z.ZodType<Rule>;

export const rulesDocumentSchema = z
  .object({
    schemaVersion: z.literal(RULES_SCHEMA_VERSION),
    rules: z.array(ruleSchema).max(100_000),
    /** App keys the user chose to ignore: no decisions are opened for them. */
    ignored: z.array(z.string().min(1).max(2048)).max(100_000),
  })
  .strict();

export type RulesDocument = z.infer<typeof rulesDocumentSchema>;

export const EXPORT_FORMAT = 'portcullis-rules';

export const exportDocumentSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  schemaVersion: z.literal(RULES_SCHEMA_VERSION),
  exported: z.number().int().nonnegative().optional(),
  rules: z.array(z.unknown()).max(100_000),
});

/** Two rules with the same key match the same traffic; a store holds at most one rule per key. */
export function matchKey(rule: Pick<Rule, 'app' | 'direction' | 'protocol' | 'remotePort' | 'remoteAddress'>): string {
  return [
    rule.app.key,
    rule.direction,
    rule.protocol ?? '*',
    rule.remotePort ?? '*',
    rule.remoteAddress?.toLowerCase() ?? '*',
  ].join('|');
}

export function isAppWide(rule: Pick<Rule, 'protocol' | 'remotePort' | 'remoteAddress'>): boolean {
  return rule.protocol === undefined && rule.remotePort === undefined && rule.remoteAddress === undefined;
}
