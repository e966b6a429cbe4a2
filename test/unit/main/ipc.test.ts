// Main's IPC: only our own windows' top frames may call, and only with valid arguments; both are refused
// before core sees the call.
import { describe, expect, it } from 'vitest';
import { IPC_COMMAND_PREFIX, IPC_EVENT_PREFIX } from '../../../electron/ipc/contract';
import { commandNames } from '../../../electron/ipc/channels';
import type { AppEntry } from '../../../electron/core/model';
import { fakeCore, decision, status } from './fake-core';
import { settle, startShell } from './start';

const cmd = (name: string) => IPC_COMMAND_PREFIX + name;
const OUR_URL = 'portcullis://app/index.html';

describe('IPC in main', () => {
  it('registers a handler for every command of the contract', async () => {
    const { electron } = await startShell();
    expect([...electron.handlers.keys()].sort()).toEqual(commandNames.map(cmd).sort());
  });

  it('passes a valid call from our window to core and returns its result', async () => {
    const { electron, core, mainWindow } = await startShell();
    const result = await electron.invoke(
      cmd('rules.remove'),
      { ids: ['r1', 'r2'] },
      { contents: mainWindow.webContents, url: OUR_URL },
    );
    expect(result).toEqual({ ok: true, value: { removed: 2 } });
    expect(core.spies['rules.remove']).toHaveBeenCalledWith({ ids: ['r1', 'r2'] });
  });

  it.each([
    ['a remote page in our window', { url: 'https://example.com/index.html' }],
    ['a file: page in our window', { url: 'file:///app/out/renderer/index.html' }],
    ['one of our pages inside a subframe', { url: OUR_URL, subframe: true }],
    ['a page of ours that is not an app page', { url: 'portcullis://app/assets/index.js' }],
  ])('refuses %s before core', async (_name, from) => {
    const { electron, core, mainWindow } = await startShell();
    const result = await electron.invoke(
      cmd('mode.set'),
      { mode: 'off' },
      { contents: mainWindow.webContents, ...from },
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } });
    expect(core.spies['mode.set']).not.toHaveBeenCalled();
  });

  it('refuses a call from web contents that are not one of our windows', async () => {
    const { electron, core } = await startShell();
    const result = await electron.invoke(cmd('mode.set'), { mode: 'off' }, { contents: { id: 9999 }, url: OUR_URL });
    expect(result).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } });
    expect(core.spies['mode.set']).not.toHaveBeenCalled();
  });

  it.each([
    ['an unknown mode', 'mode.set', { mode: 'permissive' }],
    ['an extra property', 'mode.set', { mode: 'off', elevate: true }],
    ['a missing argument object', 'rules.remove', undefined],
    ['an empty id list', 'rules.remove', { ids: [] }],
    [
      'a port out of range',
      'rules.create',
      { appKey: 'k', action: 'allow', direction: 'out', remotePort: 70000, duration: { kind: 'forever' } },
    ],
    ['a string where a number belongs', 'notifications.pause', { minutes: '60' }],
  ])('refuses %s before core, naming the problem', async (_name, command, args) => {
    const { electron, core, mainWindow } = await startShell();
    const result = (await electron.invoke(cmd(command), args, { contents: mainWindow.webContents, url: OUR_URL })) as {
      ok: boolean;
      error: { code: string; message: string; issues: string[] };
    };
    expect(result.ok).toBe(false);
    expect(result.error.code).toBe('INVALID_ARGUMENTS');
    expect(result.error.message).toContain(command);
    expect(result.error.issues.length).toBeGreaterThan(0);
    for (const spy of Object.values(core.spies)) {
      if (spy !== core.spies['snapshot.get']) expect(spy).not.toHaveBeenCalled();
    }
  });

  it('accepts calls from the prompt and notification windows too', async () => {
    const core = fakeCore();
    const { electron, shell } = await startShell({ core });
    core.delta({ decisions: [decision('d1', 'tool')] });
    shell.trayActions.openDecision('d1');
    const prompt = electron.windows[1]!;
    core.notify({ decisionId: 'd1', appKey: 'k', title: 't', body: 'b' });
    const notice = electron.windows[2]!;
    const opened = await electron.invoke(
      cmd('inbox.open'),
      { decisionId: 'd1' },
      { contents: notice.webContents, url: 'portcullis://app/notification.html' },
    );
    expect(opened).toEqual({ ok: true, value: { opened: true } });
    const result = await electron.invoke(
      cmd('mode.set'),
      { mode: 'enforce' },
      { contents: prompt.webContents, url: 'portcullis://app/prompt.html' },
    );
    expect(result).toMatchObject({ ok: true, value: { mode: 'enforce' } });
  });

  it('answers apps.icon from the executable, not from core', async () => {
    const { electron, mainWindow } = await startShell();
    const result = await electron.invoke(
      cmd('apps.icon'),
      { path: 'C:\\Apps\\a.exe' },
      { contents: mainWindow.webContents, url: OUR_URL },
    );
    expect(result).toEqual({ ok: true, value: 'data:image/png;base64,C:\\Apps\\a.exe' });
  });

  it('never reads an icon from a network share or device path, which would send the elevated credentials there', async () => {
    const { electron, mainWindow } = await startShell();
    for (const path of ['\\\\attacker\\share\\a.exe', '\\\\?\\UNC\\attacker\\share\\a.exe', 'a.exe']) {
      const result = await electron.invoke(
        cmd('apps.icon'),
        { path },
        { contents: mainWindow.webContents, url: OUR_URL },
      );
      expect(result).toEqual({ ok: true, value: null });
    }
  });

  it('sends the prompt and notification windows only the decisions, status and settings of a batch', async () => {
    const core = fakeCore();
    const { electron, mainWindow, shell } = await startShell({ core });
    core.delta({ decisions: [decision('d1', 'tool')] });
    shell.trayActions.openDecision('d1');
    await settle();
    const prompt = electron.windows[1]!;
    const deltas = (win: typeof prompt) =>
      win.webContents.sent.filter((m) => m.channel === `${IPC_EVENT_PREFIX}delta`).map((m) => m.payload);
    const before = deltas(prompt).length;
    const row = { identity: { key: 'path:c:\\apps\\x.exe' } } as unknown as AppEntry;
    core.delta({ apps: [row], activitySkipped: 5, status, decisions: [decision('d2', 'game')] });
    core.delta({ apps: [row], removedApps: ['y'] });
    expect(deltas(mainWindow).slice(-2)).toEqual([
      { seq: 1, apps: [row], activitySkipped: 5, status, decisions: [decision('d2', 'game')] },
      { seq: 1, apps: [row], removedApps: ['y'] },
    ]);
    // The apps and the log are for the main window; a batch with nothing for the prompt is not sent to it.
    expect(deltas(prompt).slice(before)).toEqual([{ seq: 1, status, decisions: [decision('d2', 'game')] }]);
  });

  it('forwards every delta batch to the open windows', async () => {
    const core = fakeCore();
    const { mainWindow } = await startShell({ core });
    core.delta({ removedApps: ['x'] });
    expect(mainWindow.webContents.sent).toContainEqual({
      channel: `${IPC_EVENT_PREFIX}delta`,
      payload: { seq: 1, removedApps: ['x'] },
    });
  });
});
