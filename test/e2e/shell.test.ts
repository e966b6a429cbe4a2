// The shell renders from the real core (on the simulator) and every view can be reached by click and by keyboard.
// Headings and controls are found by role and name, so a blank or broken renderer fails here.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../electron/main/csp';
import { startSimulatedCore } from './harness/core';
import { resultsDir, startHarness, type Harness } from './harness/index';

interface ViewCheck {
  readonly id: string;
  readonly link: string;
  readonly heading: string;
  readonly control?: (page: Page) => Locator;
}

const VIEWS: readonly ViewCheck[] = [
  {
    id: 'blocked',
    link: 'Blocked',
    heading: 'Blocked apps',
    control: (p) => p.getByRole('searchbox', { name: 'Search apps' }),
  },
  { id: 'decisions', link: 'Decisions', heading: 'Decisions' },
  { id: 'rules', link: 'Rules', heading: 'Rules', control: (p) => p.getByRole('searchbox', { name: 'Search rules' }) },
  {
    id: 'activity',
    link: 'Activity',
    heading: 'Activity',
    control: (p) => p.getByRole('searchbox', { name: 'Filter activity' }),
  },
  {
    id: 'learning',
    link: 'Learning',
    heading: 'Learning',
    control: (p) => p.getByRole('toolbar', { name: 'Proposed rules' }),
  },
  {
    id: 'settings',
    link: 'Settings',
    heading: 'Settings',
    control: (p) => p.getByRole('radiogroup', { name: 'Mode' }),
  },
];

let harness: Harness;
let page: Page;

const nav = () => page.getByRole('navigation', { name: 'Views' });
const h1 = () => page.getByRole('heading', { level: 1 });

async function expectView(view: ViewCheck): Promise<void> {
  await h1().filter({ hasText: view.heading }).waitFor({ timeout: 5_000 });
  expect(await h1().allTextContents()).toEqual([view.heading]);
  if (view.control) expect(await view.control(page).isVisible()).toBe(true);
  expect(await nav().getByRole('link', { name: view.link, exact: false }).first().getAttribute('aria-current')).toBe(
    'page',
  );
}

/** Tabs through the page (as a keyboard user would) until the view's nav link has focus, then presses Enter. */
async function reachByKeyboard(view: ViewCheck): Promise<number> {
  // Page-side code is given as text: this project is type-checked without the DOM library.
  await page.evaluate('document.activeElement && document.activeElement.blur()');
  const focusedLink = nav().locator(':focus');
  for (let presses = 1; presses <= 40; presses++) {
    await page.keyboard.press('Tab');
    if ((await focusedLink.count()) === 1 && ((await focusedLink.textContent()) ?? '').trim().startsWith(view.link)) {
      await page.keyboard.press('Enter');
      return presses;
    }
  }
  throw new Error(`The ${view.link} link could not be reached with Tab`);
}

beforeAll(async () => {
  mkdirSync(resultsDir, { recursive: true });
  const core = await startSimulatedCore();
  harness = await startHarness({ core });
  page = await harness.open('index.html');
});

afterAll(async () => {
  await harness?.close();
});

describe('the shell', () => {
  it('renders the frame: navigation with every view, the main region and the status bar from core', async () => {
    await expectView(VIEWS[0]!);
    const links = await nav().getByRole('link').allTextContents();
    expect(links.map((l) => l.replace(/\d+$/, '').trim())).toEqual(VIEWS.map((v) => v.link));
    expect(await page.getByRole('main').count()).toBe(1);
    // The status bar keeps what a user needs; the event path's counters are in Settings, Diagnostics.
    const status = page.getByRole('contentinfo', { name: 'Status' });
    await status.getByText('Monitor', { exact: true }).waitFor({ timeout: 5_000 });
    expect(await status.getByText(/Malformed|Lost|Backend|Simulator/).count()).toBe(0);
  });

  it.each(VIEWS)('reaches $link by click', async (view) => {
    await nav().getByRole('link', { name: view.link }).first().click();
    await expectView(view);
    await page.screenshot({ path: join(resultsDir, `shell-${view.id}-light.png`) });
  });

  it.each([...VIEWS].reverse())('reaches $link by keyboard', async (view) => {
    const presses = await reachByKeyboard(view);
    expect(presses).toBeGreaterThan(0);
    await expectView(view);
  });

  it('follows the dark colour scheme of the OS', async () => {
    const background = () => page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await background();
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await background();
    expect(dark).not.toBe(light);
    for (const view of VIEWS) {
      await nav().getByRole('link', { name: view.link }).first().click();
      await expectView(view);
      await page.screenshot({ path: join(resultsDir, `shell-${view.id}-dark.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('offers Start with Windows only where it can work, and says why not here', async () => {
    await nav().getByRole('link', { name: 'Settings' }).first().click();
    const toggle = page.getByRole('checkbox', { name: /Start Portcullis in the notification area/ });
    await expect.poll(() => toggle.isDisabled(), { timeout: 5_000 }).toBe(true);
    expect(await toggle.isChecked()).toBe(false);
    expect(await page.getByText('Starting with Windows is available when Portcullis runs on Windows.').count()).toBe(1);
  });

  it('shows the event counters in Settings, Diagnostics', async () => {
    await nav().getByRole('link', { name: 'Settings' }).first().click();
    const diagnostics = page.getByRole('region', { name: 'Diagnostics' });
    await diagnostics.getByText('Simulator').waitFor({ timeout: 5_000 });
    await diagnostics.getByText('Malformed events skipped').waitFor();
    await diagnostics.getByText('Events lost by Windows').waitFor();
    // The simulator's install has the event ring: events come batched (the per-event path would say why).
    await diagnostics.getByText('Event delivery').waitFor();
    await diagnostics.getByText('Batched (event ring)').waitFor();
  });

  it('ships every page with the policy main serves, as a <meta> too', () => {
    for (const page of ['index', 'prompt', 'notification']) {
      const html = readFileSync(join(import.meta.dirname, '..', '..', 'out', 'renderer', `${page}.html`), 'utf8');
      const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/
        .exec(html)?.[1]
        ?.replaceAll('&#39;', "'");
      expect(meta, page).toBe(CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", ''));
      expect(html.match(/Content-Security-Policy/g), page).toHaveLength(1);
    }
  });

  it('ran without page errors or CSP violations', () => {
    expect(harness.pageErrors).toEqual([]);
  });
});
