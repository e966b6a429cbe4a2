// The command line, parsed into one command with its options. Usage errors name what was wrong.
export type CliCommand =
  | { readonly name: 'watch'; readonly json: boolean; readonly limit?: number }
  | { readonly name: 'rules.list'; readonly json: boolean }
  | { readonly name: 'rules.allow' | 'rules.block'; readonly path: string }
  | { readonly name: 'rules.remove'; readonly ids: readonly string[] }
  | { readonly name: 'export'; readonly file?: string }
  | { readonly name: 'import'; readonly file: string; readonly dryRun: boolean }
  | { readonly name: 'mode'; readonly mode?: 'monitor' | 'learning' | 'enforce' | 'off' }
  | { readonly name: 'status'; readonly json: boolean }
  | { readonly name: 'reset' }
  | { readonly name: 'help' }
  | { readonly name: 'version' };

export class UsageError extends Error {}

export const USAGE = `Usage: portcullis <command> [options]

Commands:
  watch [--json] [--limit N]   Print events as they happen (--json: one JSON object per line)
  rules list [--json]          List the rules
  rules allow <path>           Allow an application (e.g. "C:\\Program Files\\App\\app.exe", or System)
  rules block <path>           Block an application
  rules remove <id>...         Remove rules by id
  export [file]                Write every rule as JSON (to stdout without a file)
  import <file> [--dry-run]    Import rules from an export; --dry-run only shows what would change
  mode [monitor|learning|enforce|off]
                               Show or switch the mode
  status [--json]              Mode, counters, rules and notices
  reset                        Remove every WFP filter, sublayer and provider of Portcullis and switch to Off

Exit codes: 0 success, 1 failure, 2 usage error.
The data folder is PORTCULLIS_DATA_DIR when set, otherwise the per-user Portcullis folder.`;

const MODES = ['monitor', 'learning', 'enforce', 'off'] as const;

export function parseArgs(argv: readonly string[]): CliCommand {
  const flags = new Set(argv.filter((a) => a.startsWith('--') && !a.startsWith('--limit')));
  const words: string[] = [];
  let limit: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--limit' || arg.startsWith('--limit=')) {
      const value = arg.includes('=') ? arg.slice(8) : argv[++i];
      limit = Number(value);
      if (!Number.isInteger(limit) || limit < 1)
        throw new UsageError(`--limit needs a positive whole number, got "${value ?? ''}"`);
    } else if (!arg.startsWith('--')) {
      words.push(arg);
    }
  }
  const json = flags.has('--json');
  const known = new Set(['--json', '--dry-run', '--help', '--version']);
  for (const flag of flags) if (!known.has(flag)) throw new UsageError(`unknown option ${flag}`);
  if (flags.has('--help')) return { name: 'help' };
  if (flags.has('--version')) return { name: 'version' };
  const [command, ...rest] = words;
  switch (command) {
    case undefined:
    case 'help':
      return { name: 'help' };
    case 'watch':
      none(rest, 'watch');
      return { name: 'watch', json, ...(limit !== undefined ? { limit } : {}) };
    case 'rules': {
      const [sub, ...args] = rest;
      if (sub === 'list' || sub === undefined) return (none(args, 'rules list'), { name: 'rules.list', json });
      if (sub === 'allow' || sub === 'block') {
        if (args.length !== 1) throw new UsageError(`rules ${sub} needs exactly one path (quote paths with spaces)`);
        return { name: sub === 'allow' ? 'rules.allow' : 'rules.block', path: args[0] as string };
      }
      if (sub === 'remove') {
        if (args.length === 0)
          throw new UsageError('rules remove needs at least one rule id (see `portcullis rules list`)');
        return { name: 'rules.remove', ids: args };
      }
      throw new UsageError(`unknown rules command "${sub}"`);
    }
    case 'export':
      if (rest.length > 1) throw new UsageError('export takes at most one file');
      return { name: 'export', ...(rest[0] !== undefined ? { file: rest[0] } : {}) };
    case 'import':
      if (rest.length !== 1) throw new UsageError('import needs exactly one file');
      return { name: 'import', file: rest[0] as string, dryRun: flags.has('--dry-run') };
    case 'mode': {
      if (rest.length === 0) return { name: 'mode' };
      const mode = rest[0] as (typeof MODES)[number];
      if (rest.length > 1 || !MODES.includes(mode)) throw new UsageError(`mode must be one of ${MODES.join(', ')}`);
      return { name: 'mode', mode };
    }
    case 'status':
      none(rest, 'status');
      return { name: 'status', json };
    case 'reset':
      none(rest, 'reset');
      return { name: 'reset' };
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

function none(rest: readonly string[], command: string): void {
  if (rest.length > 0) throw new UsageError(`${command} takes no arguments, got "${rest.join(' ')}"`);
}
