// The tray: what it shows follows core's state, and its menu reaches core.
import { describe, expect, it } from 'vitest';
import type { MenuItemSpec } from '../../../electron/main/deps';
import { IPC_EVENT_PREFIX } from '../../../electron/ipc/contract';
import { trayIconBitmap } from '../../../electron/main/tray-icon';
import { decision, fakeCore, status } from './fake-core';
import { fakeElectron } from './fake-electron';
import { settle, startShell } from './start';

function item(menu: readonly MenuItemSpec[], ...path: (string | RegExp)[]): MenuItemSpec {
  let items = menu;
  let found: MenuItemSpec | undefined;
  for (const label of path) {
    found = items.find((i) => (typeof label === 'string' ? i.label === label : label.test(i.label ?? '')));
    if (!found) throw new Error(`no menu item ${String(label)} in ${items.map((i) => i.label).join(', ')}`);
    items = found.submenu ?? [];
  }
  return found!;
}

describe('tray', () => {
  it('switching to Monitor or Learning in the menu reaches core at once', async () => {
    const { electron, core } = await startShell();
    const tray = electron.trays[0]!;
    item(tray.menu, 'Mode', /^Learning/).click!();
    expect(core.spies['mode.set']).toHaveBeenCalledWith({ mode: 'learning' });
  });

  it('Enforce from the menu opens the main window on its preview and switches nothing by itself', async () => {
    const { electron, core } = await startShell({ args: ['--hidden'] });
    const tray = electron.trays[0]!;
    item(tray.menu, 'Mode', /^Enforce/).click!();
    await settle();
    expect(core.spies['mode.set']).not.toHaveBeenCalled();
    const main = electron.windows[0]!;
    expect(main.visible).toBe(true);
    expect(main.webContents.sent).toContainEqual({
      channel: `${IPC_EVENT_PREFIX}previewMode`,
      payload: { mode: 'enforce' },
    });
  });

  it('shows the current mode as the checked radio item', async () => {
    const core = fakeCore();
    const { electron } = await startShell({ core });
    core.delta({ status: { ...status, mode: 'learning' } });
    const modes = item(electron.trays[0]!.menu, 'Mode').submenu!;
    expect(modes.filter((m) => m.checked).map((m) => m.label)).toEqual([expect.stringMatching(/^Learning/)]);
  });

  it('pausing notifications for an hour reaches core', async () => {
    const { electron, core } = await startShell();
    item(electron.trays[0]!.menu, 'Pause notifications for 1 hour').click!();
    expect(core.spies['notifications.pause']).toHaveBeenCalledWith({ minutes: 60 });
  });

  it('lists pending decisions and opens the chosen one in the prompt window', async () => {
    const core = fakeCore();
    const { electron } = await startShell({ core });
    // A program in Downloads named msmpeng.exe: the friendly-name table would call it Microsoft Defender Antivirus.
    const lookalike = decision('d3', 'msmpeng', 3);
    const impostor = {
      ...lookalike,
      app: {
        ...lookalike.app,
        displayName: 'Microsoft Defender Antivirus',
        path: 'C:\\Users\\ann\\Downloads\\MsMpEng.exe',
      },
    };
    // A service keeps its name from the service list: every service's path is svchost.exe.
    const service = {
      ...decision('d4', 'wuauserv', 4),
      app: {
        key: 'service:wuauserv',
        kind: 'service' as const,
        displayName: 'Windows Update',
        serviceName: 'wuauserv',
        path: 'C:\\Windows\\System32\\svchost.exe',
      },
    };
    core.delta({ decisions: [decision('d1', 'updater', 1), decision('d2', 'game', 2), impostor, service] });
    const tray = electron.trays[0]!;
    const pending = item(tray.menu, /^Pending decisions \(4\)$/).submenu!;
    expect(pending.map((p) => p.label)).toEqual([
      'updater.exe (3 attempts)',
      'game.exe (3 attempts)',
      'MsMpEng.exe (3 attempts)',
      'Windows Update (3 attempts)',
    ]);
    item(tray.menu, /^Pending decisions/, /^game/).click!();
    await settle();
    const prompt = electron.windows[1]!;
    expect(prompt.focused).toBe(true);
    expect(prompt.webContents.sent).toContainEqual({
      channel: `${IPC_EVENT_PREFIX}openDecision`,
      payload: { decisionId: 'd2' },
    });
  });

  it('tooltip counts decisions, blocked apps and rules; the icon changes when decisions wait', async () => {
    const core = fakeCore();
    const { electron } = await startShell({ core });
    const tray = electron.trays[0]!;
    const quietIcon = tray.image?.key;
    core.delta({ status: { ...status, blockedApps: 12, rules: 1 }, decisions: [decision('d1', 'tool')] });
    expect(tray.tooltip).toBe('Portcullis: Monitor\n1 decision waiting\n12 blocked apps\n1 rule');
    expect(tray.image?.key).not.toBe(quietIcon);
    core.delta({ closedDecisions: ['d1'] });
    expect(tray.tooltip).toContain('0 decisions waiting');
    expect(tray.image?.key).toBe(quietIcon);
  });

  it('under a flood of batches sets the tooltip and menu again only when what they show changed', async () => {
    const core = fakeCore();
    const { electron } = await startShell({ core });
    const tray = electron.trays[0]!;
    core.delta({ status: { ...status, blockedApps: 1 }, decisions: [decision('d1', 'tool')] });
    const [tooltips, menus] = [tray.tooltipSets, tray.menuSets];
    // Ten batches a second for ten seconds, each with new counters the tray does not show.
    for (let i = 0; i < 100; i++) {
      core.delta({ status: { ...status, blockedApps: 1, counters: { ...status.counters, eventsIn: i * 1_000 } } });
    }
    expect(tray.tooltipSets).toBe(tooltips);
    expect(tray.menuSets).toBe(menus);
    // What it shows still follows: a new blocked app (tooltip only), a decision's attempts (the menu).
    core.delta({ status: { ...status, blockedApps: 2 } });
    expect(tray.tooltip).toContain('2 blocked apps');
    expect(tray.menuSets).toBe(menus);
    core.delta({ decisions: [{ ...decision('d1', 'tool'), attempts: 9 }] });
    expect(item(tray.menu, /^Pending decisions/, /^tool/).label).toBe('tool.exe (9 attempts)');
    expect(tray.menuSets).toBe(menus + 1);
  });

  it('Quit in the menu quits only after core has stopped', async () => {
    const core = fakeCore();
    const { electron } = await startShell({ core });
    item(electron.trays[0]!.menu, 'Quit Portcullis').click!();
    expect(core.stop).toHaveBeenCalledTimes(1);
    expect(electron.quit).toHaveBeenCalledTimes(1);
    core.finishStop();
    await settle();
    expect(electron.quit).toHaveBeenCalledTimes(2);
  });
});

describe('tray icon on Windows', () => {
  it.each([16, 20, 24, 32])('is drawn at the small-icon size Windows uses (%i px), never resampled', async (size) => {
    const electron = fakeElectron();
    electron.state.smallIconSize = size;
    const core = fakeCore();
    const { electron: e } = await startShell({ electron, core });
    const tray = e.trays[0]!;
    expect(tray.image?.size).toBe(size);
    core.delta({ decisions: [decision('d1', 'tool')] });
    expect(tray.image?.size).toBe(size);
  });

  it('draws every pixel fully opaque in one of its colours at each size (no blurred edges)', () => {
    for (const size of [16, 20, 24, 32]) {
      const bitmap = trayIconBitmap('enforce', true, size);
      expect(bitmap.length).toBe(size * size * 4);
      for (let i = 3; i < bitmap.length; i += 4) expect([0, 0xff]).toContain(bitmap[i]);
    }
  });

  it('is removed from the notification area when the app quits', async () => {
    const core = fakeCore();
    const { electron } = await startShell({ core });
    item(electron.trays[0]!.menu, 'Quit Portcullis').click!();
    expect(electron.trays[0]!.destroyed).toBe(true);
  });
});
