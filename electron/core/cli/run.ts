// `portcullis`: the same core as the app, from a shell. Each command starts core, does one thing and stops it;
// `watch` keeps the subscription until interrupted (or --limit events).
import { readFile, writeFile } from 'node:fs/promises';
import { createPortcullisCore, type PortcullisCore } from '../index';
import type { CoreBackend } from '../backend/port';
import type { PortcullisCoreOptions } from '../facade/options';
import { defaultDataDir } from '../persistence/data-dir';
import { whyEndingAtOnce } from '../util/end-process';
import { decodeDocument } from '../persistence/document-text';
import { commandHelp, parseArgs, usage, UsageError, type CliCommand } from './args';
import { formatEvent, formatPreview, formatRules, formatStatus } from './format';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Resolves when the user interrupts (Ctrl+C); watch stops then. */
  readonly interrupted?: Promise<void>;
}

export interface CliDeps {
  readonly backend: () => CoreBackend;
  readonly dataDir?: string;
  readonly coreOptions?: Partial<PortcullisCoreOptions>;
  readonly version?: string;
  /**
   * Ends the process without the usual teardown, after what was written has drained; never resolves when it does.
   * Called when core has stopped yet a file lookup is still inside a call into Windows: a normal exit would wait for
   * that call (Node joins worker threads at exit), and `portcullis watch` would hang after Ctrl+C.
   */
  readonly endProcessNow?: () => Promise<unknown>;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export async function runCli(argv: readonly string[], io: CliIo, deps: CliDeps): Promise<number> {
  let command: CliCommand;
  try {
    command = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const help = error.topic ? `portcullis ${error.topic} --help` : 'portcullis --help';
    io.stderr(`portcullis: ${error.message}\nRun \`${help}\` for usage.\n`);
    return EXIT_USAGE;
  }
  if (command.name === 'help') {
    io.stdout(`${command.topic ? commandHelp(command.topic) : usage(deps.dataDir ?? defaultDataDir())}\n`);
    return EXIT_OK;
  }
  if (command.name === 'version') {
    io.stdout(`portcullis ${deps.version ?? '(version unknown)'}\n`);
    return EXIT_OK;
  }

  let core: PortcullisCore | undefined;
  try {
    core = createPortcullisCore({
      ...deps.coreOptions,
      backend: deps.backend(),
      ...(deps.dataDir !== undefined ? { dataDir: deps.dataDir } : {}),
    });
    await core.start({
      subscribe: command.name === 'watch',
      reconcile: changesRules(command),
      watchDataFolder: command.name === 'watch',
    });
    return await execute(command, core, io);
  } catch (error) {
    io.stderr(`portcullis: ${describe(error)}\n`);
    return EXIT_FAILURE;
  } finally {
    await core?.stop().catch((error: unknown) => io.stderr(`portcullis: while stopping: ${describe(error)}\n`));
    const held = core?.callsHoldingExit() ?? [];
    if (held.length > 0 && deps.endProcessNow) {
      io.stderr(`portcullis: ending at once: ${whyEndingAtOnce(held, 'exiting')}\n`);
      await deps.endProcessNow();
    }
  }
}

async function execute(command: CliCommand, core: PortcullisCore, io: CliIo): Promise<number> {
  const h = core.handlers;
  switch (command.name) {
    case 'watch':
      return watch(core, io, command.json, command.limit);
    case 'rules.list': {
      const { rules } = await h['snapshot.get']({});
      io.stdout(`${command.json ? JSON.stringify(rules, null, 2) : formatRules(rules)}\n`);
      return EXIT_OK;
    }
    case 'rules.allow':
    case 'rules.block': {
      const action = command.name === 'rules.allow' ? 'allow' : 'block';
      const rule = await core.ruleForPath(command.path, action, 'cli', command.scope);
      io.stdout(
        `${action === 'allow' ? 'Allowed' : 'Blocked'} ${rule.app.path ?? rule.app.displayName} (rule ${rule.id})\n`,
      );
      return EXIT_OK;
    }
    case 'rules.remove': {
      const known = new Set((await h['snapshot.get']({})).rules.map((r) => r.id));
      const missing = command.ids.filter((id) => !known.has(id));
      if (missing.length > 0) {
        io.stderr(
          `portcullis: no rule with id ${missing.join(', ')}; nothing was removed (see \`portcullis rules list\`)\n`,
        );
        return EXIT_FAILURE;
      }
      const { removed } = await h['rules.remove']({ ids: [...command.ids] });
      io.stdout(`Removed ${removed} rule${removed === 1 ? '' : 's'}.\n`);
      return EXIT_OK;
    }
    case 'export': {
      const { json } = await h['rules.export']({});
      if (command.file) {
        // A new file only: run elevated, an existing name (a link an unelevated program put in a folder of the
        // user's) could point this write at any file of the system.
        await writeFile(command.file, json, { flag: 'wx' }).catch((error: unknown) => {
          throw fileError(error, command.file as string, 'write');
        });
        const count = core.status().rules;
        io.stderr(`Wrote ${count} rule${count === 1 ? '' : 's'} to ${command.file}\n`);
      } else {
        io.stdout(json);
      }
      return EXIT_OK;
    }
    case 'import': {
      // UTF-8 with or without a BOM, or UTF-16, as Windows editors and PowerShell save it.
      const json = decodeDocument(
        await readFile(command.file).catch((error: unknown) => {
          throw fileError(error, command.file, 'read');
        }),
      ).text;
      const preview = command.dryRun ? await h['rules.previewImport']({ json }) : await h['rules.import']({ json });
      io.stdout(`${formatPreview(preview)}\n`);
      if (preview.errors.length > 0) {
        io.stderr('portcullis: nothing was imported; fix the errors above and try again\n');
        return EXIT_FAILURE;
      }
      if (!command.dryRun) {
        const imported = preview.imported ?? 0;
        io.stdout(imported > 0 ? `Imported ${imported} rule${imported === 1 ? '' : 's'}.\n` : 'Nothing to import.\n');
      }
      return EXIT_OK;
    }
    case 'mode': {
      if (command.mode) await h['mode.set']({ mode: command.mode });
      io.stdout(`${core.status().mode}\n`);
      return EXIT_OK;
    }
    case 'status': {
      const status = core.status();
      io.stdout(
        `${command.json ? JSON.stringify({ ...status, dataDir: core.dataDir }, null, 2) : formatStatus(status, core.dataDir)}\n`,
      );
      return EXIT_OK;
    }
    case 'reset': {
      await h['app.reset']({});
      io.stdout('Removed every filter, sublayer and provider of Portcullis. Mode: off.\n');
      return EXIT_OK;
    }
    default:
      return EXIT_USAGE;
  }
}

async function watch(core: PortcullisCore, io: CliIo, json: boolean, limit: number | undefined): Promise<number> {
  let seen = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const off = core.onEvent((entry, event) => {
    if (limit !== undefined && seen >= limit) return;
    seen++;
    io.stdout(`${json ? JSON.stringify({ ...entry, ...core.describe(entry, event), event }) : formatEvent(entry)}\n`);
    if (limit !== undefined && seen >= limit) done();
  });
  if (!json) io.stderr(`Watching (${core.status().backend}, mode ${core.status().mode}); Ctrl+C to stop.\n`);
  // Events arrive from WFP's thread, which does not keep Node's event loop alive by itself.
  const keepAlive = setInterval(() => undefined, 60_000);
  try {
    await Promise.race([finished, io.interrupted ?? new Promise<void>(() => undefined)]);
  } finally {
    clearInterval(keepAlive);
    off();
  }
  return EXIT_OK;
}

/** A file error as a sentence: what, which file, what to do; never a raw ENOENT. */
export function fileError(error: unknown, file: string, verb: 'read' | 'write'): Error {
  const code = (error as { code?: unknown }).code;
  const reason =
    code === 'ENOENT'
      ? verb === 'read'
        ? 'there is no such file'
        : 'its folder does not exist'
      : code === 'EEXIST'
        ? 'it already exists, and is not overwritten (remove it or name a new file)'
        : code === 'EISDIR'
          ? 'it is a folder, not a file'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : error instanceof Error
              ? error.message
              : String(error);
  const hint = code === 'ENOENT' ? ` Check the path (a relative path starts in ${process.cwd()}).` : '';
  return new Error(`cannot ${verb} ${file}: ${reason}.${hint}`);
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const hint = (error as { hint?: unknown }).hint;
    return typeof hint === 'string' && hint && !error.message.includes(hint)
      ? `${error.message} ${hint}`
      : error.message;
  }
  return String(error);
}

/**
 * Whether the command changes rules or the mode, and so must first bring WFP in line with the rule store. A command
 * that only reads (status, rules list, export, watch) must not: while the app runs, its reconcile could see a
 * filter the app has just added for a rule not yet in the file it read, and remove it as an orphan.
 */
function changesRules(command: CliCommand): boolean {
  switch (command.name) {
    case 'rules.allow':
    case 'rules.block':
    case 'rules.remove':
      return true;
    case 'import':
      return !command.dryRun;
    case 'mode':
      return command.mode !== undefined;
    default:
      return false;
  }
}
