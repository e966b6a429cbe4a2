// WFP needs an elevated process. The installed app asks for it in its manifest (requireAdministrator), so Windows
// starts it elevated or not at all; a development run may start without it, and then explains this and offers to
// start itself again as administrator (a UAC prompt) instead of failing later with FWP_E/ACCESS_DENIED.
//
// The check reads the token's elevation through the Windows API (GetTokenInformation(TokenElevation), in
// native/win32/accounts.ts), not PowerShell: PowerShell under Constrained Language Mode (WDAC, AppLocker) refuses the
// .NET calls such a script needs, and the app would then say "needs administrator" forever.
import type { ElectronDeps } from './deps';

export function isElevated(deps: Pick<ElectronDeps, 'platform' | 'isElevated'>): boolean {
  return deps.platform !== 'win32' || deps.isElevated();
}

/** Explains the missing elevation; resolves true when an elevated copy was started (this one should then quit). */
export async function offerElevation(
  deps: Pick<ElectronDeps, 'showMessageBox' | 'relaunchElevated'>,
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
  if (deps.relaunchElevated(exe, args)) return true;
  await deps.showMessageBox({
    type: 'error',
    title: 'Portcullis was not restarted',
    message: 'Windows did not start Portcullis as administrator (the prompt was declined or failed).',
    detail: 'Right-click Portcullis and choose "Run as administrator".',
    buttons: ['Quit'],
  });
  return false;
}
