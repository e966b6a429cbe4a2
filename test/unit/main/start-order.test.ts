// The start as Electron 45 runs it: what must happen before 'ready' happens in the entry's synchronous part, a second
// launch is never dropped, and logoff puts the engine options back although Electron sends no 'before-quit'.
import { describe, expect, it } from 'vitest';
import { boot } from '../../../electron/main/boot';
import { decision, fakeCore } from './fake-core';
import { fakeElectron } from './fake-electron';
import { bootOptions, settle, startShell } from './start';

describe('start order', () => {
  it('registers the scheme, the AppUserModelId and the lock before Electron can be ready', async () => {
    const electron = fakeElectron();
    const started = boot(electron, bootOptions({}));
    electron.ready();
    await started;
    const readyAt = electron.calls.indexOf('ready');
    for (const call of [
      'registerPrivilegedScheme:portcullis',
      'appendSwitch:js-flags=--max-semi-space-size=2',
      'setAppUserModelId',
      'requestSingleInstanceLock',
    ]) {
      expect(electron.calls.indexOf(call), call).toBeGreaterThanOrEqual(0);
      expect(electron.calls.indexOf(call), call).toBeLessThan(readyAt);
    }
    expect(electron.windows).toHaveLength(1);
  });

  it('the fake refuses what Electron refuses once ready, so an await before boot() would be caught', async () => {
    const electron = fakeElectron();
    electron.ready();
    expect(() => boot(electron, bootOptions({}))).toThrow(
      /registerSchemesAsPrivileged should be called before app is ready/,
    );
    const early = fakeElectron();
    expect(() => early.defaultSession).toThrow(/Session can only be received when app is ready/);
    expect(() => early.createTray({ toDataURL: () => '', isEmpty: () => false })).toThrow(/before app is ready/);
  });

  it('the CLI path registers the same before-ready calls and exits with the CLI code', async () => {
    const electron = fakeElectron();
    const options = bootOptions({ args: ['--cli', 'status'] });
    const started = boot(electron, options);
    electron.ready();
    await started;
    expect(options.runCli).toHaveBeenCalledWith(['status']);
    expect(electron.exit).toHaveBeenCalledWith(0);
    expect(electron.calls).not.toContain('requestSingleInstanceLock');
  });
});

describe('second launch', () => {
  it('before core is up: remembered, and the window shows once core is ready (even when started --hidden)', async () => {
    const electron = fakeElectron();
    const core = fakeCore();
    let coreUp: (c: typeof core) => void = () => undefined;
    const options = bootOptions({ args: ['--hidden'] });
    options.loadCore.mockImplementation(() => new Promise((resolve) => (coreUp = resolve)));
    const started = boot(electron, options);
    electron.ready();
    await settle();
    electron.appEvents.emit('second-instance');
    expect(electron.windows).toHaveLength(0);
    coreUp(core);
    await started;
    expect(electron.windows).toHaveLength(1);
    await settle();
    expect(electron.windows[0]!.visible).toBe(true);
  });

  it('after core is up: brings the window back', async () => {
    const { electron, mainWindow } = await startShell({ args: ['--hidden'] });
    expect(mainWindow).toBeUndefined();
    electron.appEvents.emit('second-instance');
    expect(electron.windows).toHaveLength(1);
  });
});

describe('logoff and shutdown', () => {
  it('puts the engine options back during session-end, with no before-quit, before the process is killed', async () => {
    const core = fakeCore();
    // --hidden: the logon task's start, with no window of ours open.
    const { electron } = await startShell({ core, args: ['--hidden'] });
    let quitRequested = false;
    electron.appEvents.on('before-quit', () => (quitRequested = true));
    electron.endSession(['logoff']);
    expect(core.endSession).toHaveBeenCalledTimes(1);
    expect(quitRequested).toBe(false);
    expect(electron.state.killed).toBe(true);
    // A stop that needs the event loop would never have finished: it is not what logoff relies on.
    expect(core.stop).not.toHaveBeenCalled();
  });

  it('a shutdown with the prompt open does the same, once', async () => {
    const core = fakeCore();
    const { electron } = await startShell({ core });
    core.delta({ decisions: [decision('d1', 'tool')] });
    await settle();
    electron.endSession([]);
    expect(core.endSession).toHaveBeenCalledTimes(1);
  });

  it('a cancelled logoff (query only) leaves core running', async () => {
    const core = fakeCore();
    const { electron } = await startShell({ core });
    // Another program refused: Windows sends WM_ENDSESSION with FALSE, and Electron emits no 'session-end'.
    electron.endSession(['logoff'], { cancelled: true });
    expect(electron.state.killed).toBe(false);
    expect(core.endSession).not.toHaveBeenCalled();
  });
});
