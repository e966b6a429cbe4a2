// A single-instance lock of our own, beside Chromium's. Chromium's ProcessSingleton on Windows first looks for a
// running copy by a window (class Chrome_MessageWindow, titled with the profile path: chrome_process_finder.cc
// FindRunningChromeWindow), and any program on the desktop can make such a window. This lock is a file in the
// administrators-only data folder opened with no sharing, which Windows releases when the process ends: only a
// running Portcullis can hold it, so it tells a real second instance from an impostor.
import { constants, openSync } from 'node:fs';
import { join } from 'node:path';

/** held: this process has it; elsewhere: a running Portcullis has it; unavailable: not known (not Windows). */
export type InstanceLock = 'held' | 'elsewhere' | 'unavailable';

/**
 * libuv's UV_FS_O_EXLOCK: on Windows, CreateFileW with a share mode of 0 (libuv docs, "UV_FS_O_EXLOCK: atomically
 * obtain an exclusive lock", supported on Windows since 1.17.0).
 */
const EXLOCK = 0x10000000;
let held: number | undefined;

/**
 * A sharing violation can also be a scanner that opened the file for a moment (antivirus on access), and a copy
 * that failed to take the lock would let a later launch take Chromium's refusal for an impostor: asked a few times
 * before the answer is "elsewhere". Synchronous: boot takes its locks before its first await.
 */
const TRIES = 5;
const PAUSE_MS = 40;

export function holdInstanceLock(dataFolder: string, platform: NodeJS.Platform = process.platform): InstanceLock {
  if (held !== undefined) return 'held';
  if (platform !== 'win32') return 'unavailable';
  for (let attempt = 1; ; attempt++) {
    try {
      // Kept open for the life of the process; never closed.
      held = openSync(join(dataFolder, 'instance.lock'), constants.O_RDWR | constants.O_CREAT | EXLOCK);
      return 'held';
    } catch (error) {
      if ((error as { code?: string }).code !== 'EBUSY') return 'unavailable';
      if (attempt === TRIES) return 'elsewhere';
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, PAUSE_MS);
    }
  }
}
