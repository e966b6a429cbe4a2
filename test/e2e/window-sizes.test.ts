// Every view at the sizes its window really has (read from electron/main), light and dark: nothing sticks out
// sideways, the actions of the item in front are on screen without scrolling, text is readable, and axe-core finds
// no violation. A screenshot of each joins the e2e results (test-results/size-*.png).
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultsDir } from './harness/index';
import { attempt, goToView, startDesktop, until, type Desktop } from './support/desktop';
import { axeViolations, clippedText, layoutProblems, notInView } from './support/layout-checks';
import { playScene } from './support/scene';
import { MAIN_SIZES, PROMPT_SIZE, type WindowSize } from './support/window-sizes';

const SCHEMES = ['light', 'dark'] as const;

interface ViewCase {
  readonly id: string;
  readonly link: string;
  readonly heading: string;
  /** The actions that must be on screen without scrolling. */
  readonly primary: (page: Page) => Locator[];
  readonly prepare?: (page: Page) => Promise<void>;
  /** Cells whose whole text must show at every size (a time cut to "12:58:38…" no longer says AM or PM). */
  readonly mustFit?: string;
}

const VIEWS: readonly ViewCase[] = [
  {
    id: 'blocked',
    link: 'Blocked',
    heading: 'Blocked apps',
    mustFit: '.apps-grid .cell--head, .apps-grid .cell--num, .apps-grid .cell--time, .apps-grid .pill',
    // The first row: what the window shows first must be decidable there.
    primary: (p) => {
      const row = p.getByRole('grid', { name: 'Blocked apps' }).locator('[aria-rowindex="2"]');
      return [row.getByRole('button', { name: /^Allow / }), row.getByRole('button', { name: /^Block / })];
    },
  },
  {
    id: 'blocked-detail',
    link: 'Blocked',
    heading: 'Blocked apps',
    prepare: async (p) => {
      await p
        .getByRole('grid', { name: 'Blocked apps' })
        .getByRole('button', { name: 'Google Chrome', exact: true })
        .click();
      await p.getByRole('complementary', { name: 'Details for Google Chrome' }).waitFor();
    },
    primary: (p) => {
      const panel = p.getByRole('complementary', { name: 'Details for Google Chrome' });
      return [
        panel.getByRole('button', { name: /^Allow/ }).first(),
        panel.getByRole('button', { name: /^Block/ }).first(),
      ];
    },
  },
  {
    id: 'decisions',
    link: 'Decisions',
    heading: 'Decisions',
    primary: (p) => [
      p.getByRole('button', { name: /^Allow / }).first(),
      p.getByRole('button', { name: /^Deny / }).first(),
    ],
  },
  {
    id: 'rules',
    link: 'Rules',
    heading: 'Rules',
    mustFit: '.rules-grid .cell--head, .rules-grid .cell--time, .rules-grid .pill',
    primary: (p) => [
      p.getByRole('button', { name: /^Edit rule for OneDrive/ }),
      p.getByRole('button', { name: /^Remove rule for OneDrive/ }),
    ],
  },
  {
    id: 'activity',
    link: 'Activity',
    heading: 'Activity',
    primary: (p) => [p.getByRole('grid', { name: 'Activity log' })],
    mustFit: '.activity-grid .cell--head, .activity-grid .cell--time',
  },
  {
    id: 'learning',
    link: 'Learning',
    heading: 'Learning',
    primary: (p) => [p.getByRole('button', { name: /^Commit / }).first()],
  },
  {
    id: 'settings',
    link: 'Settings',
    heading: 'Settings',
    primary: (p) => [p.getByRole('radio', { name: /^Enforce/ })],
  },
];

let desktop: Desktop;

beforeAll(async () => {
  desktop = await startDesktop();
  await playScene(desktop);
}, 60_000);

afterAll(async () => {
  await desktop?.close();
});

async function checkView(page: Page, size: WindowSize, scheme: string, view: ViewCase): Promise<string[]> {
  const problems: string[] = [];
  const layout = await layoutProblems(page);
  for (const o of layout.overflow) problems.push(`overflow: ${o}`);
  for (const t of layout.smallText) problems.push(`small text: ${t}`);
  for (const r of layout.hiddenRows) problems.push(`hidden row: ${r}`);
  for (const c of layout.cutUntitled) problems.push(`cut text without a tooltip: ${c}`);
  if (view.mustFit) for (const c of await clippedText(page, view.mustFit)) problems.push(`cut text: ${c}`);
  for (const missing of await notInView(page, view.primary(page))) problems.push(`not in view: ${missing}`);
  for (const v of await axeViolations(page))
    problems.push(`axe ${v.id} (${v.impact}): ${v.help} at ${v.targets.join(', ')}`);
  await page.screenshot({ path: join(resultsDir, `size-${slug(size)}-${view.id}-${scheme}.png`) });
  return problems.map((p) => `${size.name} ${scheme} ${view.id}: ${p}`);
}

const slug = (size: WindowSize) => size.name.split(' ')[0];

describe('the main window at its real sizes', () => {
  for (const size of MAIN_SIZES) {
    it(`works at ${size.name} (content ${size.width}x${size.height}), light and dark`, async () => {
      const problems: string[] = [];
      for (const scheme of SCHEMES) {
        const page = await desktop.harness.open('index.html', { colorScheme: scheme });
        await page.setViewportSize({ width: size.width, height: size.height });
        await page.getByRole('heading', { level: 1, name: 'Blocked apps' }).waitFor();
        for (const view of VIEWS) {
          await goToView(page, view.link, view.heading);
          if (view.prepare) await view.prepare(page);
          await page.waitForTimeout(100);
          problems.push(...(await checkView(page, size, scheme, view)));
          if (view.id === 'blocked-detail') await page.getByRole('button', { name: 'Close details' }).click();
        }
        await page.close();
      }
      expect(problems, problems.join('\n')).toEqual([]);
    }, 120_000);
  }
});

describe('the prompt at its real size', () => {
  /** The prompt at its content size, light and dark, once `ready` says what it shows: what checkView finds wrong. */
  async function promptAtItsSize(
    id: string,
    ready: (page: Page) => Promise<void>,
    primary: (page: Page) => Locator[],
  ): Promise<string[]> {
    const problems: string[] = [];
    for (const scheme of SCHEMES) {
      const page = await desktop.harness.open('prompt.html', { colorScheme: scheme });
      await page.setViewportSize({ width: PROMPT_SIZE.width, height: PROMPT_SIZE.height });
      await ready(page);
      await page.waitForTimeout(100);
      problems.push(...(await checkView(page, PROMPT_SIZE, scheme, { id, link: '', heading: '', primary })));
      await page.close();
    }
    return problems;
  }
  const allowAndDeny = (p: Page) => [
    p.getByRole('button', { name: /^Allow / }).first(),
    p.getByRole('button', { name: /^Deny / }).first(),
  ];

  it(`works at ${PROMPT_SIZE.name} (content ${PROMPT_SIZE.width}x${PROMPT_SIZE.height}), light and dark`, async () => {
    const problems = await promptAtItsSize(
      'prompt',
      (page) => page.getByRole('heading', { level: 1, name: /need a decision|needs a decision/ }).waitFor(),
      (p) => [...allowAndDeny(p), p.getByRole('navigation', { name: 'Pending decisions' })],
    );
    expect(problems, problems.join('\n')).toEqual([]);
  }, 60_000);

  it('works at its size on a decision a Windows Firewall rule dropped, whose override choice says what it lifts', async () => {
    // The simulator's Windows Firewall blocks C:\Apps\tool.exe ("Block Tool (outbound)"); in Monitor its rule is
    // what drops the attempt (in Enforce ours, in a sublayer evaluated first, does).
    await desktop.core.handlers['mode.set']({ mode: 'monitor' });
    desktop.sim.connectRepeat(attempt('C:\\Apps\\tool.exe', '203.0.113.20', 443), 2);
    const decision = await until(
      () =>
        desktop.core
          .snapshot()
          .decisions.find((d) => d.app.path?.toLowerCase() === 'c:\\apps\\tool.exe' && d.canOverrideWindowsFirewall),
      "tool.exe's decision with the override offered",
    );
    const overrideOf = (p: Page) => p.getByRole('checkbox', { name: /^Allow even where Windows Firewall blocks it/ });
    const problems = await promptAtItsSize(
      'prompt-override',
      async (page) => {
        await page.getByRole('combobox', { name: 'Decision' }).selectOption(decision.id);
        const override = overrideOf(page);
        await override.waitFor();
        expect(await override.locator('xpath=..').innerText()).toMatch(/VPN kill switches/);
        // What the card says Allow does is what it does: without the override, Windows Firewall still blocks it.
        await page.getByText('an allow connects it only with the override below.', { exact: false }).waitFor();
      },
      (p) => [...allowAndDeny(p), overrideOf(p)],
    );
    expect(problems, problems.join('\n')).toEqual([]);
  }, 60_000);

  it('ran without page errors', () => {
    expect(desktop.harness.pageErrors).toEqual([]);
  });
});
