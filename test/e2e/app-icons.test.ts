// A blocked app's row shows the executable's icon main gives (apps.icon), asked once for the app however many rows
// and views show it; a path main has no icon for keeps the app's initial.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRow, attempt, openMainPage, startDesktop, until, type Desktop } from './support/desktop';

// Blocked by the simulated baseline's "Block Tool (outbound)" and "Block netprobe (outbound)" rules.
const TOOL = 'C:\\Apps\\tool.exe';
const NETPROBE = 'C:\\Users\\alex\\AppData\\Local\\Temp\\netprobe.exe';
// A 1x1 PNG.
const ICON =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

let desktop: Desktop;
let page: Page;
const asked: string[] = [];

beforeAll(async () => {
  desktop = await startDesktop(
    {},
    { icon: (path) => (asked.push(path), path.toLowerCase() === TOOL.toLowerCase() ? ICON : null) },
  );
  page = await openMainPage(desktop);
}, 60_000);

afterAll(async () => {
  await desktop?.close();
});

const nameOf = (path: string) =>
  until(
    () => desktop.core.snapshot().apps.find((a) => a.identity.path?.toLowerCase() === path.toLowerCase()),
    path,
  ).then((app) => app.identity.displayName);

describe('app icons', () => {
  it("shows the executable's icon in its row, asked of main once", async () => {
    desktop.sim.connect(attempt(TOOL));
    desktop.sim.connect(attempt(NETPROBE));
    const toolName = await nameOf(TOOL);
    const tool = appRow(page, toolName);
    await tool.locator('img.app-icon').waitFor({ timeout: 5_000 });
    expect(await tool.locator('img.app-icon').getAttribute('src')).toBe(ICON);
    // No icon from main: the initial stays.
    const netprobe = appRow(page, await nameOf(NETPROBE));
    await until(() => asked.some((p) => p.toLowerCase() === NETPROBE.toLowerCase()), 'the ask for netprobe');
    await expect.poll(() => netprobe.locator('.app-icon--placeholder').textContent()).toBe('N');
    expect(await netprobe.locator('img').count()).toBe(0);
    // More attempts move the rows and open the detail panel's icon: nothing is asked again.
    for (let i = 0; i < 5; i++) desktop.sim.connect(attempt(i % 2 ? TOOL : NETPROBE));
    await tool.getByRole('button', { name: toolName, exact: true }).click();
    const panel = page.getByRole('complementary', { name: `Details for ${toolName}` });
    await panel.locator('img.app-icon').waitFor({ timeout: 5_000 });
    expect(asked.map((p) => p.toLowerCase()).sort()).toEqual([TOOL, NETPROBE].map((p) => p.toLowerCase()).sort());
  });
});
