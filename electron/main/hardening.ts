// What the installed, elevated app refuses to take from the outside: Chromium and Node switches on its command line,
// logging variables, PORTCULLIS_* overrides, and system folders named by the environment. Every input here can be
// set by an unelevated program of the same user (a shortcut, HKCU\Environment, a scheduled task of its own), and the
// elevated process would otherwise act on it with administrator rights. Pure, so the rules are tested under Node.

/**
 * Switches that open the process to another program (debugger ports and pipes), run a program of someone else's
 * choosing as a wrapper of our child processes, turn the sandbox or web security off, write files where the caller
 * says, or move the profile (and with it the single-instance lock) somewhere else. Names as Chromium declares them
 * (content/public/common/content_switches.cc, sandbox/policy/switches.cc, chrome's remote debugging switches) and as
 * Electron documents them (docs/api/command-line-switches.md: --inspect*, --js-flags, --remote-debugging-port,
 * --log-file, --log-net-log, --enable-logging, --no-sandbox, --ignore-certificate-errors, --host-rules ...).
 */
const UNSAFE_EXACT = new Set([
  'no-sandbox',
  'no-zygote',
  'single-process',
  'in-process-gpu',
  'allow-sandbox-debugging',
  'disable-web-security',
  'allow-file-access-from-files',
  'allow-running-insecure-content',
  'unsafely-treat-insecure-origin-as-secure',
  'ignore-certificate-errors',
  'ignore-certificate-errors-spki-list',
  'disable-site-isolation-trials',
  'disable-features',
  'enable-features',
  'enable-blink-features',
  'disable-blink-features',
  'blink-settings',
  'force-fieldtrials',
  'force-fieldtrial-params',
  'js-flags',
  'user-data-dir',
  'disk-cache-dir',
  'enable-logging',
  'log-file',
  'log-net-log',
  'crash-dumps-dir',
  'load-extension',
  'register-pepper-plugins',
  'ppapi-flash-path',
  'proxy-server',
  'proxy-pac-url',
  'host-rules',
  'host-resolver-rules',
  'debug',
  'debug-brk',
  'debug-port',
  'experimental-network-inspection',
  'experimental-inspector-network-resource',
  'diagnostic-dir',
]);
const UNSAFE_PATTERNS = [
  /^remote-debugging(-|$)/, // -port, -pipe, -address, -targets
  /^remote-allow-origins$/,
  /^inspect(-|$)/, // --inspect, --inspect-brk, --inspect-port, --inspect-publish-uid
  /-launcher$/, // --gpu-launcher, --ppapi-plugin-launcher
  /-cmd-prefix$/, // --renderer-cmd-prefix, --utility-cmd-prefix, --gpu-cmd-prefix
  /^disable-.*sandbox/, // --disable-gpu-sandbox, --disable-seccomp-filter-sandbox, ...
  /^wait-for-debugger/,
  /-startup-dialog$/, // --renderer-startup-dialog, --gpu-startup-dialog, --utility-startup-dialog
  /^trace-(startup|to-file)/,
  /^enable-unsafe-/,
];

/** Variables Electron reads at start in any build that make it write logs where the variable says. */
const UNSAFE_VARIABLES = ['ELECTRON_ENABLE_LOGGING', 'ELECTRON_LOG_FILE', 'ELECTRON_LOG_ASAR_READS'];

export interface ParsedSwitch {
  /** As Chromium keys it: lower case on Windows, without prefix or value. */
  readonly name: string;
  /** The argument as given. */
  readonly raw: string;
}

/**
 * The switches Chromium would see in `args` (argv without the executable). Chromium's base/command_line.cc accepts
 * "--", "-" and, on Windows, "/" as prefixes, lower-cases switch names on Windows, and stops at a bare "--"; on
 * Windows "--single-argument" makes the rest one argument.
 */
export function chromiumSwitches(args: readonly string[], platform: NodeJS.Platform): ParsedSwitch[] {
  const prefixes = platform === 'win32' ? ['--', '-', '/'] : ['--', '-'];
  const found: ParsedSwitch[] = [];
  for (const raw of args) {
    if (raw === '--') break;
    const prefix = prefixes.find((p) => raw.startsWith(p) && raw.length > p.length);
    if (!prefix) continue;
    const body = raw.slice(prefix.length);
    const name = body.split('=', 1)[0]!;
    const key = platform === 'win32' ? name.toLowerCase() : name;
    if (platform === 'win32' && key === 'single-argument') break;
    found.push({ name: key, raw });
  }
  return found;
}

export function isUnsafeSwitch(name: string): boolean {
  return UNSAFE_EXACT.has(name) || UNSAFE_PATTERNS.some((pattern) => pattern.test(name));
}

/** Why the installed app refuses to start with this command line and environment; empty when it may start. */
export function refusalReasons(args: readonly string[], env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] {
  const reasons = chromiumSwitches(args, platform)
    .filter((s) => isUnsafeSwitch(s.name))
    .map((s) => `the switch ${s.raw}`);
  for (const name of UNSAFE_VARIABLES) {
    if (Object.keys(env).some((key) => key.toUpperCase() === name)) reasons.push(`the environment variable ${name}`);
  }
  return reasons;
}

export function refusalMessage(reasons: readonly string[]): string {
  return (
    `Portcullis runs as administrator and does not start with ${reasons.join(', ')}: ` +
    'it would let another program debug, wrap or weaken it. Start Portcullis from its Start menu shortcut; ' +
    'if a shortcut or task adds this, remove it from there (and the variable from your environment).'
  );
}

export interface SystemFolders {
  readonly systemDirectory: string;
  readonly windowsDirectory: string;
  readonly programData: string;
}

/**
 * Removes every PORTCULLIS_* variable and puts the system folders Windows reports in place of the ones the
 * environment claimed, so neither this process nor the tools it starts (icacls.exe, reg.exe, schtasks.exe) act on a
 * folder an unelevated program chose. Returns the names of the variables that were removed or corrected.
 */
export function sanitizeEnvironment(env: NodeJS.ProcessEnv, folders: SystemFolders | undefined): string[] {
  const changed: string[] = [];
  for (const key of Object.keys(env)) {
    if (key.toUpperCase().startsWith('PORTCULLIS_')) {
      delete env[key];
      changed.push(key);
    }
  }
  if (folders) {
    const wanted: Record<string, string> = {
      SystemRoot: folders.windowsDirectory,
      windir: folders.windowsDirectory,
      ProgramData: folders.programData,
      ALLUSERSPROFILE: folders.programData,
    };
    for (const [name, value] of Object.entries(wanted)) {
      // Windows variables are case-insensitive; Node's process.env on Windows is too, a plain object is not.
      for (const key of Object.keys(env)) {
        if (key.toLowerCase() === name.toLowerCase() && key !== name) delete env[key];
      }
      if (env[name] !== value) changed.push(name);
      env[name] = value;
    }
  }
  return changed;
}

/** A path as Windows compares it: one kind of separator, none at the end, any case. */
function comparable(path: string): string {
  return path
    .replace(/[\\/]+/g, '\\')
    .replace(/\\+$/, '')
    .toLowerCase();
}

/** Whether `exe` lies inside `folder` (case-insensitive, as Windows compares paths). */
export function isInside(exe: string, folder: string): boolean {
  return comparable(exe).startsWith(`${comparable(folder)}\\`);
}

/** Whether `path` is `folder` itself or lies inside it, compared as isInside does. */
export function isOrIsInside(path: string, folder: string): boolean {
  return comparable(path) === comparable(folder) || isInside(path, folder);
}
