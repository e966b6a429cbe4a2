// build/installer.nsh: what the uninstaller runs, checked against the names the app uses, and compiled with
// makensis when NSIS is installed (Debian: `apt-get install nsis`).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AUTOSTART_TASK_NAME,
  CLI_ARG,
  DATA_FOLDER_NAME,
  ELECTRON_SHORTCUT_FILE,
  TOAST_ACTIVATOR_CLSID,
} from '../../../electron/core/app-identity';

const root = join(import.meta.dirname, '..', '..', '..');
const scriptPath = join(root, 'build', 'installer.nsh');
const script = readFileSync(scriptPath, 'utf8');
const define = (name: string) => new RegExp(`!define ${name} "([^"]*)"`).exec(script)?.[1];
const macro = /!macro customUnInstall\b([\s\S]*?)!macroend/.exec(script)?.[1] ?? '';
const hasMakensis = spawnSync('makensis', ['-VERSION']).status === 0;

describe('uninstaller script', () => {
  it('uses the task name, data folder and CLI switch the app uses', () => {
    expect(define('PORTCULLIS_TASK_NAME')).toBe(AUTOSTART_TASK_NAME);
    expect(define('PORTCULLIS_DATA_FOLDER')).toBe(DATA_FOLDER_NAME);
    expect(define('PORTCULLIS_CLI_ARG')).toBe(CLI_ARG);
  });

  it('runs `reset` through the installed executable, removes the logon task, and deletes data only on No', () => {
    expect(macro).toContain(`'"$INSTDIR\\\${APP_EXECUTABLE_FILENAME}" \${PORTCULLIS_CLI_ARG} reset'`);
    expect(macro).toContain('"$SYSDIR\\schtasks.exe" /Delete /TN "${PORTCULLIS_TASK_NAME}" /F');
    // Reset comes before anything is deleted, and the whole block is skipped when an update runs the uninstaller.
    expect(macro.indexOf(' reset')).toBeLessThan(macro.indexOf('RMDir'));
    expect(
      macro
        .trimStart()
        .split('\n')
        .find((l) => l.includes('${')),
    )?.toContain('${ifNot} ${isUpdated}');
    expect(macro).toMatch(
      /MessageBox MB_YESNO[^`]*\/SD IDYES IDNO`[\s\S]*RMDir \/r "\$APPDATA\\\$\{PORTCULLIS_DATA_FOLDER\}"/,
    );
  });

  // What Electron 45 writes per user for notifications, in shell/browser/notifications/win/windows_toast_activator.cc
  // (RegisterActivator, on the first notification of an unpackaged app):
  // - EnsureShortcut: <app name>.lnk in SHGetKnownFolderPath(FOLDERID_Programs), the user's Start menu Programs
  //   folder, with PKEY_AppUserModel_ID and PKEY_AppUserModel_ToastActivatorCLSID;
  // - EnsureCLSIDRegistry: HKEY_CURRENT_USER\Software\Classes\CLSID\<GetAppToastActivatorCLSID()> (default value
  //   and CustomActivator) and its LocalServer32 subkey naming the executable.
  // GetAppToastActivatorCLSID (shell/common/application_info_win.cc) is the value given to app.setToastActivatorCLSID,
  // else a CoCreateGuid made up once and read back from the shortcut: only a fixed CLSID can be removed by name.
  it('removes exactly the shortcut and COM key Electron writes for notifications, for this user and signed-in ones', () => {
    expect(define('PORTCULLIS_TOAST_CLSID')).toBe(TOAST_ACTIVATOR_CLSID);
    expect(define('PORTCULLIS_ELECTRON_SHORTCUT')).toBe(ELECTRON_SHORTCUT_FILE);
    const lines = macro.split('\n').map((l) => l.trim());
    const at = (line: string) => lines.indexOf(line);
    // The shortcut in the user's own Programs folder ("current" context), not the all-users one the installer made.
    expect(at('SetShellVarContext current')).toBeGreaterThan(-1);
    expect(at('Delete "$SMPROGRAMS\\${PORTCULLIS_ELECTRON_SHORTCUT}"')).toBeGreaterThan(
      at('SetShellVarContext current'),
    );
    expect(lines.filter((l) => l.startsWith('Delete ') && l.includes('$SMPROGRAMS'))).toHaveLength(1);
    // The whole CLSID key (LocalServer32 with it), in HKCU and in every loaded user hive; no other key.
    const keys = lines.filter((l) => l.startsWith('DeleteRegKey'));
    expect(keys).toEqual([
      'DeleteRegKey HKCU "Software\\Classes\\CLSID\\${PORTCULLIS_TOAST_CLSID}"',
      'DeleteRegKey HKU "$R1\\Software\\Classes\\CLSID\\${PORTCULLIS_TOAST_CLSID}"',
    ]);
    expect(macro).toMatch(/EnumRegKey \$R1 HKU "" \$R0/);
    // Kept on update (the new version uses the same shortcut and key), and the all-users context restored after.
    const current = macro.indexOf('SetShellVarContext current');
    expect(macro.indexOf('${ifNot} ${isUpdated}')).toBeLessThan(current);
    expect(macro.slice(current)).toMatch(
      /^SetShellVarContext current[\s\S]*?\$\{if\} \$installMode == "all"\s+SetShellVarContext all/,
    );
  });

  it.skipIf(!hasMakensis)(
    'compiles with makensis inside an uninstall section (skipped: makensis not installed)',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'portcullis-nsis-'));
      try {
        // Stand-ins for what electron-builder's templates define around the include.
        const harness = [
          'Unicode true',
          '!include LogicLib.nsh',
          '!define APP_EXECUTABLE_FILENAME "Portcullis.exe"',
          'Var installMode',
          'Var updated',
          '!macro _isUpdated _a _b _t _f',
          '  StrCmp $updated "1" `${_t}` `${_f}`',
          '!macroend',
          '!define isUpdated `"" isUpdated ""`',
          `!include "${scriptPath}"`,
          `OutFile "${join(dir, 'harness.exe')}"`,
          'Section',
          '  StrCpy $installMode "all"',
          '  StrCpy $updated "0"',
          '  WriteUninstaller "$INSTDIR\\uninstall.exe"',
          'SectionEnd',
          'Section "un.Uninstall"',
          '  !insertmacro customUnInstall',
          'SectionEnd',
        ].join('\n');
        writeFileSync(join(dir, 'harness.nsi'), harness);
        const output = execFileSync('makensis', ['-V2', '-WX', join(dir, 'harness.nsi')], { encoding: 'utf8' });
        expect(output).not.toMatch(/error/i);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
