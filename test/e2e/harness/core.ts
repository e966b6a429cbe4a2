// The real core on the real native layer, which off Windows loads the simulator library. One per test process:
// the simulator's state is process-wide, and vitest runs each e2e file in its own process.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createPortcullisCore, type PortcullisCore, type ReverseResolver } from '../../../electron/core';
import { createNativeBackend } from '../../../electron/core/backend/native';

export interface SimulatedCoreOptions {
  /** A scenario file (JSON lines) the simulator plays from the moment core opens the engine; relative to the repo. */
  readonly scenario?: string;
  /** Defaults to a fresh temporary folder, removed when the core stops. */
  readonly dataDir?: string;
  /** Reverse DNS; defaults to the system's. */
  readonly resolver?: ReverseResolver;
  /** Show the first-run introduction (default: marked as read, so tests start in the app). */
  readonly firstRun?: boolean;
}

export interface SimulatedCore extends PortcullisCore {
  readonly dataDir: string;
}

const repoRoot = resolve(import.meta.dirname, '../../..');

export async function startSimulatedCore(options: SimulatedCoreOptions = {}): Promise<SimulatedCore> {
  // The simulator starts the scenario named here on the first FwpmEngineOpen0.
  if (options.scenario) process.env.PORTCULLIS_SIM_SCENARIO = resolve(repoRoot, options.scenario);
  else delete process.env.PORTCULLIS_SIM_SCENARIO;
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'portcullis-e2e-')));
  const core = createPortcullisCore({
    backend: createNativeBackend(),
    dataDir,
    ...(options.resolver ? { resolver: options.resolver } : {}),
  });
  try {
    await core.start();
    if (!options.firstRun && !core.snapshot().settings.introSeen) {
      await core.handlers['settings.update']({ patch: { introSeen: true } });
    }
  } catch (error) {
    if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  let stopped: Promise<void> | undefined;
  return {
    ...core,
    dataDir,
    stop: () =>
      (stopped ??= core.stop().finally(async () => {
        if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
      })),
  };
}
