// `portcullis` in a console: Portcullis.exe is a GUI-subsystem program, so cmd and PowerShell neither wait for it
// nor hand back its exit code. portcullis.cmd (build/cli/) runs it from a batch file, where cmd waits for every
// program and %ERRORLEVEL% is its exit code (the approach of VS Code's code.cmd). The installer puts the folder that
// holds only that file, <install folder>\bin, on the machine PATH, and the uninstaller takes it off again; both
// through Portcullis.exe itself, which edits the value through the registry API (type and other entries kept),
// never through setx (which cuts the value at 1024 characters).

/** The installer-only switches (given by build/installer.nsh; refused by boot() everywhere but the installed app). */
export const REGISTER_CONSOLE_ARG = '--register-console';
export const UNREGISTER_CONSOLE_ARG = '--unregister-console';

/** The name users type; the file beside it is portcullis.cmd. */
export const CONSOLE_COMMAND = 'portcullis';

const normal = (entry: string): string => entry.trim().replace(/^"|"$/g, '').replace(/\\+$/, '').toLowerCase();

/** PATH with `folder` appended, unless it is there already (compared as Windows does: case, trailing \, quotes). */
export function withFolder(path: string, folder: string): string {
  const entries = path.split(';');
  if (entries.some((entry) => normal(entry) === normal(folder))) return path;
  const kept = path.replace(/;+$/, '');
  return kept === '' ? folder : `${kept};${folder}`;
}

/** PATH without any entry equal to `folder`; every other entry, and its order and spelling, stays. */
export function withoutFolder(path: string, folder: string): string {
  return path
    .split(';')
    .filter((entry) => normal(entry) !== normal(folder))
    .join(';');
}

export interface MachinePath {
  read(): { readonly value: string; readonly expand: boolean };
  write(value: string, expand: boolean): void;
  /** WM_SETTINGCHANGE "Environment", so new consoles see the change without a sign-out. */
  announce(): void;
}

/** Adds or removes `<installDir>\bin`; returns the exit code for the installer. */
export function updateConsolePath(
  machine: MachinePath,
  binFolder: string,
  action: 'register' | 'unregister',
  log: (message: string) => void,
): number {
  try {
    const { value, expand } = machine.read();
    const next = action === 'register' ? withFolder(value, binFolder) : withoutFolder(value, binFolder);
    if (next !== value) {
      machine.write(next, expand);
      machine.announce();
    }
    log(`${action === 'register' ? 'Added' : 'Removed'} ${binFolder} ${action === 'register' ? 'to' : 'from'} PATH.`);
    return 0;
  } catch (error) {
    log(`Could not change PATH: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
