// Where Portcullis keeps its rules and settings. PORTCULLIS_DATA_DIR overrides the per-user default.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const override = env.PORTCULLIS_DATA_DIR;
  if (override && override.trim() !== '') return override;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Portcullis');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Portcullis');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'portcullis');
}
