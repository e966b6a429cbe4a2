// The Task Scheduler definition of the logon task, written as XML rather than with schtasks' /SC /RL /TR switches:
// a task created from switches keeps Task Scheduler's defaults "start only on AC power", "stop when on battery"
// and "stop after 3 days", so a laptop on battery would start without Portcullis and a long session would lose it.
// XML also keeps the executable and its arguments apart, which removes /TR's nested quoting.

export interface TaskDefinition {
  /** Absolute path of the executable, e.g. C:\Program Files\Portcullis\Portcullis.exe. */
  readonly command: string;
  readonly args: readonly string[];
  /**
   * The SID (S-1-5-21-...) of the account whose logon starts the task, in both UserId elements: a SID survives a
   * rename and carries no text that a code page can mangle (an account named José written through the console's
   * OEM code page became Jos\uFFFD, and /Create failed).
   */
  readonly userSid: string;
  readonly description: string;
  /** Seconds between logon and start, so the shell's notification area exists when the tray icon is added. */
  readonly delaySeconds: number;
}

/** What a registered task says about itself, read back from `schtasks /Query /XML`. */
export interface TaskSummary {
  readonly command?: string;
  readonly arguments?: string;
  readonly runLevel?: string;
  readonly logonType?: string;
  readonly enabled: boolean;
  readonly hasLogonTrigger: boolean;
  /** How many actions the task runs; ours has exactly one. */
  readonly actionCount: number;
  readonly workingDirectory?: string;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function unescapeXml(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#([0-9]+);/g, (_, dec: string) => String.fromCodePoint(parseInt(dec, 10)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/**
 * One argument as the Microsoft C runtime parses it back (CommandLineToArgvW rules): quoted when it holds a space,
 * a tab or a quote; backslashes doubled only where they precede a quote.
 */
export function quoteWindowsArg(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
  let out = '"';
  let backslashes = 0;
  for (const ch of arg) {
    if (ch === '\\') {
      backslashes += 1;
      continue;
    }
    if (ch === '"') {
      out += '\\'.repeat(backslashes * 2 + 1) + '"';
    } else {
      out += '\\'.repeat(backslashes) + ch;
    }
    backslashes = 0;
  }
  return out + '\\'.repeat(backslashes * 2) + '"';
}

export function joinWindowsArgs(args: readonly string[]): string {
  return args.map(quoteWindowsArg).join(' ');
}

export function buildTaskXml(task: TaskDefinition): string {
  const argsLine = joinWindowsArgs(task.args);
  return [
    '<?xml version="1.0" encoding="UTF-16"?>',
    '<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">',
    '  <RegistrationInfo>',
    `    <Description>${escapeXml(task.description)}</Description>`,
    '  </RegistrationInfo>',
    '  <Triggers>',
    '    <LogonTrigger>',
    '      <Enabled>true</Enabled>',
    `      <UserId>${escapeXml(task.userSid)}</UserId>`,
    `      <Delay>PT${Math.max(0, Math.round(task.delaySeconds))}S</Delay>`,
    '    </LogonTrigger>',
    '  </Triggers>',
    '  <Principals>',
    '    <Principal id="Author">',
    `      <UserId>${escapeXml(task.userSid)}</UserId>`,
    // Interactive: the app has a window and a tray icon, so it must run in the user's desktop session; a task that
    // runs "whether the user is logged on or not" gets no desktop and would need a stored password.
    '      <LogonType>InteractiveToken</LogonType>',
    // HighestAvailable is schtasks' /RL HIGHEST: the user's full administrator token, without a UAC prompt.
    '      <RunLevel>HighestAvailable</RunLevel>',
    '    </Principal>',
    '  </Principals>',
    '  <Settings>',
    '    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>',
    '    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>',
    '    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>',
    '    <AllowHardTerminate>true</AllowHardTerminate>',
    '    <StartWhenAvailable>false</StartWhenAvailable>',
    '    <RunOnlyIfNetworkAvailable>false</RunOnlyIfNetworkAvailable>',
    '    <IdleSettings>',
    '      <StopOnIdleEnd>false</StopOnIdleEnd>',
    '      <RestartOnIdle>false</RestartOnIdle>',
    '    </IdleSettings>',
    // Not startable on demand: nothing but a logon should run the app elevated through this task.
    '    <AllowStartOnDemand>false</AllowStartOnDemand>',
    '    <Enabled>true</Enabled>',
    '    <Hidden>false</Hidden>',
    '    <RunOnlyIfIdle>false</RunOnlyIfIdle>',
    '    <WakeToRun>false</WakeToRun>',
    '    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>',
    // Task Scheduler's default priority 7 is below normal; an interactive app should not be throttled.
    '    <Priority>4</Priority>',
    '  </Settings>',
    '  <Actions Context="Author">',
    '    <Exec>',
    `      <Command>${escapeXml(quoteWindowsArg(task.command))}</Command>`,
    ...(argsLine === '' ? [] : [`      <Arguments>${escapeXml(argsLine)}</Arguments>`]),
    '    </Exec>',
    '  </Actions>',
    '</Task>',
    '',
  ].join('\r\n');
}

/** The XML as schtasks reads it most reliably: UTF-16 little endian with a byte-order mark. */
export function encodeTaskXml(xml: string): Uint8Array {
  const body = Buffer.from(xml, 'utf16le');
  return Buffer.concat([Buffer.from([0xff, 0xfe]), body]);
}

function element(xml: string, name: string, within?: string): string | undefined {
  let scope = xml;
  if (within !== undefined) {
    const block = new RegExp(`<${within}\\b[^>]*>([\\s\\S]*?)</${within}>`).exec(xml);
    if (!block?.[1]) return undefined;
    scope = block[1];
  }
  const match = new RegExp(`<${name}\\b[^>]*>([\\s\\S]*?)</${name}>`).exec(scope);
  return match?.[1] === undefined ? undefined : unescapeXml(match[1].trim());
}

export function parseTaskXml(xml: string): TaskSummary {
  const command = element(xml, 'Command', 'Exec');
  const args = element(xml, 'Arguments', 'Exec');
  const runLevel = element(xml, 'RunLevel', 'Principal');
  const logonType = element(xml, 'LogonType', 'Principal');
  const enabledText = element(xml, 'Enabled', 'Settings');
  const workingDirectory = element(xml, 'WorkingDirectory', 'Exec');
  const actionsBlock = /<Actions\b[^>]*>([\s\S]*?)<\/Actions>/.exec(xml)?.[1] ?? '';
  return {
    ...(command === undefined ? {} : { command: unquote(command) }),
    ...(args === undefined ? {} : { arguments: args }),
    ...(runLevel === undefined ? {} : { runLevel }),
    ...(logonType === undefined ? {} : { logonType }),
    // Task Scheduler leaves <Enabled> out of Settings when it is the default (true).
    enabled: enabledText === undefined ? true : enabledText.toLowerCase() === 'true',
    hasLogonTrigger: /<LogonTrigger\b/.test(xml),
    actionCount: (actionsBlock.match(/<(Exec|ComHandler|SendEmail|ShowMessage)\b/g) ?? []).length,
    ...(workingDirectory === undefined ? {} : { workingDirectory }),
  };
}

function unquote(text: string): string {
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
}
