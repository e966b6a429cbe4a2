// What WFP should hold for a mode, a rule set and the essentials: one tagged filter spec per rule or essential.
// A tag names its source and a hash of the spec, so a changed rule yields a new tag and reconciliation replaces it.
import { createHash } from 'node:crypto';
import type { AppFilterSpec } from '../../../native/api';
import type { TaggedFilterSpec } from '../backend/port';
import type { Essential, Mode, Rule } from '../model';
import { SVCHOST_PATH } from '../apps/identity';
import { LSASS_PATH } from './essentials';
import { serviceSid } from '../apps/service-sids';
import { isAppWide } from '../rules/schema';

/** Weights inside our sublayer: narrower rules above app-wide ones, blocks above allows of the same breadth. */
export const WEIGHTS = {
  defaultBlock: 0,
  essential: 4,
  allowApp: 8,
  blockApp: 10,
  allowNarrow: 12,
  blockNarrow: 14,
} as const;

export const DEFAULT_BLOCK_TAG = 'd:default-block';

export type TagSource =
  | { readonly kind: 'rule'; readonly id: string }
  | { readonly kind: 'essential'; readonly id: string }
  | { readonly kind: 'default-block' };

export function parseTag(tag: string | undefined): TagSource | undefined {
  if (!tag) return undefined;
  if (tag === DEFAULT_BLOCK_TAG) return { kind: 'default-block' };
  const match = /^([re]):(.+):([0-9a-f]{10})$/.exec(tag);
  if (!match) return undefined;
  return match[1] === 'r' ? { kind: 'rule', id: match[2] as string } : { kind: 'essential', id: match[2] as string };
}

/**
 * Bumped when the same spec starts to mean different filters (2: permits soft unless the rule says otherwise),
 * so every tag changes and reconciliation replaces what an older version installed.
 */
const FILTER_SEMANTICS = 2;

/** What the plan needs to know of this PC. */
export interface PlanContext {
  /** The Windows folder (FOLDERID_Windows); C:\Windows when absent. */
  readonly windowsFolder?: string;
}

function tagFor(prefix: 'r' | 'e', id: string, spec: AppFilterSpec): string {
  const hash = createHash('sha1')
    .update(`${FILTER_SEMANTICS}:${JSON.stringify(spec)}`)
    .digest('hex')
    .slice(0, 10);
  return `${prefix}:${id}:${hash}`;
}

const DEFAULT_WINDOWS_FOLDER = 'C:\\Windows';
/** The Windows programs Portcullis names by their usual path: the essentials' svchost.exe and lsass.exe. */
const WINDOWS_PROGRAMS = new Set([SVCHOST_PATH.toLowerCase(), LSASS_PATH.toLowerCase()]);

/**
 * svchost.exe or lsass.exe as Portcullis names them (C:\Windows\System32\...) in the Windows folder of this PC,
 * which need not be C:\Windows. Left as written there, the essentials and service rules would match no program:
 * in Enforce, DNS and DHCP blocked. Only those two paths: a rule the user made for a program under C:\Windows stays
 * there (on such a PC, that folder is anyone's).
 */
export function onThisWindows(path: string, windowsFolder: string): string {
  if (!WINDOWS_PROGRAMS.has(path.toLowerCase()) || windowsFolder.toLowerCase() === DEFAULT_WINDOWS_FOLDER.toLowerCase())
    return path;
  return `${windowsFolder.replace(/\\+$/, '')}${path.slice(DEFAULT_WINDOWS_FOLDER.length)}`;
}

/** What a rule's filters match: an executable, a service inside it, or a package. */
export type AppMatch = Pick<AppFilterSpec, 'appPath' | 'serviceSid' | 'packageSid'>;

/**
 * The executable a rule's filter matches, and the SID that narrows it; undefined when WFP cannot match the app
 * (an unmapped device path). A service is svchost.exe plus its service SID, so allowing one service leaves the
 * others hosted in svchost blocked. A packaged app is its package SID alone: it runs from a versioned WindowsApps
 * folder that changes with every update, its package SID does not. "svchost (service unknown)" stays the
 * executable: nothing finer is known about it.
 */
export function appMatchOf(
  rule: Pick<Rule, 'app'>,
  windowsFolder: string = DEFAULT_WINDOWS_FOLDER,
): AppMatch | undefined {
  const app = rule.app;
  if (app.kind === 'system') return { appPath: 'System' };
  if (app.kind === 'service' && app.serviceName)
    return {
      appPath: onThisWindows(app.path ?? SVCHOST_PATH, windowsFolder),
      serviceSid: serviceSid(app.serviceName),
    };
  if (app.kind === 'package' && app.packageSid) return { packageSid: app.packageSid };
  return app.path !== undefined ? { appPath: app.path } : undefined;
}

export function ruleSpec(rule: Rule, context: PlanContext = {}): TaggedFilterSpec | undefined {
  const target = appMatchOf(rule, context.windowsFolder);
  if (target === undefined) return undefined;
  const narrow = !isAppWide(rule);
  const weight =
    rule.action === 'allow'
      ? narrow
        ? WEIGHTS.allowNarrow
        : WEIGHTS.allowApp
      : narrow
        ? WEIGHTS.blockNarrow
        : WEIGHTS.blockApp;
  const spec: AppFilterSpec = {
    ...target,
    action: rule.action === 'allow' ? 'permit' : 'block',
    direction: rule.direction,
    ...(rule.protocol !== undefined ? { protocol: rule.protocol } : {}),
    ...(rule.localPort !== undefined ? { localPort: rule.localPort } : {}),
    ...(rule.remotePort !== undefined ? { remotePort: rule.remotePort } : {}),
    ...(rule.remoteAddress !== undefined ? { remoteAddress: rule.remoteAddress } : {}),
    // Soft unless the user chose to override Windows Firewall on this rule.
    ...(rule.action === 'allow' && rule.overridesWindowsFirewall === true ? { hard: true } : {}),
    weight,
    name: `Portcullis: ${rule.action} ${rule.app.displayName}`.slice(0, 200),
    description: `Rule ${rule.id}${rule.note ? `: ${rule.note}` : ''}`.slice(0, 500),
  };
  return { ...spec, tag: tagFor('r', rule.id, spec) };
}

/** One spec per listed service (each its own service SID), or one for the whole executable when none is listed. */
export function essentialSpecs(essential: Essential, context: PlanContext = {}): TaggedFilterSpec[] {
  const windowsFolder = context.windowsFolder ?? DEFAULT_WINDOWS_FOLDER;
  const services: readonly (string | undefined)[] = essential.services?.length ? essential.services : [undefined];
  return services.map((service) => {
    const spec: AppFilterSpec = {
      ...(essential.appPath === '*' ? {} : { appPath: onThisWindows(essential.appPath, windowsFolder) }),
      ...(service !== undefined ? { serviceSid: serviceSid(service) } : {}),
      action: 'permit',
      direction: essential.direction,
      ...(essential.protocol !== undefined ? { protocol: essential.protocol } : {}),
      ...(essential.localPort !== undefined ? { localPort: essential.localPort } : {}),
      ...(essential.remotePort !== undefined ? { remotePort: essential.remotePort } : {}),
      ...(essential.localAddress !== undefined ? { localAddress: essential.localAddress } : {}),
      ...(essential.remoteAddress !== undefined ? { remoteAddress: essential.remoteAddress } : {}),
      ...(essential.loopback ? { loopback: true } : {}),
      weight: WEIGHTS.essential,
      name: `Portcullis essential: ${essential.name}${service !== undefined ? ` (${service})` : ''}`.slice(0, 200),
      description: essential.description.slice(0, 500),
    };
    // The hash covers the service SID, so each service's spec has a tag of its own under the essential's id.
    return { ...spec, tag: tagFor('e', essential.id, spec) };
  });
}

export const defaultBlockSpec: TaggedFilterSpec = {
  action: 'block',
  direction: 'out',
  weight: WEIGHTS.defaultBlock,
  name: 'Portcullis: block applications without a rule',
  description: 'Enforce mode: outbound connections of applications without an allow rule are blocked.',
  tag: DEFAULT_BLOCK_TAG,
};

/**
 * Monitor: every rule (an allow is soft: it lifts nothing of other products unless its rule overrides Windows
 * Firewall). Learning: allow rules only, we block nothing.
 * Enforce: every rule, the enabled essentials and the default block. Off: nothing.
 */
export function planFilters(
  mode: Mode,
  rules: Iterable<Rule>,
  essentials: readonly Essential[],
  context: PlanContext = {},
): Map<string, TaggedFilterSpec> {
  const plan = new Map<string, TaggedFilterSpec>();
  if (mode === 'off') return plan;
  for (const rule of rules) {
    if (mode === 'learning' && rule.action !== 'allow') continue;
    const spec = ruleSpec(rule, context);
    if (spec) plan.set(spec.tag, spec);
  }
  if (mode === 'enforce') {
    for (const essential of essentials) {
      if (!essential.enabled) continue;
      for (const spec of essentialSpecs(essential, context)) plan.set(spec.tag, spec);
    }
    plan.set(DEFAULT_BLOCK_TAG, defaultBlockSpec);
  }
  return plan;
}
