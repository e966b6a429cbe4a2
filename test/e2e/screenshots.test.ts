// A screenshot of every view and of the prompt, in light and dark, from a core that has seen realistic traffic:
// apps blocked by Windows Defender Firewall and by Portcullis, rules, proposals from Learning, pending decisions.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultsDir } from './harness/index';
import { attempt, goToView, startDesktop, until, type Desktop } from './support/desktop';

const SCHEMES = ['light', 'dark'] as const;
const VIEWS = [
  { id: 'blocked', link: 'Blocked', heading: 'Blocked apps' },
  { id: 'decisions', link: 'Decisions', heading: 'Decisions' },
  { id: 'rules', link: 'Rules', heading: 'Rules' },
  { id: 'activity', link: 'Activity', heading: 'Activity' },
  { id: 'learning', link: 'Learning', heading: 'Learning' },
  { id: 'settings', link: 'Settings', heading: 'Settings' },
] as const;

const LEARNED = [
  ['C:\\Program Files\\Mozilla Firefox\\firefox.exe', '93.184.216.34', 443],
  ['C:\\Users\\ana\\AppData\\Local\\Discord\\app-1.0.9\\Discord.exe', '162.159.135.232', 443],
  ['C:\\Program Files (x86)\\Steam\\steam.exe', '23.62.19.12', 27015],
] as const;
const BLOCKED = [
  ['C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', '142.250.74.110', 443, 40],
  ['C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe', '13.107.42.12', 443, 12],
  ['C:\\ProgramData\\Vendor\\Updater\\update.exe', '203.0.113.80', 80, 5],
  ['C:\\Windows\\System32\\svchost.exe', '20.190.160.1', 443, 9],
  ['C:\\Tools\\unknown-tool.exe', '198.51.100.66', 6667, 3],
] as const;

let desktop: Desktop;
let page: Page;

async function shot(p: Page, name: string): Promise<string> {
  const path = join(resultsDir, `${name}.png`);
  await p.screenshot({ path });
  return path;
}

beforeAll(async () => {
  desktop = await startDesktop();
  const { core, sim } = desktop;
  await core.handlers['mode.set']({ mode: 'learning' });
  for (const [path, address, port] of LEARNED) sim.connectRepeat(attempt(path, address, port), 4);
  await until(() => core.snapshot().candidates.length >= LEARNED.length, 'learning candidates');
  await core.handlers['mode.set']({ mode: 'enforce' });
  for (const [path, address, port, count] of BLOCKED) sim.connectRepeat(attempt(path, address, port), count);
  await until(() => core.snapshot().decisions.length >= 3, 'pending decisions');
  const oneDrive = await until(
    () => core.snapshot().apps.find((a) => a.identity.path?.toLowerCase().endsWith('onedrive.exe')),
    'OneDrive in the app index',
  );
  await core.handlers['apps.decide']({ appKeys: [oneDrive.identity.key], decision: 'allow' });
  const updater = core.snapshot().apps.find((a) => a.identity.path?.toLowerCase().endsWith('update.exe'));
  if (updater) await core.handlers['apps.decide']({ appKeys: [updater.identity.key], decision: 'block' });
  page = await desktop.harness.open('index.html');
  await page.getByRole('heading', { level: 1, name: 'Blocked apps' }).waitFor();
}, 60_000);

afterAll(async () => {
  await desktop?.close();
});

describe('screenshots', () => {
  it.each(SCHEMES)('of every view in %s', async (scheme) => {
    await page.emulateMedia({ colorScheme: scheme });
    for (const view of VIEWS) {
      await goToView(page, view.link, view.heading);
      await page.waitForTimeout(200);
      const file = await shot(page, `view-${view.id}-${scheme}`);
      expect(statSync(file).size).toBeGreaterThan(10_000);
      if (view.id === 'settings') {
        await page.getByRole('heading', { level: 2, name: 'Log and data' }).scrollIntoViewIfNeeded();
        await shot(page, `view-settings-lower-${scheme}`);
      }
      if (view.id === 'rules') {
        await page.getByRole('button', { name: /^Edit rule for OneDrive/ }).click();
        await page.getByRole('dialog', { name: /Edit rule for OneDrive/ }).waitFor();
        await shot(page, `view-rules-edit-${scheme}`);
        await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
      }
    }
    await goToView(page, 'Blocked', 'Blocked apps');
    const chrome = page.getByRole('table', { name: 'Blocked apps' }).getByRole('row', { name: 'Google Chrome' });
    await chrome.getByRole('button', { name: 'Google Chrome', exact: true }).click();
    await page.getByRole('complementary', { name: 'Details for Google Chrome' }).waitFor();
    await page.getByRole('img', { name: /Attempts by Google Chrome per minute/ }).waitFor();
    await shot(page, `view-blocked-detail-${scheme}`);
    await page.getByRole('button', { name: 'Close details' }).click();
  });

  it.each(SCHEMES)('of the prompt in %s', async (scheme) => {
    const prompt = await desktop.harness.open('prompt.html', { colorScheme: scheme });
    await prompt.getByRole('heading', { level: 1, name: /blocked connections? needs? a decision/ }).waitFor();
    await prompt.getByRole('navigation', { name: 'Pending decisions' }).waitFor();
    const file = await shot(prompt, `prompt-${scheme}`);
    expect(existsSync(file)).toBe(true);
    await prompt.close();
  });

  it('ran without page errors', () => {
    expect(desktop.harness.pageErrors).toEqual([]);
  });
});
