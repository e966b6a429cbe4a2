// The installed shell's checks for `npm run smoke:windows`: what a script can see of an installed Portcullis on a
// real PC. scripts/smoke-windows.ts runs them after its WFP steps; everything a person must look at is in
// docs/release-checklist.md. Each check resolves with a sentence of what it saw, or throws what is wrong.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { win32 } from 'node:path';
import { checkManifest, embeddedManifest } from '../../build/hooks/verify-manifest.mjs';
import { withFolder } from '../../electron/main/console-path';
import { FOLDERID, windowsSystem } from '../../native/index';

export interface ShellCheck {
  readonly title: string;
  readonly run: () => string;
}

/** `<Program Files>\Portcullis`, as the installer puts it. */
export function installFolder(): string {
  return win32.join(windowsSystem().knownFolder(FOLDERID.ProgramFiles), 'Portcullis');
}

export function shellChecks(folder = installFolder()): ShellCheck[] {
  const exe = win32.join(folder, 'Portcullis.exe');
  const bin = win32.join(folder, 'bin');
  const system = windowsSystem();
  return [
    {
      title: 'Portcullis.exe is installed under Program Files',
      run: () => {
        if (!existsSync(exe)) throw new Error(`${exe} is missing: install Portcullis first, or skip with --no-shell.`);
        return exe;
      },
    },
    {
      title: 'Its manifest asks for administrator rights',
      run: () => {
        checkManifest(embeddedManifest(readFileSync(exe)), exe);
        return 'requestedExecutionLevel requireAdministrator';
      },
    },
    {
      title: 'The portcullis command is on the machine PATH',
      run: () => {
        if (!existsSync(win32.join(bin, 'portcullis.cmd'))) throw new Error(`${bin}\\portcullis.cmd is missing.`);
        const { value } = system.readMachinePath();
        if (withFolder(value, bin) !== value) throw new Error(`${bin} is not in the machine PATH.`);
        return `${bin}\\portcullis.cmd`;
      },
    },
    {
      title: 'portcullis status waits and returns the exit code',
      run: () => {
        const cmd = win32.join(system.systemDirectory(), 'cmd.exe');
        // A batch file run through cmd /c, as a user types it; execFileSync waits and throws on a non-zero code.
        const out = execFileSync(cmd, ['/d', '/c', `"${bin}\\portcullis.cmd" status`], { encoding: 'utf8' });
        if (!out.trim()) throw new Error('portcullis status printed nothing.');
        return `exit code 0, ${out.trim().split(/\r?\n/).length} lines`;
      },
    },
    {
      title: 'The logon task, if any, is registered for the signed-in account by SID',
      run: () => {
        const schtasks = win32.join(system.systemDirectory(), 'schtasks.exe');
        let xml: string;
        try {
          xml = execFileSync(schtasks, ['/Query', '/TN', 'Portcullis', '/XML'], { encoding: 'utf8' });
        } catch {
          return 'no logon task (Start with Windows is off)';
        }
        const ids = [...xml.matchAll(/<UserId>([^<]*)<\/UserId>/g)].map((m) => m[1]);
        const sid = system.sessionUser().sid;
        if (ids.length !== 2 || ids.some((id) => id !== sid)) {
          throw new Error(`the task's UserId elements are ${ids.join(', ')}; expected ${sid} twice.`);
        }
        return `both UserId elements are ${sid}`;
      },
    },
  ];
}

/** Runs every check, printing one line each; resolves false when one failed. */
export function runShellChecks(checks: readonly ShellCheck[] = shellChecks()): boolean {
  let ok = true;
  for (const check of checks) {
    try {
      console.log(`[shell] ${check.title}: ok - ${check.run()}`);
    } catch (error) {
      ok = false;
      console.log(`[shell] ${check.title}: FAILED`);
      console.log(`        ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return ok;
}
