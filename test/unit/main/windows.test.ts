// Window and session hardening, and the prompt window's manners.
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../electron/main/csp';
import { preventable } from './fake-electron';
import { decision, fakeCore } from './fake-core';
import { settle, startShell } from './start';

describe('main window', () => {
  it('is sandboxed, isolated, without Node, and loads our page from our scheme', async () => {
    const { mainWindow } = await startShell();
    expect(mainWindow.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: '/app/out/preload/index.cjs',
    });
    expect(mainWindow.loadedUrl).toBe('portcullis://app/index.html');
  });

  it('denies navigation and new windows', async () => {
    const { mainWindow } = await startShell();
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const e = preventable();
      mainWindow.webContents.emit(event, e, 'https://example.com/');
      expect(e.prevented, event).toBe(true);
    }
    expect(mainWindow.webContents.openHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });
});

describe('session', () => {
  it('denies every permission and every remote request, and sets the CSP on every response', async () => {
    const { electron } = await startShell();
    const granted: boolean[] = [];
    electron.session.permission!({}, 'media', (g) => granted.push(g));
    electron.session.permission!({}, 'notifications', (g) => granted.push(g));
    expect(granted).toEqual([false, false]);
    expect(electron.session.permissionCheck!()).toBe(false);

    const cancelled = (url: string) => {
      let result: boolean | undefined;
      electron.session.beforeRequest!({ url }, ({ cancel }) => (result = cancel));
      return result;
    };
    expect(cancelled('https://example.com/x.js')).toBe(true);
    expect(cancelled('http://127.0.0.1:8080/')).toBe(true);
    expect(cancelled('file:///etc/passwd')).toBe(true);
    expect(cancelled('portcullis://app/index.html')).toBe(false);

    let headers: Record<string, string[] | string> = {};
    electron.session.headers!(
      { url: 'portcullis://app/index.html', responseHeaders: { 'content-security-policy': ['default-src *'] } },
      (r) => (headers = r.responseHeaders),
    );
    expect(headers).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|unsafe-inline|unsafe-eval/);
  });
});

describe('prompt window', () => {
  it('does not open by itself when a decision arrives: the notification announces it', async () => {
    const core = fakeCore();
    const { electron } = await startShell({ core });
    core.delta({ decisions: [decision('d1', 'a')] });
    await settle();
    expect(electron.windows).toHaveLength(1);
  });

  it('opens on the display under the mouse pointer, inside its work area, with focus when asked', async () => {
    const core = fakeCore();
    const { electron, shell } = await startShell({ core });
    // A second monitor to the left of the primary one, taskbar at its bottom.
    electron.state.cursorWorkArea = { x: -1280, y: 0, width: 1280, height: 984 };
    core.delta({ decisions: [decision('d1', 'a')] });
    shell.trayActions.openDecision('d1');
    await settle();
    const prompt = electron.windows[1]!;
    expect(prompt.loadedUrl).toBe('portcullis://app/prompt.html');
    expect(prompt.bounds).toEqual({ x: -1280 + 420, y: 232, width: 440, height: 520 });
    expect(prompt.focused).toBe(true);
    prompt.userClose();
    electron.state.cursorWorkArea = { x: 0, y: 0, width: 1920, height: 1040 };
    shell.trayActions.openDecision('d1');
    await settle();
    expect(prompt.bounds).toEqual({ x: 740, y: 260, width: 440, height: 520 });
  });

  it('hides when no decision is left', async () => {
    const core = fakeCore();
    const { electron, shell } = await startShell({ core });
    core.delta({ decisions: [decision('d1', 'a')] });
    shell.trayActions.openDecision('d1');
    await settle();
    const prompt = electron.windows[1]!;
    expect(prompt.visible).toBe(true);
    core.delta({ closedDecisions: ['d1'] });
    expect(prompt.visible).toBe(false);
  });
});

describe('notification window', () => {
  const request = (decisionId: string) => ({ decisionId, appKey: 'k', title: 'tool.exe was blocked', body: 'b' });

  it('appears without focus in the corner of the display under the pointer, never as a Windows toast', async () => {
    const core = fakeCore();
    const { electron } = await startShell({ core });
    electron.state.cursorWorkArea = { x: 1920, y: 0, width: 2560, height: 1400 };
    core.delta({ decisions: [decision('d7', 'tool')] });
    core.notify(request('d7'));
    await settle();
    const notice = electron.windows[1]!;
    expect(notice.loadedUrl).toBe('portcullis://app/notification.html');
    expect(notice.options).toMatchObject({ focusable: false, skipTaskbar: true, alwaysOnTop: true, frame: false });
    expect(notice.calls).toEqual(['showInactive']);
    expect(notice.focused).toBe(false);
    expect(notice.bounds).toEqual({ x: 1920 + 2560 - 360 - 12, y: 1400 - 260 - 12, width: 360, height: 260 });
    expect(notice.webContents.sent).toContainEqual({
      channel: 'portcullis:evt:notify',
      payload: { decisionId: 'd7', title: 'tool.exe was blocked', body: 'b' },
    });
  });

  it('stays quiet while Windows says the user is busy (full screen, presentation); the decision waits', async () => {
    const core = fakeCore();
    const { electron } = await startShell({ core });
    electron.state.userBusy = true;
    core.delta({ decisions: [decision('d7', 'tool')] });
    core.notify(request('d7'));
    await settle();
    expect(electron.windows).toHaveLength(1);
    expect(electron.trays[0]!.tooltip).toContain('1 decision waiting');
  });

  it('leaves once its decisions are decided, and "More…" opens the inbox with that decision', async () => {
    const core = fakeCore();
    const { electron } = await startShell({ core });
    core.delta({ decisions: [decision('d7', 'tool'), decision('d8', 'other')] });
    core.notify(request('d7'));
    await settle();
    const notice = electron.windows[1]!;
    await electron.invoke(
      'portcullis:cmd:inbox.open',
      { decisionId: 'd7' },
      { contents: notice.webContents, url: 'portcullis://app/notification.html' },
    );
    await settle();
    expect(notice.visible).toBe(false);
    const prompt = electron.windows[2]!;
    expect(prompt.focused).toBe(true);
    expect(prompt.webContents.sent.at(-1)).toEqual({
      channel: 'portcullis:evt:openDecision',
      payload: { decisionId: 'd7' },
    });
    core.notify(request('d8'));
    await settle();
    expect(notice.visible).toBe(true);
    core.delta({ closedDecisions: ['d8'] });
    expect(notice.visible).toBe(false);
  });
});
