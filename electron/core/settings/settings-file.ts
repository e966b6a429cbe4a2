// settings.json read field by field. A field this version does not know (written by a newer one) is kept and written
// back untouched; a missing field takes its default; a field that fails validation takes its default and is named.
// The mode is the exception that must not fail open: an unreadable mode never becomes one that enforces less than
// what the user chose (see modeFromText).
import type { z } from 'zod';
import type { Mode, Settings } from '../model';
import type { Salvage } from '../persistence/document-read';
import { defaultSettings, settingsSchema } from './schema';

/** settings.json as stored: our fields, plus whatever fields another version added (kept as they are). */
export const settingsFileSchema = settingsSchema.loose();

const MODES: readonly Mode[] = ['monitor', 'learning', 'enforce', 'off'];

/** "Enforce", " ENFORCE " -> enforce: a hand edit's case or spaces never switch the firewall to another mode. */
export function modeFromText(value: unknown): Mode | undefined {
  if (typeof value !== 'string') return undefined;
  const mode = value.trim().toLowerCase() as Mode;
  return MODES.includes(mode) ? mode : undefined;
}

export const salvageSettings: Salvage<Settings> = (raw) => {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const doc = raw as Record<string, unknown>;
  if (doc.schemaVersion !== undefined && doc.schemaVersion !== 1) return undefined;
  const defaults = defaultSettings() as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = { ...defaults, schemaVersion: 1 };
  const problems: string[] = [];
  const shape = settingsSchema.shape as Record<string, z.ZodType>;
  for (const [key, field] of Object.entries(shape)) {
    if (key === 'schemaVersion') continue;
    if (!(key in doc)) continue; // missing: its default, nothing to report
    const value = doc[key];
    const parsed = field.safeParse(value);
    if (parsed.success) {
      if (parsed.data === undefined) delete out[key];
      else out[key] = parsed.data;
      continue;
    }
    if (key === 'mode') {
      const mode = modeFromText(value);
      if (mode) {
        out.mode = mode;
        continue;
      }
      problems.push(
        `the mode ${JSON.stringify(value)} is not one Portcullis knows; Monitor was used. ` +
          'If you had chosen Enforce, choose it again in Settings.',
      );
      continue;
    }
    problems.push(`${key}: ${parsed.error.issues[0]?.message ?? 'invalid'}; its default was used`);
  }
  for (const [key, value] of Object.entries(doc)) if (!(key in shape)) out[key] = value;
  return { value: out as unknown as Settings, problems };
};

/** How much each mode enforces: Off nothing, Learning allows only, Monitor applies rules, Enforce blocks the rest. */
const STRENGTH: Record<Mode, number> = { off: 0, learning: 1, monitor: 2, enforce: 3 };

/**
 * The strongest mode written in any of these texts (a torn settings.json, its backup), read without parsing the
 * JSON: when the settings could not be loaded whole, the firewall keeps at least the protection the user chose.
 */
export function strongestModeIn(texts: readonly string[]): Mode | undefined {
  let best: Mode | undefined;
  for (const text of texts) {
    for (const match of text.matchAll(/"mode"\s*:\s*"([^"]{1,20})"/g)) {
      const mode = modeFromText(match[1]);
      if (mode && (best === undefined || STRENGTH[mode] > STRENGTH[best])) best = mode;
    }
  }
  return best;
}

export function enforcesLess(a: Mode, b: Mode): boolean {
  return STRENGTH[a] < STRENGTH[b];
}
