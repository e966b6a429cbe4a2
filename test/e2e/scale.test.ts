// With 10,000 apps in the index (10,000 executables blocked in Enforce, through the simulator and the real core),
// search and sort in the Blocked view keep every frame under 50 ms, measured inside the page.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultsDir } from './harness/index';
import { measureInteraction, type FrameTiming, type Interaction } from './support/frame-timing';
import { attempt, openMainPage, startDesktop, until, type Desktop } from './support/desktop';

const APPS = 10_000;
const FRAME_BUDGET_MS = 50;

let desktop: Desktop;
let page: Page;

beforeAll(async () => {
  desktop = await startDesktop();
  page = await openMainPage(desktop, 'enforce');
}, 120_000);

afterAll(async () => {
  await desktop?.close();
});

describe('the Blocked view at 10,000 apps', () => {
  it('lists all 10,000 blocked apps', async () => {
    const vendors = ['Contoso', 'Fabrikam', 'Northwind', 'Tailspin', 'Woodgrove', 'Litware', 'Adatum', 'Proseware'];
    for (let i = 0; i < APPS; i++) {
      const vendor = vendors[i % vendors.length]!;
      const verdict = desktop.sim.connect(
        attempt(`C:\\Program Files\\${vendor}\\Tool ${i}\\tool${i}.exe`, `198.51.100.${i % 250}`, 1024 + (i % 5000)),
      );
      if (verdict.action !== 'block') throw new Error(`attempt ${i} was not blocked`);
      // Let the event loop breathe so the simulator's deliveries reach core while we keep connecting.
      if (i % 500 === 499) await new Promise((r) => setTimeout(r, 0));
    }
    await until(() => desktop.core.snapshot().apps.length >= APPS, 'core to index 10,000 apps', 90_000);
    await page
      .getByRole('status')
      .filter({ hasText: /^10,000 apps$/ })
      .waitFor({ timeout: 20_000 });
    expect(await page.getByRole('grid', { name: 'Blocked apps' }).getAttribute('aria-rowcount')).toBe(String(APPS + 1));
  }, 120_000);

  it('keeps search and sort under 50 ms per frame', async () => {
    // Let the last delta batches and the idle-time indexing settle, as after a flood.
    await page.waitForTimeout(1_500);
    const interactions: Interaction[] = [
      { kind: 'type', label: 'Search apps', text: 'tool 12' },
      { kind: 'clear', label: 'Search apps' },
      { kind: 'type', label: 'Search apps', text: 'fabrikam' },
      { kind: 'sort', column: 'App' },
      { kind: 'clear', label: 'Search apps' },
      { kind: 'sort', column: 'Path' },
      { kind: 'sort', column: 'Blocked' },
      { kind: 'sort', column: 'Last seen' },
      { kind: 'sort', column: 'State' },
    ];
    // Each step runs in several rounds and counts by its median, so a burst from another process on this shared
    // machine does not decide the result; the worst round is reported too.
    const ROUNDS = 5;
    const rounds: FrameTiming[][] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const timings: FrameTiming[] = [];
      for (const interaction of interactions) timings.push(...(await measureInteraction(page, interaction)));
      rounds.push(timings);
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const round1 = (n: number) => Math.round(n * 10) / 10;
    const rows = rounds[0]!.map((step, i) => {
      const of = (pick: (t: FrameTiming) => number) => rounds.map((r) => pick(r[i]!));
      return {
        action: step.action,
        toFrame: round1(median(of((t) => t.toFrame))),
        toPaint: round1(median(of((t) => t.toPaint))),
        maxFrameGap: round1(median(of((t) => t.maxFrameGap))),
        worstToPaint: round1(Math.max(...of((t) => t.toPaint))),
      };
    });
    const worst = {
      medianToPaint: Math.max(...rows.map((r) => r.toPaint)),
      medianFrameGap: Math.max(...rows.map((r) => r.maxFrameGap)),
      anyRoundToPaint: Math.max(...rows.map((r) => r.worstToPaint)),
    };
    writeFileSync(
      join(resultsDir, 'blocked-10000-frame-times.json'),
      JSON.stringify({ apps: APPS, rounds: ROUNDS, worst, rows }, null, 2),
    );
    console.log(
      `Blocked view, ${APPS} apps, median of ${ROUNDS} rounds, ms: input -> frame / painted / longest frame gap (worst round painted)`,
    );
    for (const r of rows)
      console.log(`  ${r.action.padEnd(18)} ${r.toFrame} / ${r.toPaint} / ${r.maxFrameGap}  (${r.worstToPaint})`);
    console.log(
      `  worst medians: painted ${worst.medianToPaint}, frame gap ${worst.medianFrameGap}; worst single round ${worst.anyRoundToPaint}`,
    );

    // The last round really sorted: the page shows the order asked for.
    expect(await page.getByRole('columnheader', { name: /State/ }).getAttribute('aria-sort')).not.toBe('none');
    for (const r of rows) {
      expect(r.toPaint, `${r.action}: input to painted frame`).toBeLessThan(FRAME_BUDGET_MS);
      expect(r.maxFrameGap, `${r.action}: longest frame`).toBeLessThan(FRAME_BUDGET_MS);
    }
  }, 120_000);

  it('search finds one app among 10,000', async () => {
    const search = page.getByRole('searchbox', { name: 'Search apps' });
    await search.fill('tool9876.exe');
    await page
      .getByRole('status')
      .filter({ hasText: /^1 of 10,000 apps$/ })
      .waitFor({ timeout: 2_000 });
    await page.getByRole('grid', { name: 'Blocked apps' }).getByRole('row', { name: /9876/ }).waitFor();
    await search.fill('');
  });

  it('ran without page errors', () => {
    expect(desktop.harness.pageErrors).toEqual([]);
  });
});
