// The one contract between the renderer and the elevated main process. Every command has a zod schema for its
// argument (checked in main before core sees it) and a result type; every stream main -> renderer is listed.
// Main, preload, the renderer's types and the test harness are all generated from this map.
import { z } from 'zod';
import type {
  ActivityEntry,
  AppsPage,
  ActivityPage,
  RulesPage,
  DeltaBatch,
  Endpoint,
  HistoryEntry,
  ModePreview,
  ImportPreview,
  LearningCandidate,
  Mode,
  Rule,
  Settings,
  Snapshot,
  Status,
} from '../core/model';

const appKey = z.string().min(1).max(2048);
const appKeys = z.array(appKey).min(1).max(10_000);
const ruleId = z.string().min(1).max(128);
const port = z.number().int().min(1).max(65_535);
const protocol = z.number().int().min(0).max(255);
const address = z.string().min(2).max(64);
const note = z.string().max(1000);
const mode = z.enum(['monitor', 'learning', 'enforce', 'off']);
const action = z.enum(['allow', 'block']);
const direction = z.enum(['out', 'in', 'both']);
const duration = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('forever') }),
  z.object({ kind: z.literal('untilRestart') }),
  z.object({ kind: z.literal('until'), until: z.number().int().positive() }),
]);
const decisionDuration = z.enum(['untilRestart', '1h', '24h', 'forever']);
const decisionScope = z.enum(['app', 'appAndPort', 'appAndAddress']);
const json = z.string().max(8 * 1024 * 1024);
const uploadId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/);
const importToken = z.string().regex(/^[0-9a-f]{32}$/);

const none = z.object({}).strict();

export const commandSchemas = {
  /** Everything the UI needs to draw itself; deltas follow on the `delta` stream. */
  'snapshot.get': none,
  /** The rest of the apps after a snapshot's first screen, a page at a time (Snapshot.appsNext). */
  'snapshot.apps': z
    .object({ cursor: z.number().int().min(0).max(10_000_000), limit: z.number().int().min(1).max(2_000).optional() })
    .strict(),
  /** Older log entries after a snapshot's newest ones, a page at a time (Snapshot.activityNext). */
  'snapshot.activity': z
    .object({ before: z.number().int().min(0), limit: z.number().int().min(1).max(2_000).optional() })
    .strict(),
  /** The rest of the rules after a snapshot's first ones, a page at a time (Snapshot.rulesNext). */
  'snapshot.rules': z
    .object({ cursor: z.number().int().min(0).max(10_000_000), limit: z.number().int().min(1).max(2_000).optional() })
    .strict(),
  /** One-click decisions on rows of the Blocked view (one or many apps). */
  'apps.decide': z
    .object({
      appKeys,
      decision: z.enum(['allow', 'block', 'ignore']),
      direction: direction.optional(),
      /** "Allow even where Windows Firewall blocks it": only for apps a Windows Defender Firewall rule blocked. */
      overrideWindowsFirewall: z.literal(true).optional(),
    })
    .strict(),
  'rules.create': z
    .object({
      appKey,
      action,
      direction,
      protocol: protocol.optional(),
      /** This computer's port: for an inbound rule, the port the app listens on. */
      localPort: port.optional(),
      /** The other computer's port: for an outbound rule, the port the app connects to. */
      remotePort: port.optional(),
      remoteAddress: address.optional(),
      /** "Allow even where Windows Firewall blocks it" (a hard permit); allow rules of unpackaged apps only. */
      overridesWindowsFirewall: z.literal(true).optional(),
      duration,
      note: note.optional(),
    })
    .strict(),
  'rules.update': z
    .object({
      id: ruleId,
      patch: z
        .object({
          action: action.optional(),
          direction: direction.optional(),
          protocol: protocol.nullable().optional(),
          localPort: port.nullable().optional(),
          remotePort: port.nullable().optional(),
          remoteAddress: address.nullable().optional(),
          overridesWindowsFirewall: z.literal(true).nullable().optional(),
          duration: duration.optional(),
          note: note.optional(),
        })
        .strict(),
    })
    .strict(),
  'rules.remove': z.object({ ids: z.array(ruleId).min(1).max(10_000) }).strict(),
  'rules.export': none,
  /** A file too large for one message, in pieces of at most 4 M characters (then preview/import by uploadId). */
  'rules.uploadImport': z
    .object({
      uploadId,
      index: z.number().int().min(0).max(127),
      count: z.number().int().min(1).max(128),
      text: z.string().max(4 * 1024 * 1024),
    })
    .strict(),
  'rules.previewImport': z
    .object({ json: json.optional(), uploadId: uploadId.optional() })
    .strict()
    .refine((a) => (a.json === undefined) !== (a.uploadId === undefined), 'give json or uploadId'),
  /** With the preview's token: writes exactly what that preview showed, or nothing. */
  'rules.import': z
    .object({ json: json.optional(), uploadId: uploadId.optional(), token: importToken.optional() })
    .strict()
    .refine((a) => (a.json === undefined) !== (a.uploadId === undefined), 'give json or uploadId'),
  'decisions.resolve': z
    .object({
      decisionId: z.string().min(1).max(128),
      action,
      scope: decisionScope,
      duration: decisionDuration,
      /** Which of the decision's endpoints the port/address scope refers to (default: the most recent). */
      endpointIndex: z.number().int().min(0).max(1000).optional(),
      /** Offered only when Windows Defender Firewall dropped it and the app is not packaged (see the decision). */
      overrideWindowsFirewall: z.literal(true).optional(),
    })
    .strict(),
  'learning.commit': z.object({ appKeys: z.union([appKeys, z.literal('all')]) }).strict(),
  'learning.discard': z.object({ appKeys }).strict(),
  'mode.set': z.object({ mode }).strict(),
  /** What switching to this mode would block and what stays allowed, shown before asking to confirm. */
  'mode.preview': z.object({ mode }).strict(),
  /** Recent decisions, newest first, each undoable once. */
  'history.list': none,
  /** Puts the apps of one earlier action back exactly as they were. */
  'history.undo': z.object({ actionId: z.string().min(1).max(128) }).strict(),
  'settings.update': z.object({ patch: z.record(z.string(), z.unknown()) }).strict(),
  'notifications.pause': z
    .object({
      minutes: z
        .number()
        .int()
        .min(0)
        .max(24 * 60),
    })
    .strict(),
  'activity.export': z.object({ format: z.enum(['csv', 'json']) }).strict(),
  /** Removes every WFP object of ours and switches to Off. */
  'app.reset': none,
  /** Closes a notice (it comes back only if the problem is reported again). */
  'notices.dismiss': z.object({ id: z.string().min(1).max(128) }).strict(),
  /**
   * One app's endpoints as they are now, with their attempts and last-seen times (delta rows may carry only their
   * order): the detail panel asks while it is open.
   */
  'apps.endpoints': z.object({ appKey }).strict(),
  /** The executable's icon as a data: URL, or null where none can be had. */
  'apps.icon': z.object({ path: z.string().min(1).max(2048) }).strict(),
  /** Whether Portcullis starts with Windows (an elevated logon task). */
  'autostart.get': none,
  'autostart.set': z.object({ enabled: z.boolean() }).strict(),
  /** The notification's "More…": the inbox window with this decision, focused (served by the shell). */
  'inbox.open': z.object({ decisionId: z.string().min(1).max(128) }).strict(),
} as const;

export type CommandName = keyof typeof commandSchemas;
export type CommandArgs<C extends CommandName> = z.infer<(typeof commandSchemas)[C]>;

export interface CommandResults {
  'snapshot.get': Snapshot;
  'snapshot.apps': AppsPage;
  'snapshot.activity': ActivityPage;
  'snapshot.rules': RulesPage;
  'apps.decide': { readonly rules: readonly Rule[]; readonly actionId?: string };
  'rules.create': Rule;
  'rules.update': Rule;
  'rules.remove': { readonly removed: number };
  'rules.export': { readonly json: string };
  'rules.uploadImport': { readonly received: number; readonly complete: boolean };
  'rules.previewImport': ImportPreview;
  'rules.import': ImportPreview;
  /** The rule made, and the action that undoes it. */
  'decisions.resolve': Rule & { readonly actionId?: string };
  'learning.commit': { readonly rules: readonly Rule[]; readonly actionId?: string };
  'learning.discard': { readonly removed: readonly LearningCandidate['app']['key'][] };
  'mode.set': Status;
  'mode.preview': ModePreview;
  'history.list': readonly HistoryEntry[];
  'history.undo': HistoryEntry;
  'settings.update': Settings;
  'notifications.pause': Settings;
  'activity.export': { readonly text: string; readonly entries: number };
  'app.reset': Status;
  'notices.dismiss': { readonly dismissed: boolean };
  /** Newest first; null when the app is no longer known. */
  'apps.endpoints': readonly Endpoint[] | null;
  'apps.icon': string | null;
  'autostart.get': AutostartStatus;
  'autostart.set': AutostartStatus;
  'inbox.open': { readonly opened: boolean };
}

/** What Settings shows for "Start with Windows". */
export interface AutostartStatus {
  /** False off Windows and in development runs, where there is no installed executable to start. */
  readonly supported: boolean;
  readonly enabled: boolean;
  /** A sentence for the user: why it is unavailable, or that the task starts another copy of Portcullis. */
  readonly detail?: string;
}

/** Streams from main to the renderer. */
export interface EventPayloads {
  delta: DeltaBatch;
  /** Open this decision (a notification or the tray menu was clicked). */
  openDecision: { readonly decisionId: string };
  /** The notification window: show this newly blocked app (core's policy already allowed the notification). */
  notify: { readonly decisionId: string; readonly title: string; readonly body: string };
  /** Show the preview of a mode switch and ask to confirm it (the tray's mode menu sends this). */
  previewMode: { readonly mode: 'monitor' | 'learning' | 'enforce' | 'off' };
}
export type EventName = keyof EventPayloads;

/** Commands the Electron shell serves itself, because they need the shell or the installed executable. */
export type ShellCommandName = 'apps.icon' | 'autostart.get' | 'autostart.set' | 'inbox.open';

/** What core (or, for the shell commands, main) must provide to serve every command. */
export type CommandHandlers = {
  [C in CommandName]: (args: CommandArgs<C>) => Promise<CommandResults[C]> | CommandResults[C];
};

/** window.portcullis as the renderer sees it. */
export interface PortcullisBridge {
  invoke<C extends CommandName>(command: C, args: CommandArgs<C>): Promise<CommandResults[C]>;
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
}

export const IPC_COMMAND_PREFIX = 'portcullis:cmd:';
export const IPC_EVENT_PREFIX = 'portcullis:evt:';

export type { ActivityEntry, Mode };
