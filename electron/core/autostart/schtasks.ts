// Start with Windows, elevated, without a UAC prompt at every logon: a Task Scheduler task that runs at the user's
// logon with the highest privileges. Run-key entries cannot do this: Windows does not start an executable that
// requires administrator rights from the Run key. Everything goes through schtasks.exe via an injected runner, so
// the commands are tested here and executed on Windows by main.
import { AUTOSTART_ARG, AUTOSTART_TASK_NAME, PRODUCT_NAME } from '../app-identity';
import { buildTaskXml, encodeTaskXml, joinWindowsArgs, parseTaskXml, type TaskSummary } from './task-xml';

export interface ProcessResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs an executable with an argument list (no shell) and resolves with its exit code and output. */
export type ProcessRunner = (file: string, args: readonly string[]) => Promise<ProcessResult>;

export interface TempFile {
  readonly path: string;
  remove(): Promise<void>;
}

/** Writes bytes to a new file that only this process and administrators can change; see node-runner.ts. */
export type TempFileWriter = (fileName: string, content: Uint8Array) => Promise<TempFile>;

/** The account signed in to the Windows session (see native/win32/accounts.ts sessionUser). */
export interface SessionAccount {
  /** DOMAIN\\name, for the task's description only. */
  readonly name: string;
  readonly sid: string;
}

export interface AutostartDeps {
  readonly run: ProcessRunner;
  /**
   * The account that signs in to this desktop, read through the Windows API (WTSQuerySessionInformationW and
   * LookupAccountNameW), not from whoami.exe's text. It differs from the elevated token's account when "Run as
   * administrator" used another administrator's credentials; the task must start at the logon of the person at
   * this desktop.
   */
  readonly signedInUser?: () => SessionAccount | Promise<SessionAccount>;
  readonly writeTempFile: TempFileWriter;
  /**
   * %SystemRoot% as Windows reports it (the installed app puts FOLDERID_Windows in its environment before
   * anything else runs: electron/main/hardening.ts). The tools are called by absolute path so an elevated process
   * never searches PATH for them. No default: where Windows is not in C:\Windows, any user may create that folder
   * in the root of C: (authenticated users may create folders there) and put a schtasks.exe in it.
   */
  readonly systemRoot: string;
  readonly taskName?: string;
}

export interface EnableOptions {
  /** Absolute path of Portcullis.exe. */
  readonly exePath: string;
  /** Defaults to [AUTOSTART_ARG]. */
  readonly args?: readonly string[];
  readonly delaySeconds?: number;
}

export type AutostartState =
  | { readonly registered: false }
  | {
      readonly registered: true;
      readonly enabled: boolean;
      readonly command?: string;
      readonly arguments?: string;
      readonly elevated: boolean;
      /** False when the task starts another executable than the one asked about (the app was moved or reinstalled). */
      readonly matches: boolean;
    };

export class AutostartError extends Error {
  constructor(
    message: string,
    readonly result?: ProcessResult,
  ) {
    super(message);
    this.name = 'AutostartError';
  }
}

export function schtasksPath(systemRoot: string): string {
  return `${systemRoot.replace(/\\+$/, '')}\\System32\\schtasks.exe`;
}

// The argument lists, one per command. Each element is one argv entry: the runner passes them without a shell, so
// a path with spaces stays one argument and needs no quotes of our own.
export function createTaskArgs(taskName: string, xmlPath: string): string[] {
  return ['/Create', '/TN', taskName, '/XML', xmlPath, '/F'];
}

export function deleteTaskArgs(taskName: string): string[] {
  return ['/Delete', '/TN', taskName, '/F'];
}

export function queryTaskArgs(taskName: string): string[] {
  return ['/Query', '/TN', taskName, '/XML'];
}

/** Every task as CSV without a header: the task names in it are not translated, unlike schtasks' error messages. */
export function listTasksArgs(): string[] {
  return ['/Query', '/FO', 'CSV', '/NH'];
}

/** A SID in its string form: S-1-<authority>-<sub authorities>. */
export function isSidString(sid: string): boolean {
  return /^S-1-\d+(-\d+)+$/.test(sid);
}

export function validateExePath(exePath: string): void {
  if (!/^[a-zA-Z]:\\[^"\r\n<>|*?]+\.exe$/i.test(exePath) && !/^\\\\[^"\r\n<>|*?]+\.exe$/i.test(exePath)) {
    throw new AutostartError(
      `Autostart needs the absolute path of an .exe file, not "${exePath}". Start Portcullis from its installed copy.`,
    );
  }
}

/** Compares paths as Windows does (case-insensitive), tolerant of characters lost in schtasks' console code page. */
export function samePath(a: string, b: string): boolean {
  const skeleton = (s: string) => s.toLowerCase().replace(/[^\x20-\x7e]+/g, '?');
  return skeleton(a) === skeleton(b);
}

function describe(result: ProcessResult): string {
  const text = (result.stderr.trim() || result.stdout.trim()).split(/\r?\n/)[0] ?? '';
  return `schtasks.exe exited with ${result.code}${text ? `: ${text}` : ''}`;
}

export class Autostart {
  private readonly run: ProcessRunner;
  private readonly writeTempFile: TempFileWriter;
  private readonly schtasks: string;
  private readonly signedInUser: () => SessionAccount | Promise<SessionAccount>;
  readonly taskName: string;

  constructor(deps: AutostartDeps) {
    this.run = deps.run;
    this.writeTempFile = deps.writeTempFile;
    this.schtasks = schtasksPath(deps.systemRoot);
    this.signedInUser =
      deps.signedInUser ??
      (() => {
        throw new Error('the signed-in account can only be read on Windows');
      });
    this.taskName = deps.taskName ?? AUTOSTART_TASK_NAME;
  }

  /** Registers (or replaces) the logon task for the account signed in to this session. */
  async enable(options: EnableOptions): Promise<AutostartState> {
    validateExePath(options.exePath);
    const args = options.args ?? [AUTOSTART_ARG];
    let user: SessionAccount;
    try {
      user = await this.signedInUser();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new AutostartError(`Could not find out who is signed in to this session (${reason}).`);
    }
    if (!isSidString(user.sid)) throw new AutostartError(`"${user.sid}" is not a Windows account SID.`);
    const xml = buildTaskXml({
      command: options.exePath,
      args,
      userSid: user.sid,
      description: `Starts ${PRODUCT_NAME} in the notification area when ${user.name} signs in, with administrator rights and without a UAC prompt.`,
      delaySeconds: options.delaySeconds ?? 5,
    });
    const file = await this.writeTempFile('portcullis-autostart.xml', encodeTaskXml(xml));
    let created: ProcessResult;
    try {
      created = await this.run(this.schtasks, createTaskArgs(this.taskName, file.path));
    } finally {
      await file.remove();
    }
    if (created.code !== 0) {
      throw new AutostartError(
        `Could not create the logon task "${this.taskName}" (${describe(created)}). ` +
          'Changing autostart needs Portcullis running as administrator.',
        created,
      );
    }
    // The definition went through a file on disk; read back what Task Scheduler registered so that a file changed
    // between writing and reading can never leave an elevated task that starts something else.
    const state = await this.query(options.exePath, args);
    if (!state.registered || !state.matches || !state.elevated) {
      await this.run(this.schtasks, deleteTaskArgs(this.taskName));
      throw new AutostartError(
        `The logon task "${this.taskName}" was registered with a different definition than Portcullis wrote, so it ` +
          'was removed again. Try again; if it keeps failing, check what else changes scheduled tasks on this PC.',
      );
    }
    return state;
  }

  /** Removes the logon task; succeeds when there is none. */
  async disable(): Promise<void> {
    if (!(await this.exists())) return;
    const result = await this.run(this.schtasks, deleteTaskArgs(this.taskName));
    if (result.code !== 0) {
      throw new AutostartError(
        `Could not remove the logon task "${this.taskName}" (${describe(result)}). ` +
          'Changing autostart needs Portcullis running as administrator.',
        result,
      );
    }
  }

  /** What is registered; `matches` compares with the executable (and arguments) the caller expects. */
  async query(exePath?: string, args: readonly string[] = [AUTOSTART_ARG]): Promise<AutostartState> {
    const result = await this.run(this.schtasks, queryTaskArgs(this.taskName));
    if (result.code !== 0) {
      if (!(await this.exists())) return { registered: false };
      throw new AutostartError(`Could not read the logon task "${this.taskName}" (${describe(result)}).`, result);
    }
    const summary: TaskSummary = parseTaskXml(result.stdout);
    const argsMatch = (summary.arguments ?? '') === joinWindowsArgs(args);
    return {
      registered: true,
      enabled: summary.enabled,
      ...(summary.command === undefined ? {} : { command: summary.command }),
      ...(summary.arguments === undefined ? {} : { arguments: summary.arguments }),
      elevated: summary.runLevel === 'HighestAvailable' && summary.hasLogonTrigger,
      // A second action or a working folder added to the file before schtasks.exe read it would run elevated at
      // every logon as well, so they make the task not ours just like a different command does.
      matches:
        exePath === undefined ||
        (summary.command !== undefined &&
          samePath(summary.command, exePath) &&
          argsMatch &&
          summary.actionCount === 1 &&
          summary.workingDirectory === undefined),
    };
  }

  private async exists(): Promise<boolean> {
    const result = await this.run(this.schtasks, listTasksArgs());
    if (result.code !== 0) {
      throw new AutostartError(`Could not list scheduled tasks (${describe(result)}).`, result);
    }
    const wanted = `"\\${this.taskName}"`.toLowerCase();
    return result.stdout.split(/\r?\n/).some((line) => line.toLowerCase().startsWith(`${wanted},`));
  }
}
