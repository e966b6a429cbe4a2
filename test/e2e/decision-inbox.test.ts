// In Enforce, a newly blocked app opens a decision in the inbox (main window and prompt window). The buttons arm
// only after a delay; Deny creates a block rule, and further attempts add to the app's count without a new decision.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultsDir } from './harness/index';
import {
  appRow,
  attempt,
  BLOCKED_COLUMN,
  cellText,
  goToView,
  parseCount,
  openMainPage,
  startDesktop,
  until,
  type Desktop,
} from './support/desktop';

const PROBE = 'C:\\Tools\\NetProbe\\netprobe.exe';
const SYNC = 'C:\\Program Files\\SyncBox\\syncbox.exe';
const MAILER = 'C:\\Program Files\\Mailer\\mailer.exe';

let desktop: Desktop;
let page: Page;

beforeAll(async () => {
  desktop = await startDesktop();
  page = await openMainPage(desktop);
});

afterAll(async () => {
  await desktop?.close();
});

const decisionsFor = (path: string) =>
  desktop.core.snapshot().decisions.filter((d) => d.app.path?.toLowerCase() === path.toLowerCase());
const rulesFor = (path: string) =>
  desktop.core.snapshot().rules.filter((r) => r.app.path?.toLowerCase() === path.toLowerCase());

describe('decisions in Enforce', () => {
  it('switches to Enforce from the Settings view, through its preview', async () => {
    await goToView(page, 'Settings', 'Settings');
    await page.getByRole('radio', { name: 'Enforce' }).click();
    const dialog = page.getByRole('dialog', { name: 'Switch to Enforce?' });
    await dialog.getByRole('button', { name: 'Switch to Enforce' }).click();
    const status = page.getByRole('contentinfo', { name: 'Status' });
    await status.getByText('Enforce', { exact: true }).waitFor({ timeout: 3_000 });
    expect(desktop.core.status().mode).toBe('enforce');
  });

  it('shows a newly blocked app in the inbox; Deny arms after a delay and creates a block rule', async () => {
    expect(desktop.sim.connect(attempt(PROBE, '198.51.100.7', 8443)).action).toBe('block');
    const decision = await until(() => decisionsFor(PROBE)[0], 'a decision for the probe');
    const name = decision.app.displayName;

    const nav = page.getByRole('navigation', { name: 'Views' });
    await nav.getByRole('link', { name: /Decisions.*1 pending/ }).waitFor({ timeout: 2_000 });
    await goToView(page, 'Decisions', 'Decisions');
    const card = page.getByRole('region', { name });
    await card.getByText('198.51.100.7').waitFor();
    await card.getByText('to port 8443', { exact: true }).waitFor();
    await card.getByText(/already been refused.*must try again/).waitFor();

    const deny = card.getByRole('button', { name: `Deny ${name}` });
    expect(await deny.getAttribute('aria-disabled')).toBe('true');
    // A click that lands before the buttons arm must not decide (force: Playwright itself would wait for them).
    await deny.click({ force: true });
    await page.waitForTimeout(300);
    expect(rulesFor(PROBE)).toEqual([]);
    expect(decisionsFor(PROBE)).toHaveLength(1);

    await until(async () => (await deny.getAttribute('aria-disabled')) === 'false', 'the Deny button to arm', 3_000);
    await deny.click();
    const rule = await until(() => rulesFor(PROBE)[0], 'a rule for the probe');
    expect(rule.action).toBe('block');
    await page.getByText('No decisions waiting').waitFor({ timeout: 2_000 });
    expect(await nav.getByRole('link', { name: /pending/ }).count()).toBe(0);
  });

  it('counts further attempts of the denied app and opens no new decision', async () => {
    const notificationsBefore = desktop.harness.notifications.length;
    await goToView(page, 'Blocked', 'Blocked apps');
    const name = rulesFor(PROBE)[0]!.app.displayName;
    const row = appRow(page, name);
    await row.waitFor();
    const before = parseCount(await cellText(row, BLOCKED_COLUMN.count));
    expect(before).toBeGreaterThanOrEqual(1);

    expect(desktop.sim.connectRepeat(attempt(PROBE, '198.51.100.7', 8443), 7).action).toBe('block');
    await until(
      async () => parseCount(await cellText(row, BLOCKED_COLUMN.count)) === before + 7,
      'the count to grow by 7',
    );
    await page.waitForTimeout(500);
    expect(decisionsFor(PROBE)).toEqual([]);
    expect(desktop.harness.notifications.length).toBe(notificationsBefore);
    expect(await cellText(row, BLOCKED_COLUMN.state)).toBe('Blocked');
  });

  it('answers from the prompt window: openDecision selects it, Allow with a port scope lets the app through', async () => {
    expect(desktop.sim.connect(attempt(MAILER, '203.0.113.60', 587)).action).toBe('block');
    const first = await until(() => decisionsFor(MAILER)[0], 'a decision for the mailer');
    expect(desktop.sim.connect(attempt(SYNC, '203.0.113.50', 993)).action).toBe('block');
    const decision = await until(() => decisionsFor(SYNC)[0], 'a decision for the sync client');
    const name = decision.app.displayName;

    const prompt = await desktop.harness.open('prompt.html');
    await prompt.getByRole('heading', { level: 1, name: '2 blocked connections need a decision' }).waitFor();
    // The oldest decision is shown first; the event (a notification click in the app) brings up the other one.
    await prompt.getByRole('region', { name: first.app.displayName }).waitFor();
    expect(await prompt.getByRole('region', { name }).count()).toBe(0);
    await desktop.harness.emit('openDecision', { decisionId: decision.id });
    const card = prompt.getByRole('region', { name });
    await card.waitFor({ timeout: 2_000 });
    await card.getByText('to port 993', { exact: true }).waitFor();
    await card.getByRole('radio', { name: 'This port only' }).check();
    await card.getByRole('radio', { name: 'For 24 hours' }).check();
    const allow = card.getByRole('button', { name: `Allow ${name}` });
    expect(await allow.getAttribute('aria-disabled')).toBe('true');
    await until(async () => (await allow.getAttribute('aria-disabled')) === 'false', 'the Allow button to arm', 3_000);
    await prompt.screenshot({ path: join(resultsDir, 'decision-prompt-answering-light.png') });
    await allow.click();

    const rule = await until(() => rulesFor(SYNC)[0], 'an allow rule for the sync client');
    expect(rule.action).toBe('allow');
    expect(rule.remotePort).toBe(993);
    expect(rule.duration.kind).toBe('until');
    await desktop.core.changesDone(); // its save, then its filters
    expect(desktop.sim.connect(attempt(SYNC, '203.0.113.50', 993)).action).toBe('permit');
    // The rule is scoped to the port: another port stays blocked.
    expect(desktop.sim.connect(attempt(SYNC, '203.0.113.50', 25)).action).toBe('block');
    // The other decision is still waiting, now shown on its own.
    await prompt.getByRole('heading', { level: 1, name: '1 blocked connection needs a decision' }).waitFor();
    await prompt.close();
  });

  it('counts down to the default action once a decision timeout is set in Settings', async () => {
    await goToView(page, 'Settings', 'Settings');
    const timeout = page.getByRole('textbox', { name: 'Decide by itself after' });
    await timeout.fill('abc');
    await timeout.press('Enter');
    await page.getByText('Enter a whole number from 5 to 86400.').waitFor();
    expect(desktop.core.snapshot().settings.decisionTimeoutSeconds).toBeUndefined();
    await timeout.fill('120');
    await timeout.press('Enter');
    await until(() => desktop.core.snapshot().settings.decisionTimeoutSeconds === 120, 'the timeout to be saved');

    const LATE = 'C:\\Program Files\\Proseware\\pwagent.exe';
    expect(desktop.sim.connect(attempt(LATE, '203.0.113.70', 443)).action).toBe('block');
    const decision = await until(() => decisionsFor(LATE)[0], 'a decision for the agent');
    expect(decision.deadline).toBeDefined();
    await goToView(page, 'Decisions', 'Decisions');
    await page
      .getByRole('button', { name: new RegExp(decision.app.displayName) })
      .first()
      .click();
    const card = page.getByRole('region', { name: decision.app.displayName });
    await card.getByText(/If you do not decide, Portcullis will keep blocking it in [12]:\d\d/).waitFor();
  });

  it('ran without page errors', () => {
    expect(desktop.harness.pageErrors).toEqual([]);
  });
});
