// A core on the memory backend, manual time and a temporary data folder.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPortcullisCore, type PortcullisCore, type PortcullisCoreOptions } from '../../../../electron/core';
import type { DeltaBatch, NotificationRequest } from '../../../../electron/core/model';
import { ManualTime } from './manual-time';
import { MemoryBackend } from './memory-backend';

export interface Harness {
  core: PortcullisCore;
  backend: MemoryBackend;
  time: ManualTime;
  dataDir: string;
  deltas: DeltaBatch[];
  notifications: NotificationRequest[];
  dns: Map<string, string>;
}

export async function startCore(
  options: Partial<PortcullisCoreOptions> & { dataDir?: string } = {},
  start = true,
): Promise<Harness> {
  const time = new ManualTime();
  const backend = (options.backend as MemoryBackend | undefined) ?? new MemoryBackend();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'portcullis-core-'));
  const dns = new Map<string, string>();
  let n = 0;
  const core = createPortcullisCore({
    backend,
    dataDir,
    clock: time,
    timers: time,
    ids: () => `id${++n}`,
    resolver: {
      reverse: (address) => {
        const name = dns.get(address);
        return name ? Promise.resolve([name]) : Promise.reject(new Error('ENOTFOUND'));
      },
    },
    ...options,
  });
  const deltas: DeltaBatch[] = [];
  const notifications: NotificationRequest[] = [];
  core.onDelta((d) => deltas.push(d));
  core.onNotification((r) => notifications.push(r));
  started.add(core);
  if (start) await core.start();
  return { core, backend, time, dataDir, deltas, notifications, dns };
}

/** Every core the harness started, for settle(). */
const started = new Set<PortcullisCore>();

/**
 * Lets the work that timers started (rule expiry, timeouts) run to the end: a few turns for it to start, the changes
 * it asked for (their saves reach the disk through the thread pool), and a few turns for what follows them.
 */
export async function settle(): Promise<void> {
  const turns = async () => {
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  };
  await turns();
  await Promise.all([...started].map((core) => core.changesDone()));
  await turns();
}
