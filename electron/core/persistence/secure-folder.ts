// Makes the Windows data folder writable only by Administrators and SYSTEM (see data-dir.ts for why). icacls is
// called by absolute path because the process is elevated and must never search PATH or the current folder.
import { mkdirSync } from 'node:fs';
import type { ProcessRunner } from '../autostart';

const ADMINISTRATORS = '*S-1-5-32-544';
const SYSTEM = '*S-1-5-18';

/** icacls invocations: take ownership for Administrators, drop inherited entries, grant only the two. */
export function secureFolderCommands(dir: string, systemRoot: string): { file: string; args: string[] }[] {
  const icacls = `${systemRoot}\\System32\\icacls.exe`;
  return [
    { file: icacls, args: [dir, '/setowner', ADMINISTRATORS, '/Q'] },
    {
      file: icacls,
      args: [dir, '/inheritance:r', '/grant:r', `${ADMINISTRATORS}:(OI)(CI)F`, `${SYSTEM}:(OI)(CI)F`, '/Q'],
    },
  ];
}

export class DataFolderError extends Error {
  override readonly name = 'DataFolderError';
}

/**
 * Creates the folder and restricts it. A folder that cannot be restricted is an error, not a warning: rules read
 * from a folder other programs can write would let them decide what the firewall allows.
 */
export async function secureDataFolder(
  dir: string,
  run: ProcessRunner,
  systemRoot = process.env.SystemRoot ?? 'C:\\Windows',
): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const { file, args } of secureFolderCommands(dir, systemRoot)) {
    const result = await run(file, args);
    if (result.code !== 0) {
      throw new DataFolderError(
        `icacls failed (exit code ${result.code}) restricting ${dir} to Administrators and SYSTEM: ` +
          `${(result.stderr || result.stdout).trim()}. Run Portcullis as administrator; if it persists, ` +
          'delete the folder and start Portcullis again.',
      );
    }
  }
}
