// The elevated app never shows a Windows toast through Electron. Electron's toast presenter, created on the first
// Notification (or Notification.isSupported(), or a page's web notification), runs RegisterActivator
// (shell/browser/notifications/win/windows_toast_activator.cc): it reads the toast activator CLSID back from
// <app name>.lnk in the user's own Start menu, a file any program of the user can replace, then writes that CLSID's
// HKCU\Software\Classes\CLSID key and registers a COM class object for it in the elevated process. Blocks are
// announced in a window of our own instead (notification-window.ts), and pages may not ask for notifications.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeElectron } from './fake-electron';
import { startShell } from './start';

const mainDir = join(import.meta.dirname, '..', '..', '..', 'electron', 'main');

function sources(dir: string): { file: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => {
      const file = join(e.parentPath, e.name);
      return { file, text: readFileSync(file, 'utf8') };
    });
}

describe('no Electron toasts in the elevated app', () => {
  it("main never imports Electron's Notification, so its presenter never reads the per-user shortcut", () => {
    const all = sources(mainDir);
    expect(all.length).toBeGreaterThan(10);
    const electronImports = all.flatMap(({ file, text }) =>
      [...text.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'electron'/g)].map((m) => ({ file, names: m[1]! })),
    );
    expect(electronImports.length).toBeGreaterThan(0);
    for (const { file, names } of electronImports) {
      expect(
        names.split(',').map((n) => n.trim()),
        file,
      ).not.toContain('Notification');
    }
    expect(
      all.filter(({ text }) => /\bnew Notification\(|Notification\.isSupported/.test(text)).map((s) => s.file),
    ).toEqual([]);
  });

  it('refuses every page permission, web notifications included', async () => {
    const { electron } = await startShell({ electron: fakeElectron({ platform: 'win32' }) });
    const granted: boolean[] = [];
    electron.session.permission!({}, 'notifications', (g) => granted.push(g));
    expect(granted).toEqual([false]);
    expect(electron.session.permissionCheck!()).toBe(false);
  });
});
