// The real core on the real native layer (the simulator library), for the core-*.test.ts files.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { createPortcullisCore, type PortcullisCore, type PortcullisCoreOptions } from '../../../electron/core';
import { createNativeBackend } from '../../../electron/core/backend/native';
import type { NotificationRequest } from '../../../electron/core/model';
import { WfpEngine } from '../../../native/engine';
import { createFilterManager } from '../../../native/filters';
import type { OurFilter } from '../../../native/api';
import type { SimConnection, SimControl } from '../../../native/sim-control';
import { PORTCULLIS_PROVIDER_KEY, PORTCULLIS_SUBLAYER_KEY, guidToStruct } from '../../../native/wfp/guids';
import { simulator, waitFor } from '../helpers';

export { simulator, waitFor, sleep } from '../helpers';

export const SVCHOST = 'C:\\Windows\\System32\\svchost.exe';

export function outbound(
  appPath: string,
  remoteAddress = '203.0.113.10',
  remotePort = 443,
  protocol = 6,
): SimConnection {
  const localAddress = remoteAddress.includes(':') ? (remoteAddress === '::1' ? '::1' : 'fe80::10') : '192.168.1.10';
  return { appPath, remoteAddress, remotePort, protocol, direction: 'out', localAddress, localPort: 50000 };
}

export interface RunningCore {
  readonly core: PortcullisCore;
  readonly dataDir: string;
  readonly notifications: NotificationRequest[];
}

export async function startCore(dataDir?: string, options: Partial<PortcullisCoreOptions> = {}): Promise<RunningCore> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'portcullis-core-native-'));
  const core = createPortcullisCore({
    backend: createNativeBackend(),
    dataDir: dir,
    // No DNS traffic from tests.
    resolver: { reverse: () => Promise.reject(new Error('offline')) },
    ...options,
  });
  const notifications: NotificationRequest[] = [];
  core.onNotification((n) => notifications.push(n));
  await core.start();
  return { core, dataDir: dir, notifications };
}

/**
 * For a test file: a fresh simulator before each test, and after it every core the test started is stopped.
 * Stopping twice is harmless, so a test may stop a core itself to start the next one on the same folder.
 */
export function useCoreOnSimulator(): { sim: SimControl; startCore: typeof startCore } {
  const { sim } = simulator();
  let started: RunningCore[] = [];
  beforeEach(() => sim.reset());
  afterEach(async () => {
    const stopping = started;
    started = [];
    for (const r of stopping) await r.core.stop();
  });
  return {
    sim,
    startCore: async (...args) => {
      const running = await startCore(...args);
      started.push(running);
      return running;
    },
  };
}

/** Waits until core has taken in `n` events in total. */
export function eventsIn(core: PortcullisCore, n: number, timeoutMs = 10_000): Promise<void> {
  return waitFor(() => core.status().counters.eventsIn >= n, timeoutMs, `${n} events in core`);
}

/** What WFP holds of ours, seen through a separate session (not core's own picture). */
export async function enumerateOurs(): Promise<{ filters: OurFilter[]; sublayer: boolean; provider: boolean }> {
  const { lib } = simulator();
  const engine = await WfpEngine.open(lib, { dynamic: true, name: 'inspector' });
  try {
    const filters = await createFilterManager(engine).listOurs();
    const out: unknown[] = [null];
    const sublayer = lib.fn.FwpmSubLayerGetByKey0(engine.handle, guidToStruct(PORTCULLIS_SUBLAYER_KEY), out) === 0;
    if (sublayer) lib.fn.FwpmFreeMemory0([out[0]]);
    const provider = lib.fn.FwpmProviderGetByKey0(engine.handle, guidToStruct(PORTCULLIS_PROVIDER_KEY), out) === 0;
    if (provider) lib.fn.FwpmFreeMemory0([out[0]]);
    return { filters, sublayer, provider };
  } finally {
    await engine.close();
  }
}
