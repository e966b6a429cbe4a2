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
  it('appears without taking focus when a decision arrives, always on top, one window for all', async () => {
    const core = fakeCore();
    const { electron } = await startShell({ core });
    core.delta({ decisions: [decision('d1', 'a')] });
    await settle();
    core.delta({ decisions: [decision('d2', 'b')] });
    await settle();
    expect(electron.windows).toHaveLength(2);
    const prompt = electron.windows[1]!;
    expect(prompt.loadedUrl).toBe('portcullis://app/prompt.html');
    expect(prompt.alwaysOnTop).toBe(true);
    expect(prompt.calls).toEqual(['showInactive']);
    expect(prompt.focused).toBe(false);
  });

  it('appears on the display under the mouse pointer, inside its work area, also when it comes back', async () => {
    const core = fakeCore();
    const { electron } = await startShell({ core });
    // A second monitor to the left of the primary one, taskbar at its bottom.
    electron.state.cursorWorkArea = { x: -1280, y: 0, width: 1280, height: 984 };
    core.delta({ decisions: [decision('d1', 'a')] });
    await settle();
    const prompt = electron.windows[1]!;
    expect(prompt.bounds).toEqual({ x: -1280 + 420, y: 232, width: 440, height: 520 });
    prompt.userClose();
    electron.state.cursorWorkArea = { x: 0, y: 0, width: 1920, height: 1040 };
    core.delta({ decisions: [decision('d2', 'b')] });
    await settle();
    expect(prompt.bounds).toEqual({ x: 740, y: 260, width: 440, height: 520 });
  });

  it('hides when no decision is left, and closing it does not bring it back for the same decisions', async () => {
    const core = fakeCore();
    const { electron } = await startShell({ core });
    core.delta({ decisions: [decision('d1', 'a')] });
    await settle();
    const prompt = electron.windows[1]!;
    expect(prompt.userClose()).toBe(false);
    expect(prompt.visible).toBe(false);
    core.delta({ decisions: [decision('d1', 'a')] });
    await settle();
    expect(prompt.visible).toBe(false);
    core.delta({ decisions: [decision('d3', 'c')] });
    await settle();
    expect(prompt.visible).toBe(true);
    core.delta({ closedDecisions: ['d1', 'd3'] });
    expect(prompt.visible).toBe(false);
  });

  it('a notification click opens that decision with focus', async () => {
    const core = fakeCore();
    const { electron } = await startShell({ core });
    core.notify({ decisionId: 'd7', appKey: 'k', title: 'tool.exe was blocked', body: 'It tried 203.0.113.5:443' });
    expect(electron.notifications).toHaveLength(1);
    expect(electron.notifications[0]).toMatchObject({
      title: 'tool.exe was blocked',
      body: 'It tried 203.0.113.5:443',
    });
    electron.notifications[0]!.click();
    await settle();
    const prompt = electron.windows[1]!;
    expect(prompt.focused).toBe(true);
    expect(prompt.webContents.sent.at(-1)).toEqual({
      channel: 'portcullis:evt:openDecision',
      payload: { decisionId: 'd7' },
    });
  });
});
