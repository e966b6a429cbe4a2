// The shell's life: one instance, elevation on Windows, close to tray, and a quit that waits for core.
import { describe, expect, it, vi } from 'vitest';
import { APP_ID, TOAST_ACTIVATOR_CLSID } from '../../../electron/core/app-identity';
import { runPortcullis } from '../../../electron/main/lifecycle';
import { fakeCore, settings } from './fake-core';
import { fakeElectron, preventable } from './fake-electron';
import { settle, startShell } from './start';

const paths = { preload: '/p.cjs', rendererDir: '/r', exe: 'C:\\Portcullis\\Portcullis.exe', args: ['--flag'] };

describe('quitting', () => {
  it('holds the quit until core.stop() has resolved, then quits for real', async () => {
    const core = fakeCore();
    const { electron } = await startShell({ core });
    const first = preventable();
    electron.appEvents.emit('before-quit', first);
    expect(first.prevented).toBe(true);
    expect(core.stop).toHaveBeenCalledTimes(1);

    // A second quit request while stopping neither quits nor stops twice.
    const second = preventable();
    electron.appEvents.emit('before-quit', second);
    expect(second.prevented).toBe(true);
    expect(core.stop).toHaveBeenCalledTimes(1);
    await settle();
    expect(electron.quit).not.toHaveBeenCalled();

    core.finishStop();
    await settle();
    expect(electron.quit).toHaveBeenCalledTimes(1);
    // The quit that follows the stop goes through.
    const last = preventable();
    electron.appEvents.emit('before-quit', last);
    expect(last.prevented).toBe(false);
  });

  it('ends the process at once when a call into Windows still runs after core stopped, instead of waiting on it', async () => {
    const core = fakeCore();
    const { electron } = await startShell({ core });
    electron.appEvents.emit('before-quit', preventable());
    core.held.push('the signature check of \\\\fileserver\\tools\\sync.exe (asked 75 s ago)');
    core.finishStop();
    await settle();
    // Electron's quit would join the thread inside that call: the process would linger, holding the single-instance
    // lock, and Portcullis could not be started again until the call returned.
    expect(electron.quit).not.toHaveBeenCalled();
    expect(electron.endProcessNow).toHaveBeenCalledTimes(1);
    expect(electron.logs).toContainEqual(
      'warn: Ending at once: the signature check of \\\\fileserver\\tools\\sync.exe (asked 75 s ago) has not returned, and quitting would wait for it.',
    );
  });

  it('quits normally when nothing is left running', async () => {
    const core = fakeCore();
    const { electron } = await startShell({ core });
    electron.appEvents.emit('before-quit', preventable());
    core.finishStop();
    await settle();
    expect(electron.quit).toHaveBeenCalledTimes(1);
    expect(electron.endProcessNow).not.toHaveBeenCalled();
  });

  it('lets windows close once quitting, even with close-to-tray on', async () => {
    const { electron, mainWindow } = await startShell();
    electron.appEvents.emit('before-quit', preventable());
    expect(mainWindow.userClose()).toBe(true);
  });
});

describe('start-up', () => {
  it('starts anyway when a window merely imitates a running Portcullis: nobody holds our own lock', async () => {
    const electron = fakeElectron({ lock: false, autoReady: true });
    const shell = await runPortcullis(electron, async () => fakeCore(), paths, { instanceLock: 'held' });
    expect(shell).toBeDefined();
    expect(electron.quit).not.toHaveBeenCalled();
    expect(electron.windows.length).toBeGreaterThan(0);
    expect(electron.logs).toContainEqual(expect.stringMatching(/^warn: Another program poses as a running Portcullis/));
  });

  it('a second instance quits at once and the first one comes to the front', async () => {
    const second = fakeElectron({ lock: false, autoReady: true });
    const loaded: unknown[] = [];
    await runPortcullis(second, async () => (loaded.push(1), fakeCore()), paths);
    expect(second.quit).toHaveBeenCalled();
    expect(loaded).toEqual([]);
    expect(second.windows).toEqual([]);

    // Chromium's lock is refused, and a running Portcullis holds ours too: a real second instance, which quits.
    const third = fakeElectron({ lock: false, autoReady: true });
    await runPortcullis(third, async () => (loaded.push(1), fakeCore()), paths, { instanceLock: 'elsewhere' });
    expect(third.quit).toHaveBeenCalled();
    expect(loaded).toEqual([]);

    const { electron, mainWindow } = await startShell();
    mainWindow.hide();
    electron.appEvents.emit('second-instance');
    expect(mainWindow.visible).toBe(true);
    expect(mainWindow.focused).toBe(true);
  });

  it('on Windows without elevation explains it, offers a restart as administrator, and never starts core', async () => {
    const electron = fakeElectron({ platform: 'win32', elevated: false, autoReady: true });
    const loaded: unknown[] = [];
    await runPortcullis(electron, async () => (loaded.push(1), fakeCore()), paths);
    expect(electron.messageBoxes[0]).toMatch(/must run as administrator/);
    expect(loaded).toEqual([]);
    expect(electron.app.releaseSingleInstanceLock).toHaveBeenCalled();
    expect(electron.quit).toHaveBeenCalled();
  });

  it('on Windows with elevation starts normally', async () => {
    const electron = fakeElectron({ platform: 'win32', elevated: true, autoReady: true });
    await runPortcullis(electron, async () => fakeCore(), paths);
    expect(electron.messageBoxes).toEqual([]);
    expect(electron.windows).toHaveLength(1);
  });

  it('a core that cannot start is reported in a message and the app exits with an error', async () => {
    const electron = fakeElectron({ autoReady: true });
    await runPortcullis(
      electron,
      async () => Promise.reject(new Error('FwpmEngineOpen0 failed: FWP_E_ACCESS_DENIED')),
      paths,
    );
    expect(electron.messageBoxes).toEqual(['FwpmEngineOpen0 failed: FWP_E_ACCESS_DENIED']);
    expect(electron.exit).toHaveBeenCalledWith(1);
  });

  it('--hidden starts in the tray without showing the window', async () => {
    const { electron } = await startShell({ args: ['--hidden'] });
    expect(electron.windows).toHaveLength(0);
    expect(electron.trays).toHaveLength(1);
  });

  it('registers the AppUserModelId the installer gives its shortcut, so Windows shows our notifications', async () => {
    const { electron } = await startShell({});
    expect(electron.app.setAppUserModelId).toHaveBeenCalledWith(APP_ID);
  });

  it('on Windows, names the notification activator by the fixed CLSID the uninstaller removes, before the AppUserModelId', async () => {
    const { electron } = await startShell({ electron: fakeElectron({ platform: 'win32' }) });
    const setClsid = vi.mocked(electron.app.setToastActivatorCLSID!);
    expect(setClsid).toHaveBeenCalledWith(TOAST_ACTIVATOR_CLSID);
    expect(setClsid.mock.invocationCallOrder[0]).toBeLessThan(
      vi.mocked(electron.app.setAppUserModelId).mock.invocationCallOrder[0]!,
    );
  });

  it('removes the application menu, whose View menu would offer developer tools', async () => {
    const { electron } = await startShell({});
    expect(electron.removeApplicationMenu).toHaveBeenCalled();
  });
});

describe('closing the main window', () => {
  it('hides it to the tray when close-to-tray is on', async () => {
    const { electron, mainWindow } = await startShell();
    await settle();
    expect(mainWindow.userClose()).toBe(false);
    expect(mainWindow.visible).toBe(false);
    expect(electron.quit).not.toHaveBeenCalled();
  });

  it('quits (through the stop) when close-to-tray is off', async () => {
    const core = fakeCore({ settings: { ...settings, closeToTray: false } });
    const { electron, mainWindow } = await startShell({ core });
    expect(mainWindow.userClose()).toBe(true);
    expect(electron.quit).toHaveBeenCalled();
    expect(core.stop).toHaveBeenCalled();
  });
});
