// Starts the real core for the app: the WFP backend on Windows, the simulator elsewhere (with the demo scenario
// when PORTCULLIS_SIM_SCENARIO names one).
import { createPortcullisCore } from '../core';
import { installedServiceNames } from '../core/apps/windows-services';
import { nodeProcessRunner } from '../core/autostart';
import { createNativeBackend } from '../core/backend/native';
import type { CoreLoader } from './core-port';

export const loadCore: CoreLoader = async () => {
  // No dataDir: core's default (PORTCULLIS_DATA_DIR or the per-user folder) is the one the `portcullis` CLI uses.
  // Every installed service, so svchost traffic carrying any service's SID is named, not only the well-known ones.
  const serviceNames = process.platform === 'win32' ? await installedServiceNames(nodeProcessRunner) : [];
  const core = createPortcullisCore({ backend: createNativeBackend(), serviceNames });
  try {
    await core.start();
  } catch (error) {
    await core.stop().catch(() => undefined);
    throw error;
  }
  return core;
};
