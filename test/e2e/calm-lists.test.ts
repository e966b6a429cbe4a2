// Lists that hold still: rows keep their place under the pointer and the keyboard and move when the user looks
// away; Rules and Activity sort by column; counts read "1 rule", and a timed rule's duration fits its cell.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { resultsDir } from './harness/index';
import { attempt, goToView, openMainPage, startDesktop, until, type Desktop } from './support/desktop';
import { layoutProblems } from './support/layout-checks';
import { MAIN_SIZES } from './support/window-sizes';

const APPS = ['C:\\Apps\\alpha.exe', 'C:\\Apps\\bravo.exe', 'C:\\Apps\\charlie.exe'];

let desktop: Desktop;
let page: Page;

beforeAll(async () => {
  desktop = await startDesktop();
  await desktop.core.handlers['mode.set']({ mode: 'enforce' });
  for (const path of APPS) {
    desktop.sim.connect(attempt(path, '203.0.113.5', 443));
    await new Promise((r) => setTimeout(r, 30));
  }
  page = await openMainPage(desktop);
  await page.setViewportSize({ width: MAIN_SIZES[0]!.width, height: MAIN_SIZES[0]!.height });
});

afterAll(async () => {
  await desktop?.close();
});

const rowNames = (grid: string) =>
  page
    .getByRole('grid', { name: grid })
    .locator('[role="rowgroup"]')
    .nth(1)
    .getByRole('row')
    .evaluateAll((rows) =>
      rows
        .map((r) => ({ i: Number(r.getAttribute('aria-rowindex')), name: r.getAttribute('aria-label') ?? '' }))
        .sort((a, b) => a.i - b.i)
        .map((r) => r.name),
    );

describe('calm lists', () => {
  it('rows stay in place under the pointer and reorder when it leaves', async () => {
    const grid = page.getByRole('grid', { name: 'Blocked apps' });
    await until(async () => (await rowNames('Blocked apps')).length === 3 || undefined, 'three rows');
    const before = await rowNames('Blocked apps');
    expect(before[0]).toBe('Charlie'); // Last seen, newest first
    const box = (await grid.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    desktop.sim.connect(attempt(APPS[0]!, '203.0.113.5', 443));
    await page.getByRole('button', { name: /rows? updated: show in order/ }).waitFor({ timeout: 3_000 });
    expect(await rowNames('Blocked apps')).toEqual(before);
    // The offer takes no line of its own: the table stays where the pointer found it, as it comes and as it goes.
    expect((await grid.boundingBox())!.y).toBe(box.y);
    await page.mouse.move(box.x + box.width / 2, 2);
    await until(async () => (await rowNames('Blocked apps'))[0] === 'Alpha' || undefined, 'Alpha on top');
    expect((await grid.boundingBox())!.y).toBe(box.y);
    // A sort the user asks for while on the table shows at once.
    await page.getByRole('columnheader', { name: 'State', exact: true }).getByRole('button').click();
    await page.getByRole('columnheader', { name: 'App', exact: true }).getByRole('button').click();
    expect(await page.getByRole('columnheader', { name: 'App', exact: true }).getAttribute('aria-sort')).toBe(
      'ascending',
    );
    await until(
      async () => (await rowNames('Blocked apps')).join() === 'Alpha,Bravo,Charlie' || undefined,
      'rows in name order',
    );
  });

  it('offers the updated rows beside a selection without pushing the table or leaving the window', async () => {
    onTestFinished(() => page.setViewportSize({ width: MAIN_SIZES[0]!.width, height: MAIN_SIZES[0]!.height }));
    const grid = page.getByRole('grid', { name: 'Blocked apps' });
    await page.getByRole('columnheader', { name: 'Last seen', exact: true }).getByRole('button').click();
    await until(async () => (await rowNames('Blocked apps'))[0] === 'Alpha' || undefined, 'newest first');
    const smallest = MAIN_SIZES[1]!;
    await page.setViewportSize({ width: smallest.width, height: smallest.height });
    await page.getByRole('button', { name: 'Select all shown' }).click();
    await page.getByRole('button', { name: 'Allow selected' }).waitFor();
    const box = (await grid.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    desktop.sim.connect(attempt(APPS[1]!, '203.0.113.5', 443));
    const offer = page.getByRole('button', { name: /rows? updated: show in order/ });
    await offer.waitFor({ timeout: 3_000 });
    await page.screenshot({ path: join(resultsDir, 'blocked-selection-updated-minimum.png') });
    expect((await grid.boundingBox())!.y).toBe(box.y);
    const bar = page.getByRole('toolbar', { name: 'Selected apps' });
    expect(await bar.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    const offerBox = (await offer.boundingBox())!;
    expect(offerBox.x + offerBox.width).toBeLessThanOrEqual(page.viewportSize()!.width);
    // As a hand moves: off the rows, across the bar, a pause on the button, then the click. The offer must still be
    // there when the pointer arrives (leaving the table on the way must not take it away).
    await page.mouse.move(offerBox.x + offerBox.width / 2, offerBox.y + offerBox.height / 2, { steps: 8 });
    await page.waitForTimeout(300);
    await offer.click({ timeout: 2_000 });
    await offer.waitFor({ state: 'detached' });
    await until(async () => (await rowNames('Blocked apps'))[0] === 'Bravo' || undefined, 'the updated row in order');
    // Once the pointer is away from the table and the offer, the live order shows again by itself.
    await page.mouse.move(offerBox.x + offerBox.width / 2, 2);
    desktop.sim.connect(attempt(APPS[2]!, '203.0.113.6', 443));
    await until(async () => (await rowNames('Blocked apps'))[0] === 'Charlie' || undefined, 'the newest on top');
    await page.getByRole('button', { name: 'Clear selection' }).click();
  });

  it('Rules sort by column, count in words and show a timed duration that fits', async () => {
    const decisions = desktop.core.snapshot().decisions;
    const bravo = decisions.find((d) => d.app.displayName === 'Bravo')!;
    await desktop.core.handlers['decisions.resolve']({
      decisionId: bravo.id,
      action: 'allow',
      scope: 'app',
      // Ends tomorrow: the longest thing the Duration cell shows (a time, and the day under it).
      duration: '24h',
    });
    await goToView(page, 'Rules', 'Rules');
    await page.getByText('1 rule', { exact: true }).waitFor();
    const duration = page.getByRole('grid', { name: 'Rules' }).getByRole('gridcell', { name: /^Until / });
    const text = (await duration.textContent()) ?? '';
    expect(text).toMatch(/^Until \d{1,2}:\d\d.*Tomorrow$/);
    expect(await duration.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);

    const charlie = desktop.core.snapshot().apps.find((a) => a.identity.displayName === 'Charlie')!;
    await desktop.core.handlers['apps.decide']({ appKeys: [charlie.identity.key], decision: 'block' });
    await page.getByText('2 rules', { exact: true }).waitFor();
    expect(await rowNames('Rules')).toEqual(['Bravo', 'Charlie']);
    const action = page.getByRole('columnheader', { name: 'Action' });
    await action.getByRole('button').click();
    expect(await action.getAttribute('aria-sort')).toBe('ascending');
    expect(await rowNames('Rules')).toEqual(['Bravo', 'Charlie']); // allow before block
    await action.getByRole('button').click();
    expect(await action.getAttribute('aria-sort')).toBe('descending');
    expect(await rowNames('Rules')).toEqual(['Charlie', 'Bravo']);
  });

  it('Activity sorts by column', async () => {
    await goToView(page, 'Activity', 'Activity');
    const app = page.getByRole('columnheader', { name: 'App', exact: true });
    await app.getByRole('button').click();
    expect(await app.getAttribute('aria-sort')).toBe('ascending');
    const names = await rowNames('Activity log');
    expect(names.length).toBeGreaterThan(2);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
  });

  it('a window opened with more rules than its first screen carries shows every one of them', async () => {
    // 1,250 more rules than the snapshot's first 1,000: the rest arrive in pages after the window is up.
    const appKeys = Array.from({ length: 1_250 }, (_, i) => `path:c:\\tools\\tool${i}.exe`);
    await desktop.core.handlers['apps.decide']({ appKeys, decision: 'allow' });
    const total = desktop.core.snapshot().rules.length;
    expect(total).toBeGreaterThan(1_250);
    await page.reload();
    await goToView(page, 'Rules', 'Rules');
    await page.getByText(`${new Intl.NumberFormat('en-US').format(total)} rules`, { exact: true }).waitFor();
    // The count is the page's own: the rules it holds, not a total it was told.
    expect(await page.getByRole('grid', { name: 'Rules' }).getAttribute('aria-rowcount')).toBe(String(total + 1));
    // A full table at every real window size: the narrower layouts leave columns out, never rows.
    onTestFinished(() => page.setViewportSize({ width: MAIN_SIZES[0]!.width, height: MAIN_SIZES[0]!.height }));
    for (const size of MAIN_SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      expect((await layoutProblems(page)).hiddenRows, size.name).toEqual([]);
    }
  });

  it('ran without page errors', () => {
    expect(desktop.harness.pageErrors).toEqual([]);
  });
});
