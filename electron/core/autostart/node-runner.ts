// The Node implementations of the autostart dependencies, for main and the CLI on Windows.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProcessResult, ProcessRunner, TempFileWriter } from './schtasks';

export const nodeProcessRunner: ProcessRunner = (file, args) =>
  new Promise<ProcessResult>((resolve) => {
    execFile(
      file,
      [...args],
      { windowsHide: true, encoding: 'utf8', timeout: 30_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr: stderr || (error !== null && code === -1 ? error.message : '') });
      },
    );
  });

/**
 * A new, randomly named folder under %SystemRoot%\Temp: files an elevated process creates there belong to the
 * Administrators group, so an unelevated program of the same user cannot swap the task definition before
 * schtasks.exe reads it. Falls back to the user's temp folder (the read-back check in Autostart still applies).
 */
export function systemTempFileWriter(systemRoot = process.env.SystemRoot ?? 'C:\\Windows'): TempFileWriter {
  return async (fileName, content) => {
    let dir: string;
    try {
      dir = await mkdtemp(join(systemRoot, 'Temp', 'portcullis-'));
    } catch {
      dir = await mkdtemp(join(tmpdir(), 'portcullis-'));
    }
    const path = join(dir, fileName);
    await writeFile(path, content, { flag: 'wx' });
    return { path, remove: () => rm(dir, { recursive: true, force: true }) };
  };
}
