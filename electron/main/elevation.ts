// WFP needs an elevated process. On Windows, a process that is not elevated explains this and offers to start
// itself again as administrator (a UAC prompt), instead of failing later with FWP_E/ACCESS_DENIED.
import type { ElectronDeps } from './deps';

const IS_ADMIN =
  'if (([Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent())' +
  '.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) { exit 0 } else { exit 1 }';

const psQuote = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/**
 * By absolute path: Node looks up a bare "powershell.exe" in the current folder before PATH, so an elevated copy
 * started from a user-writable folder would run whatever an unelevated program left there.
 */
export function powershellPath(systemRoot = 'C:\\Windows'): string {
  return `${systemRoot.replace(/\\+$/, '')}\\System32\\WindowsPowerShell\\v1.0\\powershell.exe`;
}

export async function isElevated(deps: Pick<ElectronDeps, 'platform' | 'run'>): Promise<boolean> {
  if (deps.platform !== 'win32') return true;
  return (await deps.run(powershellPath(), ['-NoProfile', '-NonInteractive', '-Command', IS_ADMIN])) === 0;
}

/** The PowerShell command that starts `exe args` elevated (UAC prompt). */
export function runAsAdminCommand(exe: string, args: readonly string[]): string[] {
  const argList = args.length ? ` -ArgumentList ${args.map(psQuote).join(',')}` : '';
  return ['-NoProfile', '-NonInteractive', '-Command', `Start-Process -FilePath ${psQuote(exe)}${argList} -Verb RunAs`];
}

/** Explains the missing elevation; resolves true when an elevated copy was started (this one should then quit). */
export async function offerElevation(
  deps: Pick<ElectronDeps, 'showMessageBox' | 'run'>,
  exe: string,
  args: readonly string[],
): Promise<boolean> {
  const { response } = await deps.showMessageBox({
    type: 'warning',
    title: 'Portcullis needs administrator rights',
    message: 'Portcullis must run as administrator to watch and change the Windows Filtering Platform.',
    detail:
      'Without it Windows refuses every firewall call (FWP_E_ACCESS_DENIED / ERROR_ACCESS_DENIED). ' +
      'Choose "Restart as administrator" and confirm the Windows prompt.',
    buttons: ['Restart as administrator', 'Quit'],
    defaultId: 0,
    cancelId: 1,
    noLink: true,
  });
  if (response !== 0) return false;
  const code = await deps.run(powershellPath(), runAsAdminCommand(exe, args));
  if (code === 0) return true;
  await deps.showMessageBox({
    type: 'error',
    title: 'Portcullis was not restarted',
    message: 'Windows did not start Portcullis as administrator (the prompt was declined or failed).',
    detail: 'Right-click Portcullis and choose "Run as administrator".',
    buttons: ['Quit'],
  });
  return false;
}
