// The Node implementations of the autostart dependencies, for main and the CLI on Windows.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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
 * schtasks.exe reads it. Never the user's temp folder: a definition swapped there could add a RegistrationTrigger
 * and an action of its own, and Task Scheduler starts such a task, with highest privileges, the moment it is
 * registered (learn.microsoft.com, "RegistrationTrigger (triggerGroup) Element"): checking it afterwards is too late.
 */
export function systemTempFileWriter(systemRoot: string): TempFileWriter {
  return async (fileName, content) => {
    const parent = join(systemRoot, 'Temp');
    let dir: string;
    try {
      dir = await mkdtemp(join(parent, 'portcullis-'));
    } catch (e) {
      throw new Error(
        `Could not create a folder in ${parent} for the task definition (${e instanceof Error ? e.message : String(e)}); start with Windows was not changed.`,
        { cause: e },
      );
    }
    const path = join(dir, fileName);
    await writeFile(path, content, { flag: 'wx' });
    return { path, remove: () => rm(dir, { recursive: true, force: true }) };
  };
}
