// Starts the real core for the app: the WFP backend on Windows, the simulator elsewhere (with the demo scenario
// when PORTCULLIS_SIM_SCENARIO names one).
import { createPortcullisCore } from '../core';
import { createNativeBackend } from '../core/backend/native';
import { defaultDataDir } from '../core/persistence/data-dir';
import { secureDataFolder } from '../core/persistence/secure-folder';
import { folderSecurityApi } from '../../native/windows/folder-security';
import type { CoreLoader } from './core-port';

/**
 * The data folder the app and `Portcullis.exe --cli` share. The installed app ignores PORTCULLIS_DATA_DIR: an
 * unelevated program could set it in the user's environment and hand the elevated app rules of its own.
 */
export async function appDataDir(isPackaged: boolean, platform: NodeJS.Platform = process.platform): Promise<string> {
  const dir = defaultDataDir(process.env, platform, { allowOverride: !isPackaged });
  if (platform === 'win32') secureDataFolder(dir, folderSecurityApi());
  return dir;
}

export function createCoreLoader(options: { readonly isPackaged: boolean }): CoreLoader {
  return async () => {
    const dataDir = await appDataDir(options.isPackaged);
    const core = createPortcullisCore({ backend: createNativeBackend(), dataDir });
    try {
      await core.start();
    } catch (error) {
      await core.stop().catch(() => undefined);
      throw error;
    }
    return core;
  };
}
