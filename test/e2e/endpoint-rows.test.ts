// A busy app's rows carry its endpoint list only when it changes (otherwise only the order), yet the user sees what
// they saw before: the search finds the app by any of its endpoints, also one that no row carried for a while; the
// destination cell shows the newest ones; the detail panel's attempts per endpoint keep counting up.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEntry } from '../../electron/core/model';
import { appRow, attempt, blockedTable, openMainPage, startDesktop, until, type Desktop } from './support/desktop';

// Blocked by the simulated baseline's "Block Tool (outbound)" rule (native/sim/README.md).
const TOOL = 'C:\\Apps\\tool.exe';
const address = (i: number) => `203.0.113.${100 + i}`;
// A reverse name for each: what the search box also searches.
const nameOf = (a: string) => `edge-${a.split('.')[3]}.cdn.example`;

let desktop: Desktop;
let page: Page;
const rows: AppEntry[] = [];

beforeAll(async () => {
  desktop = await startDesktop({ resolver: { reverse: (a: string) => Promise.resolve([nameOf(a)]) } });
  desktop.core.onDelta((batch) => {
    for (const row of batch.apps ?? []) if (row.identity.path?.toLowerCase() === TOOL.toLowerCase()) rows.push(row);
  });
  page = await openMainPage(desktop);
}, 60_000);

afterAll(async () => {
  await desktop?.close();
});

const toolRow = () => desktop.core.snapshot().apps.find((a) => a.identity.path?.toLowerCase() === TOOL.toLowerCase());

describe("a busy app's endpoints in the window", () => {
  it('search finds the app by an endpoint its latest rows did not carry, and the cell shows the newest', async () => {
    for (let i = 0; i < 6; i++) desktop.sim.connect(attempt(TOOL, address(i)));
    await until(() => toolRow()?.endpoints.length === 6 && toolRow()!.endpoints.every((e) => e.hostname), 'six named');
    const name = toolRow()!.identity.displayName;
    // Attempts to two of them only, for a few seconds: its rows go on, carrying the order of the six, not the six.
    const before = rows.length;
    for (let k = 0; k < 25; k++) {
      desktop.sim.connect(attempt(TOOL, address(k % 2)));
      await new Promise((r) => setTimeout(r, 100));
    }
    await until(() => rows.length >= before + 2, 'rows of the busy app');
    const latest = rows.slice(before);
    expect(latest.at(-1)!.endpoints).toEqual([]);
    expect(latest.at(-1)!.endpointOrder).toHaveLength(6);

    const cell = appRow(page, name).getByRole('gridcell').nth(5);
    await expect.poll(() => cell.textContent()).toBe(`${address(0)}:443, ${address(1)}:443 +4`);
    const search = page.getByRole('searchbox', { name: 'Search apps' });
    for (const query of [address(4), nameOf(address(3))]) {
      await search.fill(query);
      await appRow(page, name).waitFor({ timeout: 2_000 });
      expect(await blockedTable(page).getByRole('row').count()).toBe(2);
    }
    await search.fill('203.0.113.199');
    await page.getByText('No app matches').waitFor();
    await search.fill('');
    // The tooltip lists all six, newest first, as core has them.
    const now = toolRow()!.endpoints.map((e) => `${e.address}:443 (reverse name ${e.hostname})`);
    await expect.poll(() => cell.getAttribute('title')).toBe(now.join('\n'));
  });

  it("the detail panel's attempts per endpoint keep counting while the rows carry only the order", async () => {
    const name = toolRow()!.identity.displayName;
    await appRow(page, name).getByRole('button', { name, exact: true }).click();
    const panel = page.getByRole('complementary', { name: `Details for ${name}` });
    const attemptsOf = (a: string) => panel.getByRole('row').filter({ hasText: a }).getByRole('cell').nth(4);
    const count = () => toolRow()!.endpoints.find((e) => e.address === address(0))!.count;
    await expect.poll(() => attemptsOf(address(0)).textContent()).toBe(String(count()));
    const before = rows.length;
    for (let k = 0; k < 12; k++) {
      desktop.sim.connect(attempt(TOOL, address(0)));
      await new Promise((r) => setTimeout(r, 100));
    }
    const expected = count();
    expect(expected).toBeGreaterThan(12);
    // Within a second or so of the last attempt, as the row itself follows.
    await expect.poll(() => attemptsOf(address(0)).textContent(), { timeout: 3_000 }).toBe(String(expected));
    expect(rows.slice(before).every((r) => r.endpoints.length === 0)).toBe(true);
    await page.getByRole('button', { name: 'Close details' }).click();
  });
});
