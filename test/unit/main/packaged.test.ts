// The installed, elevated app takes nothing an unelevated program can set: no PORTCULLIS_* variable, no system
// folder from the environment, no Chromium or Node switch that opens, wraps or weakens it, no DevTools, and a
// profile (with the single-instance lock) inside the administrators-only data folder.
import { describe, expect, it, vi } from 'vitest';
import { boot } from '../../../electron/main/boot';
import { chromiumSwitches, refusalReasons, sanitizeEnvironment } from '../../../electron/main/hardening';
import { isAllowedRequest } from '../../../electron/main/security';
import { distrustEnvironment, simulatorFromEnvironment, simulatorPath } from '../../../native/loader';
import { fakeCore } from './fake-core';
import { fakeElectron } from './fake-electron';
import { bootOptions, EXE, settle, windowsFacts } from './start';

const UNSAFE = [
  '--remote-debugging-port=9222',
  '--remote-debugging-pipe',
  '--remote-debugging-address=0.0.0.0',
  '--gpu-launcher=C:\\Users\\Public\\x.exe',
  '--renderer-cmd-prefix=cmd /c calc',
  '--utility-cmd-prefix=x',
  '--no-sandbox',
  '--disable-gpu-sandbox',
  '--inspect',
  '--inspect=9229',
  '--inspect-brk',
  '--inspect-port=1',
  '--js-flags=--allow-natives-syntax',
  '--disable-web-security',
  '--user-data-dir=C:\\Users\\Public\\p',
  '--log-file=C:\\Windows\\System32\\drivers\\etc\\hosts',
  '--enable-logging=file',
  '--log-net-log=C:\\x',
  '--single-process',
  '--disable-features=IsolateOrigins',
  '--wait-for-debugger-children',
  '--renderer-startup-dialog',
  // Chromium on Windows also takes "-" and "/" prefixes and ignores case.
  '-remote-debugging-port=9222',
  '/remote-debugging-port=9222',
  '--Remote-Debugging-Port=9222',
  '/NO-SANDBOX',
];

async function packagedStart(options: { args?: string[]; env?: NodeJS.ProcessEnv; exe?: string } = {}) {
  const electron = fakeElectron({ platform: 'win32', packaged: true });
  const core = fakeCore();
  const boot0 = bootOptions({ core, args: options.args, env: options.env, exe: options.exe ?? EXE });
  const started = boot(electron, boot0);
  electron.ready();
  await started;
  return { electron, core, options: boot0 };
}

describe('the installed app on Windows', () => {
  it.each(UNSAFE)('refuses to start with %s, before taking the lock or loading anything', async (arg) => {
    const { electron, options } = await packagedStart({ args: [arg] });
    expect(electron.exit).toHaveBeenCalledWith(2);
    expect(electron.errorBoxes[0]).toContain(arg);
    expect(electron.calls).not.toContain('requestSingleInstanceLock');
    expect(options.loadCore).not.toHaveBeenCalled();
    expect(electron.windows).toHaveLength(0);
  });

  it('refuses the same switches after --cli, where Chromium still reads them', async () => {
    const { electron, options } = await packagedStart({ args: ['--cli', 'status', '--remote-debugging-port=9222'] });
    expect(electron.exit).toHaveBeenCalledWith(2);
    expect(options.runCli).not.toHaveBeenCalled();
  });

  it.each(['ELECTRON_ENABLE_LOGGING', 'ELECTRON_LOG_FILE', 'ELECTRON_LOG_ASAR_READS'])(
    'refuses to start with %s in the environment',
    async (name) => {
      const { electron } = await packagedStart({ env: { [name]: '1' } });
      expect(electron.exit).toHaveBeenCalledWith(2);
      expect(electron.errorBoxes[0]).toContain(name);
    },
  );

  it('starts with its own switches and ignores a switch-like value after "--"', async () => {
    const { electron } = await packagedStart({ args: ['--hidden', '--', '--no-sandbox'] });
    expect(electron.exit).not.toHaveBeenCalled();
    expect(electron.trays).toHaveLength(1);
  });

  it('drops every PORTCULLIS_* variable and takes SystemRoot and ProgramData from Windows', async () => {
    const env: NodeJS.ProcessEnv = {
      PORTCULLIS_SIM_LIB: 'C:\\Users\\Public\\evil.dll',
      PORTCULLIS_DATA_DIR: 'C:\\Users\\Public\\rules',
      PORTCULLIS_SIM_SCENARIO: 'x',
      portcullis_lower: 'x',
      SystemRoot: 'C:\\Users\\Public\\fake-windows',
      windir: 'C:\\Users\\Public\\fake-windows',
      ProgramData: 'C:\\Users\\Public',
      PATH: 'C:\\Windows\\System32',
    };
    const { options, electron } = await packagedStart({ env });
    expect(options.distrustEnvironment).toHaveBeenCalled();
    expect(Object.keys(env).filter((k) => /^portcullis_/i.test(k))).toEqual([]);
    expect(env).toMatchObject({ SystemRoot: 'C:\\Windows', windir: 'C:\\Windows', ProgramData: 'C:\\ProgramData' });
    expect(env.PATH).toBe('C:\\Windows\\System32');
    expect(electron.exit).not.toHaveBeenCalled();
  });

  it('keeps its profile and single-instance lock in the administrators-only data folder, set before the lock', async () => {
    const { electron, options } = await packagedStart();
    expect(electron.state.userData).toBe('C:\\ProgramData\\Portcullis\\Electron');
    // The data folder first (created protected, or checked), then the profile inside it.
    expect(options.prepareProfile).toHaveBeenCalledWith(
      'C:\\ProgramData\\Portcullis',
      'C:\\ProgramData\\Portcullis\\Electron',
    );
    expect(electron.calls.indexOf('setPath:userData')).toBeLessThan(
      electron.calls.indexOf('requestSingleInstanceLock'),
    );
  });

  it('refuses to start, with the sentence of the data folder check, when the data folder is not safe', async () => {
    const electron = fakeElectron({ platform: 'win32', packaged: true });
    const options = bootOptions({ exe: EXE });
    options.prepareProfile.mockImplementation(() => {
      throw new Error('C:\\ProgramData\\Portcullis is owned by DESKTOP-7\\ann: move it away as an administrator.');
    });
    const started = boot(electron, options);
    electron.ready();
    await started;
    expect(electron.exit).toHaveBeenCalledWith(2);
    expect(electron.errorBoxes[0]).toMatch(/owned by DESKTOP-7/);
    expect(electron.calls).not.toContain('requestSingleInstanceLock');
  });

  it('takes its own lock in the data folder, so that a window imitating a running Portcullis does not stop it', async () => {
    for (const ours of ['held', 'elsewhere'] as const) {
      const electron = fakeElectron({ platform: 'win32', packaged: true, lock: false });
      const holdInstanceLock = vi.fn(() => ours);
      const options = { ...bootOptions({ exe: EXE }), holdInstanceLock };
      const started = boot(electron, options);
      electron.ready();
      await started;
      expect(holdInstanceLock).toHaveBeenCalledWith('C:\\ProgramData\\Portcullis');
      // Held: Chromium's refusal came from an impostor. Elsewhere: a Portcullis runs, and this one quits.
      expect(electron.quit).toHaveBeenCalledTimes(ours === 'held' ? 0 : 1);
      expect(options.loadCore).toHaveBeenCalledTimes(ours === 'held' ? 1 : 0);
    }
    // The command-line tool runs beside the app (the uninstaller's reset) and takes no instance lock.
    const cli = fakeElectron({ platform: 'win32', packaged: true });
    const holdInstanceLock = vi.fn(() => 'held' as const);
    await boot(cli, { ...bootOptions({ exe: EXE, args: ['--cli', 'status'] }), holdInstanceLock });
    expect(holdInstanceLock).not.toHaveBeenCalled();
  });

  it('narrows the DLL search path before anything else of ours loads', async () => {
    const facts = windowsFacts();
    const electron = fakeElectron({ platform: 'win32', packaged: true });
    const options = { ...bootOptions({ exe: EXE }), windowsFacts: () => facts };
    const started = boot(electron, options);
    electron.ready();
    await started;
    expect(facts.narrowDllSearch).toHaveBeenCalledTimes(1);
  });

  it('refuses to run from outside Program Files, where its code could be writable by users', async () => {
    const { electron, options } = await packagedStart({ exe: 'C:\\Tools\\Portcullis\\Portcullis.exe' });
    expect(electron.exit).toHaveBeenCalledWith(2);
    expect(electron.errorBoxes[0]).toMatch(/outside C:\\Program Files/);
    expect(options.loadCore).not.toHaveBeenCalled();
  });

  it('has no DevTools: windows are created without them and devtools: requests are cancelled', async () => {
    const { electron } = await packagedStart();
    await settle();
    expect(electron.windows[0]!.options.webPreferences.devTools).toBe(false);
    let cancelled: boolean | undefined;
    electron.session.beforeRequest!(
      { url: 'devtools://devtools/bundled/inspector.html' },
      (r) => (cancelled = r.cancel),
    );
    expect(cancelled).toBe(true);
    expect(isAllowedRequest('devtools://devtools/x', { devTools: true })).toBe(true);
  });
});

describe('a development run', () => {
  it('keeps the environment and DevTools, and never asks Windows for its folders', async () => {
    const electron = fakeElectron();
    const env = { PORTCULLIS_DATA_DIR: '/tmp/demo' };
    const options = bootOptions({ env, args: ['--remote-debugging-port=9222'] });
    const started = boot(electron, options);
    electron.ready();
    await started;
    expect(env.PORTCULLIS_DATA_DIR).toBe('/tmp/demo');
    expect(options.windowsFacts).not.toHaveBeenCalled();
    expect(options.distrustEnvironment).not.toHaveBeenCalled();
    expect(electron.windows[0]!.options.webPreferences.devTools).toBe(true);
  });
});

describe('switch parsing as Chromium does it', () => {
  it('knows the Windows prefixes, case and terminators', () => {
    expect(chromiumSwitches(['/X=1', '-y', '--Z', 'file', '--', '--after'], 'win32').map((s) => s.name)).toEqual([
      'x',
      'y',
      'z',
    ]);
    expect(chromiumSwitches(['/no-sandbox'], 'linux')).toEqual([]);
    expect(chromiumSwitches(['--single-argument', '--no-sandbox'], 'win32')).toEqual([]);
    expect(refusalReasons(['--hidden', '--cli', 'rules', 'list', '--json'], {}, 'win32')).toEqual([]);
  });

  it('sanitizeEnvironment replaces variables whatever their case', () => {
    const env: NodeJS.ProcessEnv = { SYSTEMROOT: 'C:\\evil', Portcullis_Sim_Lib: 'x' };
    sanitizeEnvironment(env, { systemDirectory: 'C:\\W\\System32', windowsDirectory: 'C:\\W', programData: 'C:\\PD' });
    expect(env).toEqual({ SystemRoot: 'C:\\W', windir: 'C:\\W', ProgramData: 'C:\\PD', ALLUSERSPROFILE: 'C:\\PD' });
  });
});

describe('native loader', () => {
  it('ignores PORTCULLIS_SIM_LIB once the environment is distrusted', () => {
    vi.stubEnv('PORTCULLIS_SIM_LIB', '/tmp/evil.so');
    try {
      expect(simulatorFromEnvironment()).toBe('/tmp/evil.so');
      distrustEnvironment();
      expect(simulatorFromEnvironment()).toBeUndefined();
      expect(simulatorPath()).not.toContain('evil');
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
