// Finds and loads Portcullis's event ring library (native/batch). Only ever from Portcullis's own files: in the
// installed app the resources folder next to Portcullis.exe (written by the installer, admin-only under Program
// Files), in development the build output of `npm install` in the package root. No search path, no environment
// variable: main runs elevated and must not load a DLL someone else placed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import koffi, { type LibraryHandle } from 'koffi';
import { packageRoot } from '../loader.js';

export type EventRingAvailability =
  | { readonly available: true; readonly path: string; readonly handle: LibraryHandle }
  | { readonly available: false; readonly reason: string };

const fileFor = (platform: NodeJS.Platform) =>
  platform === 'win32'
    ? 'portcullis_events.dll'
    : platform === 'darwin'
      ? 'libportcullis_events.dylib'
      : 'libportcullis_events.so';

/** The Windows architectures an event ring is built for (scripts/build-events.mjs --windows, --windows-arm64). */
const WINDOWS_ARCHES: readonly string[] = ['x64', 'arm64'];

/**
 * Where this process would load the library from (absolute), or why there is none for it. `platform` and `arch`
 * are this process's.
 */
export function eventRingPath(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): { path: string } | { reason: string } {
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  const packaged = resources !== undefined && existsSync(join(resources, 'app.asar'));
  if (platform === 'win32' && !WINDOWS_ARCHES.includes(arch))
    return { reason: `no event ring is built for Windows ${arch}: events take the per-event callback` };
  const file = fileFor(platform);
  if (packaged) return { path: join(resources, 'native', file) };
  const build = join(packageRoot(), 'native', 'batch', 'build');
  return { path: platform === 'win32' ? join(build, `win32-${arch}`, file) : join(build, file) };
}

let cached: EventRingAvailability | undefined;

export function loadEventRingLibrary(): EventRingAvailability {
  if (cached) return cached;
  const where = eventRingPath();
  if ('reason' in where) return (cached = { available: false, reason: where.reason });
  if (!existsSync(where.path))
    return (cached = {
      available: false,
      reason: `${where.path} is missing (npm install builds it; needs a C compiler): events take the per-event callback`,
    });
  try {
    return (cached = { available: true, path: where.path, handle: koffi.load(where.path) });
  } catch (e) {
    return (cached = {
      available: false,
      reason: `cannot load ${where.path} (${e instanceof Error ? e.message : String(e)}): events take the per-event callback`,
    });
  }
}
