// Settings' "Start with Windows" as main serves it: unavailable off Windows and in development runs, and on Windows
// the logon task is created, reported and removed through core's Autostart.
import { describe, expect, it, vi } from 'vitest';
import type { AutostartState } from '../../../electron/core/autostart';
import { createAutostartHandlers } from '../../../electron/main/autostart';

const exePath = 'C:\\Program Files\\Portcullis\\Portcullis.exe';

function fakeTask(initial: AutostartState = { registered: false }) {
  let state = initial;
  return {
    enable: vi.fn(async () => {
      state = { registered: true, enabled: true, elevated: true, matches: true };
      return state;
    }),
    disable: vi.fn(async () => {
      state = { registered: false };
    }),
    query: vi.fn(async () => state),
  };
}

describe('Start with Windows', () => {
  it('is unavailable off Windows and never touches Task Scheduler', async () => {
    const task = fakeTask();
    const handlers = createAutostartHandlers({ platform: 'linux', isPackaged: true, exePath, autostart: () => task });
    expect(await handlers['autostart.set']({ enabled: true })).toMatchObject({ supported: false, enabled: false });
    expect((await handlers['autostart.get']()).detail).toMatch(/Windows/);
    expect(task.enable).not.toHaveBeenCalled();
  });

  it('is unavailable in a development run, where the task would start Electron without the app', async () => {
    const task = fakeTask();
    const handlers = createAutostartHandlers({ platform: 'win32', isPackaged: false, exePath, autostart: () => task });
    expect(await handlers['autostart.set']({ enabled: true })).toMatchObject({ supported: false });
    expect(task.enable).not.toHaveBeenCalled();
  });

  it('on an installed Windows app creates the task for this executable, reports it, and removes it', async () => {
    const task = fakeTask();
    const handlers = createAutostartHandlers({ platform: 'win32', isPackaged: true, exePath, autostart: () => task });
    expect(await handlers['autostart.get']()).toEqual({ supported: true, enabled: false });
    expect(await handlers['autostart.set']({ enabled: true })).toEqual({ supported: true, enabled: true });
    expect(task.enable).toHaveBeenCalledWith({ exePath });
    expect(await handlers['autostart.set']({ enabled: false })).toEqual({ supported: true, enabled: false });
    expect(task.disable).toHaveBeenCalled();
  });

  it('says so when the task starts another copy of Portcullis (moved or reinstalled)', async () => {
    const task = fakeTask({ registered: true, enabled: true, elevated: true, matches: false });
    const handlers = createAutostartHandlers({ platform: 'win32', isPackaged: true, exePath, autostart: () => task });
    const status = await handlers['autostart.get']();
    expect(status.enabled).toBe(true);
    expect(status.detail).toMatch(/another copy/);
  });
});
