// Starts the real core for the app: the WFP backend on Windows, the simulator elsewhere (with the demo scenario
// when PORTCULLIS_SIM_SCENARIO names one).
import { createPortcullisCore } from '../core';
import { createNativeBackend } from '../core/backend/native';
import type { CoreLoader } from './core-port';

export const loadCore: CoreLoader = async () => {
  // No dataDir: core's default (PORTCULLIS_DATA_DIR or the per-user folder) is the one the `portcullis` CLI uses.
  const core = createPortcullisCore({ backend: createNativeBackend() });
  try {
    await core.start();
  } catch (error) {
    await core.stop().catch(() => undefined);
    throw error;
  }
  return core;
};
