// With scenario traffic, the Blocked view lists the blocked apps with correct counts within one second; Allow on a
// row creates the rule, the row changes state and the app's next connection is permitted.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultsDir } from './harness/index';
import {
  appRow,
  attempt,
  BLOCKED_COLUMN,
  blockedTable,
  cellText,
  goToView,
  parseCount,
  openMainPage,
  startDesktop,
  until,
  type Desktop,
} from './support/desktop';

// Apps of the demo desktop, against the simulator's Windows Defender Firewall baseline (native/sim/README.md):
// what each rule does decides which attempts are blocked, so the expected counts follow from the scenario alone.
const TOOL = 'C:\\Apps\\tool.exe'; // "Block Tool (outbound)"
const NETPROBE = 'C:\\Users\\alex\\AppData\\Local\\Temp\\netprobe.exe'; // "Block netprobe (outbound)"
const TELEMETRY = 'C:\\Program Files\\Contoso\\Telemetry\\telemetry-agent.exe'; // blocked on TCP 443 only
const BROWSER = 'C:\\Program Files\\Contoso Browser\\browser.exe'; // permitted by its rule
const SYNC = 'C:\\Program Files\\Fabrikam\\Sync\\sync.exe'; // inbound, blocked by "Query User Default"

const line = (o: Record<string, unknown>) => JSON.stringify({ local: '192.0.2.10', local_port: 51000, ...o });
const SCENARIO = [
  '# Blocked-view test traffic',
  line({ app: TOOL, remote: '203.0.113.20', remote_port: 443, repeat: 7, every_ms: 5 }),
  line({ app: NETPROBE, remote: '198.51.100.9', remote_port: 8080, repeat: 3, every_ms: 5 }),
  line({ app: TELEMETRY, remote: '203.0.113.30', remote_port: 443, repeat: 5, every_ms: 5 }),
  line({ app: TELEMETRY, remote: '203.0.113.30', remote_port: 80, repeat: 2, every_ms: 5 }),
  line({ app: BROWSER, remote: '203.0.113.10', remote_port: 443, repeat: 4, every_ms: 5 }),
  line({
    app: SYNC,
    direction: 'in',
    remote: '198.51.100.40',
    remote_port: 40000,
    local_port: 22000,
    repeat: 4,
    every_ms: 5,
  }),
].join('\n');
const EXPECTED_BLOCKED: Record<string, number> = { [TOOL]: 7, [NETPROBE]: 3, [TELEMETRY]: 5, [SYNC]: 4 };

let desktop: Desktop;
let page: Page;
let scenarioDir: string;

const appFor = (path: string) =>
  desktop.core.snapshot().apps.find((a) => a.identity.path?.toLowerCase() === path.toLowerCase());

beforeAll(async () => {
  scenarioDir = mkdtempSync(join(tmpdir(), 'portcullis-scenario-'));
  writeFileSync(join(scenarioDir, 'blocked-view.jsonl'), `${SCENARIO}\n`);
  desktop = await startDesktop();
  expect(desktop.core.status().mode).toBe('monitor');
  page = await openMainPage(desktop);
  await page.getByText('Nothing blocked yet').waitFor();
});

afterAll(async () => {
  await desktop?.close();
  rmSync(scenarioDir, { recursive: true, force: true });
});

describe('the Blocked view', () => {
  it('lists the blocked apps with correct counts within one second of the traffic', async () => {
    const started = Date.now();
    desktop.sim.playScenario(join(scenarioDir, 'blocked-view.jsonl'), 1);
    const expectedRows = Object.keys(EXPECTED_BLOCKED).length;
    await until(
      async () => {
        const rows = blockedTable(page).getByRole('row');
        if ((await rows.count()) !== expectedRows + 1) return false;
        for (const [path, count] of Object.entries(EXPECTED_BLOCKED)) {
          const app = appFor(path);
          if (!app) return false;
          const row = appRow(page, app.identity.displayName);
          if ((await row.count()) !== 1) return false;
          if (parseCount(await cellText(row, BLOCKED_COLUMN.count)) !== count) return false;
        }
        return true;
      },
      'every blocked app with its count',
      5_000,
    );
    const elapsed = Date.now() - started;
    console.log(`Blocked view showed ${expectedRows} apps with exact counts ${elapsed} ms after the traffic started`);
    expect(elapsed).toBeLessThan(1_000);

    // The permitted browser is not listed; the counts are the core's own.
    expect(appFor(BROWSER)).toBeUndefined();
    for (const [path, count] of Object.entries(EXPECTED_BLOCKED)) expect(appFor(path)?.blockedCount).toBe(count);

    // "Why was this blocked?": the Windows Defender Firewall rule is named on the row.
    const tool = appRow(page, appFor(TOOL)!.identity.displayName);
    expect(await cellText(tool, BLOCKED_COLUMN.blockedBy)).toContain('Windows Defender Firewall');
    expect(await cellText(tool, BLOCKED_COLUMN.blockedBy)).toContain('Block Tool (outbound)');
    await page.screenshot({ path: join(resultsDir, 'blocked-scenario-light.png') });
  });

  it('Allow on a row creates a soft rule; Windows Firewall still blocks until the user overrides it for this app', async () => {
    expect(desktop.sim.connect(attempt(TOOL, '203.0.113.20', 443)).action).toBe('block');
    const name = appFor(TOOL)!.identity.displayName;
    const row = appRow(page, name);
    const stateBefore = await cellText(row, BLOCKED_COLUMN.state);
    expect(stateBefore).not.toBe('Allowed');

    await row.getByRole('button', { name: `Allow ${name}` }).click();
    await until(
      async () => (await cellText(row, BLOCKED_COLUMN.state)) === 'Allowed',
      'the row to show Allowed',
      2_000,
    );
    expect(await row.getByRole('button', { name: `Allow ${name}` }).getAttribute('aria-pressed')).toBe('true');

    const rulesFor = () =>
      desktop.core.snapshot().rules.filter((r) => r.app.path?.toLowerCase() === TOOL.toLowerCase());
    expect(rulesFor()).toHaveLength(1);
    expect(rulesFor()[0]).toMatchObject({ action: 'allow', direction: 'out' });
    // A Portcullis allow is soft: the Windows Defender Firewall rule that blocked tool.exe still wins.
    expect(desktop.sim.connect(attempt(TOOL, '203.0.113.20', 443)).action).toBe('block');

    // The details say so and offer the override for this app only.
    await row.getByRole('button', { name, exact: true }).click();
    const panel = page.getByRole('complementary', { name: `Details for ${name}` });
    await panel.getByText(/A Windows Defender Firewall rule blocks/).waitFor();
    const override = panel.getByRole('button', { name: 'Allow even where Windows Firewall blocks it' });
    // It lifts more than Windows Firewall's block, and says so before it is clicked.
    expect(await override.getAttribute('title')).toBe(
      "Also lifts other products' blocks of this program: another firewall's, or a VPN's kill switch.",
    );
    await override.click();
    await until(async () => rulesFor()[0]?.overridesWindowsFirewall === true, 'the rule to override', 2_000);
    await desktop.core.changesDone(); // its save, then its filters
    expect(rulesFor()).toHaveLength(1);
    expect(desktop.sim.connect(attempt(TOOL, '203.0.113.20', 443)).action).toBe('permit');
    expect(desktop.sim.connect(attempt(TOOL, '198.51.100.99', 22)).action).toBe('permit');
    await page.getByRole('button', { name: 'Close details' }).click();

    await goToView(page, 'Rules', 'Rules');
    await page.getByRole('grid', { name: 'Rules' }).getByRole('row', { name, exact: true }).waitFor();
  });

  it('opens the detail panel with endpoints and the timeline of attempts', async () => {
    await goToView(page, 'Blocked', 'Blocked apps');
    const name = appFor(TELEMETRY)!.identity.displayName;
    await appRow(page, name).getByRole('button', { name, exact: true }).click();
    const panel = page.getByRole('complementary', { name: `Details for ${name}` });
    await panel.waitFor();
    await panel.getByRole('cell', { name: '203.0.113.30' }).first().waitFor();
    const chart = panel.getByRole('img', { name: new RegExp(`Attempts by ${name} per minute`) });
    expect(await chart.getAttribute('aria-label')).toMatch(/5 in total/);
    expect(await panel.getByText('Contoso Telemetry: block HTTPS').count()).toBeGreaterThan(0);
  });

  it('filters by who blocked, and blocks several apps at once from the keyboard', async () => {
    await goToView(page, 'Blocked', 'Blocked apps');
    // With the detail panel open the path and destination columns step aside; close it for the full table.
    await page.getByRole('button', { name: 'Close details' }).click();
    const table = blockedTable(page);
    const blockedBy = page.getByRole('combobox', { name: 'Blocked by' });
    // In Monitor nothing is blocked by Portcullis itself: every app here was stopped by a Windows rule.
    await blockedBy.selectOption({ label: 'Portcullis' });
    await page.getByText('No app matches').waitFor();
    await blockedBy.selectOption({ label: 'Windows Defender Firewall' });
    const byWindows = desktop.core.snapshot().apps.filter((a) => a.blockedBy === 'windows-firewall').length;
    expect(byWindows).toBe(Object.keys(EXPECTED_BLOCKED).length);
    await until(async () => (await table.getByRole('row').count()) === byWindows + 1, 'the filtered rows');
    await page.getByRole('combobox', { name: 'Blocked by' }).selectOption({ label: 'Anyone' });

    const netprobe = appFor(NETPROBE)!.identity.displayName;
    const sync = appFor(SYNC)!.identity.displayName;
    await appRow(page, netprobe)
      .getByRole('checkbox', { name: `Select ${netprobe}` })
      .press('Space');
    await appRow(page, sync)
      .getByRole('checkbox', { name: `Select ${sync}` })
      .press('Space');
    const bulk = page.getByRole('toolbar', { name: 'Selected apps' });
    await bulk.getByText('2 apps selected').waitFor();
    await bulk.getByRole('button', { name: 'Block selected' }).press('Enter');
    for (const name of [netprobe, sync]) {
      const row = appRow(page, name);
      await until(async () => (await cellText(row, BLOCKED_COLUMN.state)) === 'Blocked', `${name} to show Blocked`);
    }
    for (const path of [NETPROBE, SYNC]) {
      const rules = desktop.core.snapshot().rules.filter((r) => r.app.path?.toLowerCase() === path.toLowerCase());
      expect(rules.map((r) => r.action)).toEqual(['block']);
    }
    await bulk.getByText('None selected').waitFor();

    // Arrow keys move between rows, staying on the same action.
    const names = (await table.getByRole('row').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label'))))
      .slice(1)
      .filter((n): n is string => n !== null);
    await appRow(page, names[0]!)
      .getByRole('button', { name: `Block ${names[0]}` })
      .focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.locator(':focus').getAttribute('aria-label')).toBe(`Block ${names[1]}`);
    await page.keyboard.press('ArrowUp');
    expect(await page.locator(':focus').getAttribute('aria-label')).toBe(`Block ${names[0]}`);
  });

  it('ran without page errors', () => {
    expect(desktop.harness.pageErrors).toEqual([]);
  });
});
