// The names of the services installed on this Windows machine, so a service SID in an event (S-1-5-80-<hash of
// the name>) can be turned back into the service's name for every service, not only the well-known ones.
import type { ProcessRunner } from '../autostart';

const SERVICES_KEY = 'HKLM\\SYSTEM\\CurrentControlSet\\Services';
const KEY_PREFIX = 'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\';

/** Service names from `reg query HKLM\SYSTEM\CurrentControlSet\Services` (one subkey per line). */
export function parseServiceKeys(stdout: string): string[] {
  const names: string[] = [];
  for (const raw of stdout.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.length <= KEY_PREFIX.length || line.slice(0, KEY_PREFIX.length).toUpperCase() !== KEY_PREFIX.toUpperCase())
      continue;
    const name = line.slice(KEY_PREFIX.length);
    if (!name.includes('\\')) names.push(name);
  }
  return names;
}

/**
 * Reads the installed services' names with reg.exe, called by absolute path because the process is elevated.
 * Returns [] (and the caller keeps the built-in table) when the query fails: attribution degrades, nothing breaks.
 */
export async function installedServiceNames(
  run: ProcessRunner,
  systemRoot = process.env.SystemRoot ?? 'C:\\Windows',
): Promise<string[]> {
  const result = await run(`${systemRoot}\\System32\\reg.exe`, ['query', SERVICES_KEY]);
  return result.code === 0 ? parseServiceKeys(result.stdout) : [];
}
