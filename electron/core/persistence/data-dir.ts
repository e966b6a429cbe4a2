// Where Portcullis keeps its rules and settings.
//
// On Windows the app runs elevated and applies whatever rules.json says, so the folder must not be writable by the
// user's unelevated programs: a per-user folder (%APPDATA%) would let any of them allow itself or switch the
// firewall Off. It lives under %ProgramData% instead, with an ACL for Administrators and SYSTEM only, and the
// PORTCULLIS_DATA_DIR override (which an unelevated program could set in the user's environment) is honoured only
// where the caller says it may be (development runs and tests).
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DATA_FOLDER_NAME } from '../app-identity';

export interface DataDirOptions {
  /** Honour PORTCULLIS_DATA_DIR; main passes false in the installed app. */
  readonly allowOverride?: boolean;
}

export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  options: DataDirOptions = {},
): string {
  const override = env.PORTCULLIS_DATA_DIR;
  if ((options.allowOverride ?? true) && override && override.trim() !== '') return override;
  if (platform === 'win32') return join(env.ProgramData ?? 'C:\\ProgramData', DATA_FOLDER_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', DATA_FOLDER_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'portcullis');
}
