// What a mode switch would change, shown and confirmed before it happens: Enforce blocks outbound connections of
// every app without an allow rule (filter-plan.ts defaultBlockSpec), except what the enabled essentials let through.
import type { AppIdentity, Essential, Mode, ModePreview, PreviewApp, Rule } from '../model';
import type { AppIndex } from '../apps/app-index';
import { UNATTRIBUTED_KEY } from '../apps/identity';
import { isAppWide } from '../rules/schema';

/** Apps listed per group; the totals count them all. */
export const PREVIEW_LIST_MAX = 200;

export interface PreviewSources {
  readonly index: AppIndex;
  readonly rulesForApp: (appKey: string) => readonly Rule[];
  readonly allRules: () => Iterable<Rule>;
  readonly essentials: readonly Essential[];
}

export function previewMode(mode: Mode, s: PreviewSources): ModePreview {
  const essentials = s.essentials
    .filter((e) => e.enabled)
    .map((e) => ({ id: e.id, name: e.name, description: e.description }));
  const willBlock: PreviewApp[] = [];
  const staysAllowed: PreviewApp[] = [];
  const seen = new Set<string>();
  if (mode === 'enforce') {
    for (const record of s.index.records()) {
      const app = record.identity;
      if (app.key === UNATTRIBUTED_KEY) continue;
      seen.add(app.key);
      const allow = allowRuleOf(s.rulesForApp(app.key));
      if (allow) {
        staysAllowed.push(previewApp(app, record.lastSeen, 'Allowed by your rule'));
        continue;
      }
      if (s.rulesForApp(app.key).some((r) => isAppWide(r) && r.action === 'block')) continue;
      const essential = coveringEssentials(app, s.essentials);
      const outbound = record.seenDirection('out');
      if (!outbound) continue;
      willBlock.push(
        previewApp(app, record.lastSeen, essential.length > 0 ? `Except ${essential.join(', ')}` : undefined),
      );
    }
    for (const rule of s.allRules()) {
      if (seen.has(rule.app.key) || !isAppWide(rule) || rule.action !== 'allow') continue;
      seen.add(rule.app.key);
      staysAllowed.push(previewApp(rule.app, rule.lastHit, 'Allowed by your rule'));
    }
  }
  const newestFirst = (a: PreviewApp, b: PreviewApp): number => (b.lastSeen ?? 0) - (a.lastSeen ?? 0);
  willBlock.sort(newestFirst);
  staysAllowed.sort(newestFirst);
  return {
    mode,
    willBlock: willBlock.slice(0, PREVIEW_LIST_MAX),
    willBlockTotal: willBlock.length,
    staysAllowed: staysAllowed.slice(0, PREVIEW_LIST_MAX),
    staysAllowedTotal: staysAllowed.length,
    essentials: mode === 'enforce' ? essentials : [],
  };
}

function allowRuleOf(rules: readonly Rule[]): Rule | undefined {
  return rules.find((r) => isAppWide(r) && r.action === 'allow' && r.direction !== 'in');
}

/** Names of the enabled essentials that let part of this app's traffic through. */
function coveringEssentials(app: AppIdentity, essentials: readonly Essential[]): string[] {
  const path = app.path?.toLowerCase();
  return essentials
    .filter((e) => e.enabled && e.appPath !== '*' && path !== undefined && e.appPath.toLowerCase() === path)
    .filter((e) => !e.services || (app.serviceName !== undefined && e.services.includes(app.serviceName)))
    .map((e) => e.name);
}

function previewApp(app: AppIdentity, lastSeen: number | undefined, detail: string | undefined): PreviewApp {
  return {
    appKey: app.key,
    name: app.displayName,
    ...(app.path !== undefined ? { path: app.path } : {}),
    ...(lastSeen !== undefined ? { lastSeen } : {}),
    ...(detail !== undefined ? { detail } : {}),
  };
}
