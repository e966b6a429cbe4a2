// `portcullis` in cmd and PowerShell: a batch file beside the app that waits for Portcullis.exe and returns its exit
// code, and the installer's PATH entry for the folder that holds it, added and removed without touching the rest.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boot } from '../../../electron/main/boot';
import { withFolder, withoutFolder } from '../../../electron/main/console-path';
import config from '../../../build/electron-builder.config';
import { fakeElectron } from './fake-electron';
import { bootOptions, EXE, memoryMachinePath } from './start';

const root = join(import.meta.dirname, '..', '..', '..');
const BIN = 'C:\\Program Files\\Portcullis\\bin';

async function installerRuns(arg: string, machine = memoryMachinePath('%SystemRoot%\\system32;C:\\Tools')) {
  const electron = fakeElectron({ platform: 'win32', packaged: true });
  const started = boot(electron, bootOptions({ exe: EXE, args: [arg], machinePath: machine }));
  electron.ready();
  await started;
  return { electron, machine };
}

describe('portcullis.cmd', () => {
  const cmd = readFileSync(join(root, 'build', 'cli', 'portcullis.cmd'), 'utf8');

  it('runs the installed exe with --cli and the arguments, and exits with its code', () => {
    expect(cmd).toMatch(/^@echo off\r\n/);
    // cmd waits for every program a batch file starts, GUI ones included; %~dp0 is the batch file's own folder.
    expect(cmd).toContain('"%~dp0..\\Portcullis.exe" --cli %*\r\n');
    expect(cmd).toContain('exit /b %ERRORLEVEL%\r\n');
    expect(cmd.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('is packaged into <install folder>\\bin, a folder with nothing else in it', () => {
    expect(config.extraFiles).toEqual([{ from: 'build/cli/portcullis.cmd', to: 'bin/portcullis.cmd' }]);
  });
});

describe('the machine PATH', () => {
  it('gains the bin folder once, keeps every other entry, its type, and tells Windows', async () => {
    const { electron, machine } = await installerRuns('--register-console');
    expect(machine.state.value).toBe(`%SystemRoot%\\system32;C:\\Tools;${BIN}`);
    expect(machine.state.expand).toBe(true);
    expect(machine.state.announced).toBe(1);
    expect(electron.exit).toHaveBeenCalledWith(0);
    expect(electron.calls).not.toContain('requestSingleInstanceLock');
    await installerRuns('--register-console', machine);
    expect(machine.state.value.split(';').filter((e) => e === BIN)).toHaveLength(1);
  });

  it('loses exactly the bin folder at uninstall', async () => {
    const machine = memoryMachinePath(`C:\\A;${BIN.toUpperCase()}\\;C:\\B`);
    await installerRuns('--unregister-console', machine);
    expect(machine.state.value).toBe('C:\\A;C:\\B');
  });

  it('is never changed by a development run', async () => {
    const electron = fakeElectron();
    const machine = memoryMachinePath('C:\\A');
    const started = boot(electron, bootOptions({ args: ['--register-console'], machinePath: machine }));
    electron.ready();
    await started;
    expect(machine.state.writes).toBe(0);
    expect(electron.exit).toHaveBeenCalledWith(2);
  });

  it('compares entries as Windows does', () => {
    expect(withFolder('C:\\A;"c:\\program files\\portcullis\\bin\\"', BIN)).toBe(
      'C:\\A;"c:\\program files\\portcullis\\bin\\"',
    );
    expect(withFolder('', BIN)).toBe(BIN);
    expect(withFolder('C:\\A;', BIN)).toBe(`C:\\A;${BIN}`);
    expect(withoutFolder('C:\\A;C:\\Program Files\\Portcullis\\binary', BIN)).toBe(
      'C:\\A;C:\\Program Files\\Portcullis\\binary',
    );
  });

  it('is added by the installer and removed by the uninstaller', () => {
    const script = readFileSync(join(root, 'build', 'installer.nsh'), 'utf8');
    expect(script).toMatch(/!macro customInstall[\s\S]*\$\{PORTCULLIS_REGISTER_CONSOLE_ARG\}[\s\S]*!macroend/);
    expect(script).toMatch(/!macro customUnInstall[\s\S]*\$\{PORTCULLIS_UNREGISTER_CONSOLE_ARG\}[\s\S]*!macroend/);
    expect(script).toContain('!define PORTCULLIS_REGISTER_CONSOLE_ARG "--register-console"');
  });
});
