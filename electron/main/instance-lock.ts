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

export function holdInstanceLock(dataFolder: string, platform: NodeJS.Platform = process.platform): InstanceLock {
  if (held !== undefined) return 'held';
  if (platform !== 'win32') return 'unavailable';
  try {
    // Kept open for the life of the process; never closed.
    held = openSync(join(dataFolder, 'instance.lock'), constants.O_RDWR | constants.O_CREAT | EXLOCK);
    return 'held';
  } catch (error) {
    return (error as { code?: string }).code === 'EBUSY' ? 'elsewhere' : 'unavailable';
  }
}
