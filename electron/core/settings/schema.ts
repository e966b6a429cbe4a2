// Settings as stored in settings.json. Every field has a default (docs/settings.md lists them with reasons).
import { z } from 'zod';
import type { Settings } from '../model';
import { DEFAULT_ESSENTIALS, ESSENTIALS_VERSION } from '../enforcement/essentials';
import { CoreError } from '../util/errors';

/** A port or an inclusive range; the local port may be 0 because ICMP types travel in it. */
function portMatch(min: number) {
  const port = z.number().int().min(min).max(65_535);
  return z.union([
    port,
    z
      .object({ from: port, to: port })
      .strict()
      .refine((r) => r.from <= r.to, 'from must not be above to'),
  ]);
}

export const essentialSchema = z
  .object({
    id: z.string().min(1).max(64),
    name: z.string().min(1).max(200),
    description: z.string().max(1000),
    appPath: z.string().min(1).max(2048),
    services: z
      .array(
        z
          .string()
          .min(1)
          .max(256)
          .regex(/^[^\\/]+$/, 'a service name has no slashes'),
      )
      .min(1)
      .max(32)
      .optional(),
    direction: z.enum(['out', 'in', 'both']),
    protocol: z.number().int().min(0).max(255).optional(),
    localPort: portMatch(0).optional(),
    remotePort: portMatch(1).optional(),
    localAddress: z.string().min(2).max(64).optional(),
    remoteAddress: z.string().min(2).max(64).optional(),
    loopback: z.boolean().optional(),
    enabled: z.boolean(),
  })
  .strict();

export const notificationPolicySchema = z
  .object({
    enabled: z.boolean(),
    perAppMinutes: z
      .number()
      .int()
      .min(0)
      .max(24 * 60),
    maxPerMinute: z.number().int().min(1).max(60),
    pausedUntil: z.number().int().nonnegative().optional(),
  })
  .strict();

export const settingsSchema = z
  .object({
    schemaVersion: z.literal(1),
    mode: z.enum(['monitor', 'learning', 'enforce', 'off']),
    notifications: notificationPolicySchema,
    decisionTimeoutSeconds: z
      .number()
      .int()
      .min(5)
      .max(24 * 3600)
      .optional(),
    decisionDefaultAction: z.enum(['allow', 'block']),
    activityLogSize: z.number().int().min(100).max(1_000_000),
    batchIntervalMs: z.number().int().min(16).max(5_000),
    closeToTray: z.boolean(),
    reverseDns: z.boolean(),
    learningUntil: z.number().int().positive().optional(),
    essentials: z.array(essentialSchema).max(500),
    decideRoutineBlocks: z.boolean().optional(),
    introSeen: z.boolean().optional(),
    essentialsVersion: z.number().int().min(1).max(1000).optional(),
    tellServicesApart: z.boolean().optional(),
    serviceAuditBefore: z.number().int().min(0).max(3).optional(),
  })
  .strict() satisfies z.ZodType<Settings>;

export function defaultSettings(): Settings {
  return {
    schemaVersion: 1,
    mode: 'monitor',
    notifications: { enabled: true, perAppMinutes: 10, maxPerMinute: 4 },
    decisionDefaultAction: 'block',
    activityLogSize: 5_000,
    batchIntervalMs: 100,
    closeToTray: true,
    reverseDns: true,
    essentials: DEFAULT_ESSENTIALS.map((e) => ({ ...e })),
    essentialsVersion: ESSENTIALS_VERSION,
  };
}

/**
 * Applies a partial update. `notifications` merges field by field; a field set to null is removed (optional fields
 * only). The result is validated as a whole, so a bad patch changes nothing and says what is wrong.
 */
export function mergeSettings(current: Settings, patch: Record<string, unknown>): Settings {
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'notifications' && value !== null && typeof value === 'object') {
      const merged: Record<string, unknown> = { ...current.notifications, ...(value as Record<string, unknown>) };
      for (const [k, v] of Object.entries(merged)) if (v === null) delete merged[k];
      next.notifications = merged;
    } else if (value === null) {
      delete next[key];
    } else {
      next[key] = value;
    }
  }
  const result = settingsSchema.safeParse(next);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`);
    throw new CoreError('INVALID_SETTINGS', `Settings not changed: ${lines.join('; ')}`);
  }
  return result.data;
}
