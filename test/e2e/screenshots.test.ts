// A screenshot of every view and of the prompt, in light and dark, from a core that has seen realistic traffic:
// apps blocked by Windows Defender Firewall and by Portcullis, rules, proposals from Learning, pending decisions.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultsDir } from './harness/index';
import { goToView, startDesktop, type Desktop } from './support/desktop';
import { playScene } from './support/scene';

const SCHEMES = ['light', 'dark'] as const;
const VIEWS = [
  { id: 'blocked', link: 'Blocked', heading: 'Blocked apps' },
  { id: 'decisions', link: 'Decisions', heading: 'Decisions' },
  { id: 'rules', link: 'Rules', heading: 'Rules' },
  { id: 'activity', link: 'Activity', heading: 'Activity' },
  { id: 'learning', link: 'Learning', heading: 'Learning' },
  { id: 'settings', link: 'Settings', heading: 'Settings' },
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
  await playScene(desktop);
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
    const chrome = page.getByRole('grid', { name: 'Blocked apps' }).getByRole('row', { name: 'Google Chrome' });
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
