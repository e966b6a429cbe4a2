// Every IPC command except apps.icon (main serves icons), implemented over CoreState. Arguments arrive validated
// by the contract's schemas; what is checked here is what only core can know (unknown ids, conflicts).
import type { CommandHandlers, ShellCommandName } from '../../ipc/contract';
import type { AppIdentity, HistoryEntry, Rule } from '../model';
import { SVCHOST_PATH } from '../apps/identity';
import { onThisWindows } from '../enforcement/filter-plan';
import { overrideProblem } from '../rules/schema';
import { ruleFromDecision } from '../decisions/decision-rule';
import { activityToCsv } from '../pipeline/activity-log';
import { exportRules, planImport } from '../rules/import-export';
import { ImportUploads } from '../rules/import-upload';
import type { RuleDraft } from '../rules/rule-store';
import { CoreError } from '../util/errors';
import type { CoreState } from './core';
import { identityForKey } from './identity-for-key';

/** The direction an app was blocked in (from its pending decision, else its row); outbound when unknown. */
function blockedDirection(core: CoreState, appKey: string): 'out' | 'in' | 'both' {
  const decisionId = core.decisions.forApp(appKey);
  if (decisionId !== undefined) return core.decisions.directionOf(decisionId);
  const bits = core.index.get(appKey)?.blockedDirections ?? 1;
  return bits === 3 ? 'both' : bits === 2 ? 'in' : 'out';
}

/**
 * Windows does not say which service in svchost.exe made a connection (the event names the account, S-1-5-18/19/20),
 * so a one-click rule for "svchost (service unknown)" would be a rule for svchost.exe as a whole. An allow would
 * admit every service in it; a block, app-wide, sits above the essentials in our sublayer (WEIGHTS: blockApp over
 * essential, and the heaviest matching filter decides, "Filter Arbitration") and would cut DNS, DHCP and time sync.
 * Neither is done silently: the refusal says so, and the rule editor can still make a rule for svchost.exe.
 */
function refuseUnknownService(app: AppIdentity, action: 'allow' | 'block', windowsFolder: string): void {
  if (app.kind !== 'svchost-unknown') return;
  // A block of a file merely named svchost.exe (in Downloads, say) covers that file and nothing of Windows'.
  if (action === 'block' && !isWindowsSvchost(app.path, windowsFolder)) return;
  const what =
    action === 'allow'
      ? 'an allow would cover every service in svchost.exe'
      : 'a block would cover every service in svchost.exe, DNS Client and DHCP among them, and take this PC off the network';
  throw new CoreError(
    'INVALID_ARGUMENT',
    `Windows did not say which service inside svchost.exe made this connection, so ${what}. ${action === 'allow' ? 'Allow' : 'Block'} the service by name (service:<name>) or, if you mean every service, make a rule for ${app.path ?? 'svchost.exe'} in the rule editor.`,
  );
}

/** Windows' own svchost.exe on this PC: System32's, or the 32-bit one in SysWOW64. */
function isWindowsSvchost(path: string | undefined, windowsFolder: string): boolean {
  const system32 = onThisWindows(SVCHOST_PATH, windowsFolder).toLowerCase();
  const p = path?.toLowerCase();
  return p === system32 || p === system32.replace('\\system32\\', '\\syswow64\\');
}

/** An allow overrides Windows Firewall only for an unpackaged app whose latest drop was a Windows Firewall rule's. */
function checkOverride(core: CoreState, key: string, app: AppIdentity, action: 'allow' | 'block'): void {
  const problem = overrideProblem({ action, app });
  if (problem) throw new CoreError('INVALID_ARGUMENT', `${app.displayName}: ${problem}.`);
  if (!core.index.get(key)?.blockedByWindowsFirewallRule)
    throw new CoreError(
      'INVALID_ARGUMENT',
      `${app.displayName} was not blocked by a Windows Defender Firewall rule, so there is nothing of Windows Firewall's to override; allow it without that option.`,
    );
}

export type CoreHandlers = Omit<CommandHandlers, ShellCommandName>;

export function createHandlers(core: CoreState): CoreHandlers {
  const uploads = new ImportUploads();
  const planFor = (source: { json?: string | undefined; uploadId?: string | undefined }) =>
    planImport(source.uploadId !== undefined ? uploads.text(source.uploadId) : (source.json ?? ''), {
      store: core.rules,
      now: core.clock.now(),
      check: importCheck(core),
      essentials: core.settings.essentials,
    });
  return {
    // The UI's snapshot: the first screen of apps at once, the rest in pages (a full one blocks for seconds at 50,000).
    'snapshot.get': () => core.publisher.pages.firstScreen(),
    'snapshot.apps': ({ cursor, limit }) => core.publisher.pages.appsPage(cursor, limit),
    'snapshot.activity': ({ before, limit }) => core.publisher.pages.activityPage(before, limit),
    'snapshot.rules': ({ cursor, limit }) => core.publisher.pages.rulesPage(cursor, limit),
    'apps.endpoints': ({ appKey }) => core.publisher.views.endpointsOf(appKey),

    'apps.decide': ({ appKeys, decision, direction, overrideWindowsFirewall }) =>
      core.serial(async () => {
        core.lifeCycle.requireStarted();
        const label = `${VERB[decision]} ${namesOf(core, appKeys)}`;
        const { result, actionId } = await core.ruleChanges.undoable(label, appKeys, async () => {
          if (decision === 'ignore') {
            await core.rules.setIgnored(appKeys, true);
            for (const key of appKeys) {
              const closed = core.decisions.closeForApp(key);
              if (closed) core.publisher.markDecision(closed);
              core.decisions.forgetOverflow(key);
              core.publisher.markApp(key);
            }
            return [];
          }
          const drafts: RuleDraft[] = appKeys.map((key) => {
            const app = identityForKey(core, key);
            refuseUnknownService(app, decision, core.wfp.windowsFolderOfThisPc());
            if (overrideWindowsFirewall) checkOverride(core, key, app, decision);
            return {
              app,
              action: decision,
              // An app blocked inbound needs an inbound rule; blocked both ways, both.
              direction: direction ?? blockedDirection(core, key),
              duration: { kind: 'forever' },
              source: 'user',
              decidedBy: 'user',
              ...(overrideWindowsFirewall ? { overridesWindowsFirewall: true as const } : {}),
            };
          });
          await core.rules.setIgnored(appKeys, false);
          return core.ruleChanges.add(drafts);
        });
        return { rules: result, actionId };
      }),

    'rules.create': (args) =>
      core.serial(async () => {
        core.lifeCycle.requireStarted();
        const draft: RuleDraft = {
          app: identityForKey(core, args.appKey),
          action: args.action,
          direction: args.direction,
          duration: checkDuration(args.duration, core.clock.now()),
          source: 'user',
          decidedBy: 'user',
          ...(args.protocol !== undefined ? { protocol: args.protocol } : {}),
          ...(args.localPort !== undefined ? { localPort: args.localPort } : {}),
          ...(args.remotePort !== undefined ? { remotePort: args.remotePort } : {}),
          ...(args.remoteAddress !== undefined ? { remoteAddress: args.remoteAddress } : {}),
          ...(args.overridesWindowsFirewall ? { overridesWindowsFirewall: true } : {}),
          ...(args.note !== undefined ? { note: args.note } : {}),
        };
        return (await core.ruleChanges.add([draft]))[0] as Rule;
      }),

    'rules.update': ({ id, patch }) =>
      core.serial(async () => {
        core.lifeCycle.requireStarted();
        if (patch.duration) checkDuration(patch.duration, core.clock.now());
        const { rule, change } = await core.rules.update(id, patch, (next) => core.ruleChanges.checkInput(next));
        core.ruleChanges.afterChange(change);
        await core.wfp.enforce();
        return rule;
      }),

    'rules.remove': ({ ids }) =>
      core.serial(async () => {
        core.lifeCycle.requireStarted();
        return { removed: await core.ruleChanges.remove(ids) };
      }),

    'rules.export': () => ({ json: exportRules(core.rules.all(), core.clock.now()) }),

    'rules.uploadImport': ({ uploadId, index, count, text }) => uploads.receive(uploadId, index, count, text),

    'rules.previewImport': async (args) => (await planFor(args)).preview,

    'rules.import': ({ token, ...source }) =>
      core.serial(async () => {
        core.lifeCycle.requireStarted();
        const plan = await planFor(source);
        if (token !== undefined && plan.preview.token !== token) {
          throw new CoreError(
            'INVALID_IMPORT',
            'Nothing was imported: the rules changed since the preview (another window or the portcullis command). ' +
              'Open the file again to see what it would change now.',
          );
        }
        // All or nothing: one rule with an error and nothing is written.
        if (plan.preview.errors.length > 0 || plan.toWrite.length === 0) return { ...plan.preview, imported: 0 };
        const drafts: RuleDraft[] = plan.toWrite.map(({ id: _id, created: _created, ...draft }) => draft);
        await core.ruleChanges.add(
          drafts,
          plan.toWrite.map((r) => (r.id === '' ? undefined : r.id)),
        );
        if (source.uploadId !== undefined) uploads.clear();
        return { ...plan.preview, imported: plan.toWrite.length };
      }),

    'decisions.resolve': ({ decisionId, action, scope, duration, endpointIndex, overrideWindowsFirewall }) =>
      core.serial(async () => {
        core.lifeCycle.requireStarted();
        const decision = core.decisions.get(decisionId);
        if (!decision) {
          throw new CoreError('NOT_FOUND', `Decision ${decisionId} is no longer pending (decided or timed out).`);
        }
        // A block on one port or address is narrow enough to be what the user meant; an app-wide one is not.
        if (action === 'allow' || scope === 'app')
          refuseUnknownService(decision.app, action, core.wfp.windowsFolderOfThisPc());
        const draft = ruleFromDecision(
          decision,
          action,
          scope,
          duration,
          core.clock.now(),
          'user',
          endpointIndex ?? 0,
          core.decisions.directionOf(decisionId),
          overrideWindowsFirewall === true,
        );
        const label = `${VERB[action]} ${decision.app.displayName}${SCOPE_LABEL[scope]}${DURATION_LABEL[duration]}`;
        const { result, actionId } = await core.ruleChanges.undoable(label, [decision.app.key], async () => {
          core.decisions.close(decisionId);
          core.publisher.markDecision(decisionId);
          core.publisher.markApp(decision.app.key);
          return (await core.ruleChanges.add([draft]))[0] as Rule;
        });
        return { ...result, actionId };
      }),

    'learning.commit': ({ appKeys }) =>
      core.serial(async () => {
        core.lifeCycle.requireStarted();
        const keys = appKeys === 'all' ? core.candidates.keys() : appKeys;
        const label = `Allowed ${namesOf(core, keys)} (learned)`;
        const { result, actionId } = await core.ruleChanges.undoable(label, keys, async () => {
          const taken = core.candidates.take(appKeys);
          if (taken.length === 0) return [];
          return core.ruleChanges.add(taken.map((c) => ({ ...c.proposed, decidedBy: 'user' as const })));
        });
        return { rules: result, ...(result.length > 0 ? { actionId } : {}) };
      }),

    'history.list': () => core.history.list(),

    'history.undo': ({ actionId }) =>
      core.serial(async () => {
        core.lifeCycle.requireStarted();
        await core.ruleChanges.undo(actionId);
        return core.history.list().find((e) => e.id === actionId) as HistoryEntry;
      }),

    'mode.preview': ({ mode }) => core.settingsChanges.previewMode(mode),

    'learning.discard': ({ appKeys }) => ({ removed: core.candidates.take(appKeys).map((c) => c.app.key) }),

    'mode.set': ({ mode }) =>
      core.serial(async () => {
        await core.settingsChanges.setMode(mode);
        return core.publisher.status();
      }),

    'settings.update': ({ patch }) => core.serial(() => core.settingsChanges.update(patch)),

    'notifications.pause': ({ minutes }) =>
      core.serial(() =>
        core.settingsChanges.update({
          notifications: { pausedUntil: minutes === 0 ? null : core.clock.now() + minutes * 60_000 },
        }),
      ),

    'activity.export': ({ format }) => {
      const entries = core.activity.entries();
      const text = format === 'csv' ? activityToCsv(entries) : `${JSON.stringify(entries, null, 2)}\n`;
      return { text, entries: entries.length };
    },

    'notices.dismiss': ({ id }) => ({ dismissed: core.publisher.dismissNotice(id) }),

    'app.reset': () =>
      core.serial(async () => {
        await core.settingsChanges.reset();
        return core.publisher.status();
      }),
  };
}

/** The input check of every rule, as a reason for the import preview. */
function importCheck(core: CoreState): (rule: Rule) => string | undefined {
  return (rule) => {
    try {
      core.ruleChanges.checkInput(rule);
      return undefined;
    } catch (error) {
      return (error as Error).message.replace(/^Rule for .*? refused: /, '').replace(/\.$/, '');
    }
  };
}

function checkDuration(duration: Rule['duration'], now: number): Rule['duration'] {
  if (duration.kind === 'until' && duration.until <= now) {
    throw new CoreError('INVALID_ARGUMENT', 'The rule would already have expired: choose a time in the future.');
  }
  return duration;
}

const VERB = { allow: 'Allowed', block: 'Blocked', ignore: 'Ignored' } as const;
const SCOPE_LABEL = { app: '', appAndPort: ' on that port', appAndAddress: ' to that address' } as const;
const DURATION_LABEL = {
  forever: '',
  untilRestart: ' until restart',
  '1h': ' for 1 hour',
  '24h': ' for 24 hours',
} as const;

/** "Google Chrome", "Google Chrome and OneDrive", "Google Chrome and 2 other apps". */
function namesOf(core: CoreState, appKeys: readonly string[]): string {
  const name = (key: string): string => {
    try {
      return identityForKey(core, key).displayName;
    } catch {
      return key;
    }
  };
  if (appKeys.length === 0) return 'no apps';
  const first = name(appKeys[0] as string);
  if (appKeys.length === 1) return first;
  if (appKeys.length === 2) return `${first} and ${name(appKeys[1] as string)}`;
  return `${first} and ${appKeys.length - 1} other apps`;
}
