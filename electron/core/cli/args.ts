// The command line, parsed into one command with its options. Each command lists the options it takes; anything
// else is a usage error that names what was wrong and where to read more (exit code 2), never a guess.
export type CliCommand =
  | { readonly name: 'watch'; readonly json: boolean; readonly limit?: number }
  | { readonly name: 'rules.list'; readonly json: boolean }
  | { readonly name: 'rules.allow' | 'rules.block'; readonly path: string; readonly scope: RuleScope }
  | { readonly name: 'rules.remove'; readonly ids: readonly string[] }
  | { readonly name: 'export'; readonly file?: string }
  | { readonly name: 'import'; readonly file: string; readonly dryRun: boolean }
  | { readonly name: 'mode'; readonly mode?: 'monitor' | 'learning' | 'enforce' | 'off' }
  | { readonly name: 'status'; readonly json: boolean }
  | { readonly name: 'reset' }
  | { readonly name: 'help'; readonly topic?: string }
  | { readonly name: 'version' };

/** What `rules allow|block` narrows a rule to; ports say which side they are on. */
export interface RuleScope {
  readonly direction: 'out' | 'in' | 'both';
  readonly protocol?: number;
  /** This computer's port: the port an inbound app listens on. */
  readonly localPort?: number;
  /** The other computer's port: the port an outbound app connects to. */
  readonly remotePort?: number;
  readonly overridesWindowsFirewall?: true;
}

export class UsageError extends Error {
  /** The command whose help explains the mistake; undefined: the general help. */
  constructor(
    message: string,
    readonly topic?: string,
  ) {
    super(message);
  }
}

interface CommandHelp {
  readonly usage: string;
  readonly summary: string;
  readonly details?: string;
  readonly options: readonly string[];
}

const SCOPE_OPTIONS = ['--in', '--both', '--tcp', '--udp', '--local-port', '--remote-port'];
const SCOPE_HELP =
  '  --in | --both         inbound (connections to this app) or both ways; outbound without either\n' +
  '  --tcp | --udp         one protocol (needed with a port)\n' +
  '  --local-port N        this computer\'s port: an inbound app "listening on port N"\n' +
  '  --remote-port N       the other computer\'s port: an outbound app connecting "to port N"';

const HELP: Readonly<Record<string, CommandHelp>> = {
  watch: {
    usage: 'watch [--json] [--limit N]',
    summary: 'Print events as they happen',
    details: '  --json       one JSON object per line\n  --limit N    stop after N events',
    options: ['--json', '--limit'],
  },
  'rules list': { usage: 'rules list [--json]', summary: 'List the rules', options: ['--json'] },
  'rules allow': {
    usage: 'rules allow <path> [scope]',
    summary: 'Allow an application (e.g. "C:\\Program Files\\App\\app.exe", or System)',
    details:
      '  The path must be a full path on a local drive; quote it when it has spaces.\n' +
      SCOPE_HELP +
      '\n  --override-windows-firewall  allow even where a Windows Defender Firewall rule blocks it (a hard\n' +
      '                               permit; never for packaged apps, whose isolation Portcullis keeps)',
    options: [...SCOPE_OPTIONS, '--override-windows-firewall'],
  },
  'rules block': {
    usage: 'rules block <path> [scope]',
    summary: 'Block an application',
    details: SCOPE_HELP,
    options: SCOPE_OPTIONS,
  },
  'rules remove': {
    usage: 'rules remove <id>...',
    summary: 'Remove rules by id (see `portcullis rules list`)',
    details: '  When an id is unknown nothing is removed.',
    options: [],
  },
  export: {
    usage: 'export [file]',
    summary: 'Write every rule as JSON to a new file (to stdout without one)',
    options: [],
  },
  import: {
    usage: 'import <file> [--dry-run]',
    summary: 'Import rules from an export',
    details: '  --dry-run    only show what would change',
    options: ['--dry-run'],
  },
  mode: {
    usage: 'mode [monitor|learning|enforce|off]',
    summary: 'Show or switch the mode',
    details:
      '  monitor   show what is blocked, change nothing\n' +
      '  learning  allow everything and propose a rule per app\n' +
      '  enforce   block every app without an allow rule (the essentials stay open)\n' +
      '  off       remove the filters of Portcullis',
    options: [],
  },
  status: { usage: 'status [--json]', summary: 'Mode, counters, rules and notices', options: ['--json'] },
  reset: {
    usage: 'reset',
    summary: 'Remove every WFP filter, sublayer and provider of Portcullis and switch to Off',
    options: [],
  },
};

const COMMANDS = Object.keys(HELP);
const WIDTH = 30;

/** The data folder as the user finds it on this platform, for the help text. */
export function dataFolderLine(dataDir: string, platform: NodeJS.Platform = process.platform): string {
  const where = platform === 'win32' ? '%ProgramData%\\Portcullis, readable and writable by administrators only' : '';
  return `Data folder: ${dataDir}${where ? ` (${where})` : ''}`;
}

/** The general help. */
export function usage(dataDir?: string): string {
  const lines = COMMANDS.map((name) => {
    const { usage: u, summary } = HELP[name] as CommandHelp;
    return u.length < WIDTH - 2 ? `  ${u.padEnd(WIDTH - 2)}${summary}` : `  ${u}\n${' '.repeat(WIDTH)}${summary}`;
  });
  return [
    'Usage: portcullis <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Options for every command: -h, --help (help for that command), -v, --version',
    'Run `portcullis <command> --help` for a command, e.g. `portcullis import --help`.',
    'Exit codes: 0 success, 1 failure, 2 usage error.',
    ...(dataDir ? [dataFolderLine(dataDir)] : []),
  ].join('\n');
}

/** Help for one command ("rules" shows its sub-commands). */
export function commandHelp(topic: string): string {
  const matches = COMMANDS.filter((name) => name === topic || name.startsWith(`${topic} `));
  if (matches.length === 0) return usage();
  return matches
    .map((name) => {
      const h = HELP[name] as CommandHelp;
      return [`Usage: portcullis ${h.usage}`, `  ${h.summary}`, ...(h.details ? [h.details] : [])].join('\n');
    })
    .join('\n\n');
}

const MODES = ['monitor', 'learning', 'enforce', 'off'] as const;

export function parseArgs(argv: readonly string[]): CliCommand {
  const words: string[] = [];
  const flags: string[] = [];
  let limit: string | undefined;
  const ports = new Map<string, string>();
  let help = false;
  let version = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '-h' || arg === '--help') help = true;
    else if (arg === '-v' || arg === '--version') version = true;
    else if (arg === '--limit') {
      limit = argv[++i] ?? '';
      flags.push('--limit');
    } else if (arg.startsWith('--limit=')) {
      limit = arg.slice('--limit='.length);
      flags.push('--limit');
    } else if (PORT_OPTIONS.some((o) => arg === o || arg.startsWith(`${o}=`))) {
      const name = arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg;
      ports.set(name, arg.includes('=') ? arg.slice(name.length + 1) : (argv[++i] ?? ''));
      flags.push(name);
    } else if (arg.startsWith('-') && arg.length > 1) flags.push(arg);
    else words.push(arg);
  }
  const topic = topicOf(words);
  if (help || words[0] === 'help') return { name: 'help', ...helpTopic(words[0] === 'help' ? words.slice(1) : words) };
  if (version) return { name: 'version' };
  if (words.length === 0) {
    if (flags.length > 0) throw new UsageError(`unknown option ${flags[0]}`);
    return { name: 'help' };
  }
  if (!topic) throw new UsageError(`unknown command "${words.join(' ')}"`, words[0] === 'rules' ? 'rules' : undefined);
  const allowed = (HELP[topic] as CommandHelp).options;
  for (const flag of flags) {
    if (!allowed.includes(flag)) {
      throw new UsageError(
        allowed.length > 0
          ? `${topic} does not take ${flag} (it takes ${allowed.join(', ')})`
          : `${topic} takes no options, got ${flag}`,
        topic,
      );
    }
  }
  const json = flags.includes('--json');
  const rest = words.slice(topic.split(' ').length);
  switch (topic) {
    case 'watch': {
      let n: number | undefined;
      if (limit !== undefined) {
        n = Number(limit);
        if (!Number.isInteger(n) || n < 1)
          throw new UsageError(`--limit needs a positive whole number, got "${limit}"`, topic);
      }
      none(rest, topic);
      return { name: 'watch', json, ...(n !== undefined ? { limit: n } : {}) };
    }
    case 'rules list':
      none(rest, topic);
      return { name: 'rules.list', json };
    case 'rules allow':
    case 'rules block':
      if (rest.length !== 1) throw new UsageError(`${topic} needs exactly one path (quote paths with spaces)`, topic);
      return {
        name: topic === 'rules allow' ? 'rules.allow' : 'rules.block',
        path: rest[0] as string,
        scope: scopeOf(flags, ports, topic),
      };
    case 'rules remove':
      if (rest.length === 0) throw new UsageError('rules remove needs at least one rule id', topic);
      return { name: 'rules.remove', ids: rest };
    case 'export':
      if (rest.length > 1) throw new UsageError('export takes at most one file', topic);
      return { name: 'export', ...(rest[0] !== undefined ? { file: rest[0] } : {}) };
    case 'import':
      if (rest.length !== 1) throw new UsageError('import needs exactly one file', topic);
      return { name: 'import', file: rest[0] as string, dryRun: flags.includes('--dry-run') };
    case 'mode': {
      if (rest.length === 0) return { name: 'mode' };
      const mode = rest[0] as (typeof MODES)[number];
      if (rest.length > 1 || !MODES.includes(mode))
        throw new UsageError(`mode must be one of ${MODES.join(', ')}, got "${rest.join(' ')}"`, topic);
      return { name: 'mode', mode };
    }
    case 'status':
      none(rest, topic);
      return { name: 'status', json };
    default:
      none(rest, topic);
      return { name: 'reset' };
  }
}

const PORT_OPTIONS = ['--local-port', '--remote-port'];

function scopeOf(flags: readonly string[], ports: ReadonlyMap<string, string>, topic: string): RuleScope {
  const has = (f: string) => flags.includes(f);
  if (has('--in') && has('--both')) throw new UsageError('--in and --both exclude each other', topic);
  if (has('--tcp') && has('--udp')) throw new UsageError('--tcp and --udp exclude each other', topic);
  const port = (name: string): number | undefined => {
    const text = ports.get(name);
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1 || n > 65_535)
      throw new UsageError(`${name} needs a port from 1 to 65535, got "${text}"`, topic);
    return n;
  };
  const localPort = port('--local-port');
  const remotePort = port('--remote-port');
  const protocol = has('--tcp') ? 6 : has('--udp') ? 17 : undefined;
  if ((localPort !== undefined || remotePort !== undefined) && protocol === undefined)
    throw new UsageError('a port needs --tcp or --udp', topic);
  return {
    direction: has('--in') ? 'in' : has('--both') ? 'both' : 'out',
    ...(protocol !== undefined ? { protocol } : {}),
    ...(localPort !== undefined ? { localPort } : {}),
    ...(remotePort !== undefined ? { remotePort } : {}),
    ...(has('--override-windows-firewall') ? { overridesWindowsFirewall: true as const } : {}),
  };
}

/** "rules" alone lists the rules; "rules allow x" is the command "rules allow". */
function topicOf(words: readonly string[]): string | undefined {
  const [first, second] = words;
  if (first === undefined) return undefined;
  if (first === 'rules') {
    if (second === undefined) return 'rules list';
    return HELP[`rules ${second}`] ? `rules ${second}` : undefined;
  }
  return HELP[first] ? first : undefined;
}

function helpTopic(words: readonly string[]): { topic?: string } {
  if (words.length === 0) return {};
  if (words[0] === 'rules' && words.length === 1) return { topic: 'rules' };
  const topic = topicOf(words);
  return topic ? { topic } : {};
}

function none(rest: readonly string[], command: string): void {
  if (rest.length > 0) throw new UsageError(`${command} takes no arguments, got "${rest.join(' ')}"`, command);
}
