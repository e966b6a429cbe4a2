// A core for the benchmarks that time core itself: on a null backend (no WFP), with a data folder of its own, its
// clock and timers driven by the benchmark (bench/lib/manual-timers.ts) and reverse DNS answered by the local stub.
// Each delta batch is serialized as the app's IPC serializes it, or handed to `onDelta`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { createPortcullisCore } from '../../electron/core/index';
import { ManualTime } from './manual-timers';
import { createNullBackend } from './null-backend';
import { stubResolver } from './stub-resolver';

type Core = ReturnType<typeof createPortcullisCore>;

export interface BenchCore {
  readonly core: Core;
  /** Where the backend hands core each event: what the benchmarks call in their timed loops. */
  readonly sink: NonNullable<ReturnType<typeof createNullBackend>['sink']>;
  readonly time: ManualTime;
  readonly resolver: ReturnType<typeof stubResolver>;
  /** Stops core and removes its data folder. */
  stop(): Promise<void>;
}

export async function startBenchCore(
  onDelta: Parameters<Core['onDelta']>[0] = (batch) => void serialize(batch),
): Promise<BenchCore> {
  const backend = createNullBackend();
  const dataDir = mkdtempSync(join(tmpdir(), 'portcullis-bench-'));
  const time = new ManualTime();
  const resolver = stubResolver();
  const core = createPortcullisCore({ backend, dataDir, clock: time, timers: time, resolver });
  await core.start();
  core.onDelta(onDelta);
  return {
    core,
    sink: backend.sink!,
    time,
    resolver,
    async stop() {
      await core.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
