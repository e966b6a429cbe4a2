// The journeys a user makes, end to end in Chromium at the windows' real sizes: allow a blocked app in one click and
// see it connect; decide by keyboard alone; answer the prompt by keyboard with "this port only" and "1 hour";
// switch to Enforce through its preview (in the app and from the tray's request); undo a mistaken block.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRow, attempt, goToView, openMainPage, startDesktop, until, type Desktop } from './support/desktop';
import { MAIN_SIZES, PROMPT_SIZE } from './support/window-sizes';

const [DEFAULT_SIZE, MINIMUM_SIZE, SMALL_SIZE] = MAIN_SIZES as [
  (typeof MAIN_SIZES)[number],
  (typeof MAIN_SIZES)[number],
  (typeof MAIN_SIZES)[number],
];

const BROWSER = 'C:\\Program Files\\Contoso Browser\\browser.exe';
const EDITOR = 'C:\\Program Files\\Fabrikam Editor\\editor.exe';
const TOOL = 'C:\\Tools\\Sync\\synctool.exe';
const GAME = 'C:\\Games\\Tailspin\\game.exe';
const MAILER = 'C:\\Program Files\\Mailer\\mailer.exe';
const CHAT = 'C:\\Program Files\\Chat\\chat.exe';
const NOTES = 'C:\\Program Files\\Notes\\notes.exe';

let desktop: Desktop;

const rulesFor = (path: string) =>
  desktop.core.snapshot().rules.filter((r) => r.app.path?.toLowerCase() === path.toLowerCase());
const decisionFor = (path: string) =>
  desktop.core.snapshot().decisions.find((d) => d.app.path?.toLowerCase() === path.toLowerCase());

beforeAll(async () => {
  desktop = await startDesktop();
});

afterAll(async () => {
  await desktop?.close();
});

async function sized(page: Page, size: { width: number; height: number }): Promise<Page> {
  await page.setViewportSize({ width: size.width, height: size.height });
  return page;
}

describe('journeys at real sizes', () => {
  it(`switches to Enforce through its preview, at ${SMALL_SIZE.name}`, async () => {
    const { core, sim } = desktop;
    await core.handlers['mode.set']({ mode: 'learning' });
    sim.connect(attempt(BROWSER, '203.0.113.10', 443));
    sim.connect(attempt(EDITOR, '203.0.113.11', 443));
    await until(() => core.snapshot().candidates.length >= 2, 'two learned apps');
    const browserKey = core.snapshot().candidates.find((c) => c.app.path?.toLowerCase() === BROWSER.toLowerCase())!.app
      .key;
    await core.handlers['learning.commit']({ appKeys: [browserKey] });

    const page = await sized(await openMainPage(desktop), SMALL_SIZE);
    await goToView(page, 'Settings', 'Settings');
    await page.getByRole('radio', { name: /^Enforce/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Switch to Enforce?' });
    await dialog.getByRole('heading', { name: 'Will be blocked (1)' }).waitFor();
    await dialog.getByText('Editor', { exact: true }).waitFor();
    await dialog.getByRole('heading', { name: 'Stays allowed (1)' }).waitFor();
    await dialog.getByText('Browser', { exact: true }).waitFor();
    await dialog.getByText(/DNS client/).waitFor();
    // Nothing changed yet: the preview asks first.
    expect(core.status().mode).toBe('learning');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(core.status().mode).toBe('learning');
    expect(await page.getByRole('radio', { name: /^Learning/ }).isChecked()).toBe(true);

    // The tray asks the window for the same preview.
    await desktop.harness.emit('previewMode', { mode: 'enforce' });
    await dialog.getByRole('button', { name: 'Switch and block 1 app' }).click();
    await until(() => core.status().mode === 'enforce', 'Enforce');
    await core.changesDone(); // the rules it wrote, then its filters
    expect(sim.connect(attempt(EDITOR, '203.0.113.11', 443)).action).toBe('block');
    expect(sim.connect(attempt(BROWSER, '203.0.113.10', 443)).action).toBe('permit');
    await page.getByRole('contentinfo', { name: 'Status' }).getByText('Enforce', { exact: true }).waitFor();
    await page.close();
  });

  it(`allows a blocked app in one click and sees it connect, at ${MINIMUM_SIZE.name}`, async () => {
    const { sim } = desktop;
    expect(sim.connect(attempt(TOOL, '198.51.100.20', 443)).action).toBe('block');
    const page = await sized(await openMainPage(desktop), MINIMUM_SIZE);
    const row = appRow(page, 'Synctool');
    await row.waitFor();
    await row.getByRole('button', { name: 'Allow Synctool' }).click();
    await until(() => rulesFor(TOOL)[0], 'the allow rule');
    await desktop.core.changesDone(); // its save, then its filters
    expect(sim.connect(attempt(TOOL, '198.51.100.20', 443)).action).toBe('permit');
    const toast = page.getByRole('status').filter({ hasText: 'Allowed Synctool' });
    await toast.getByRole('button', { name: 'Undo' }).waitFor();
    await page.close();
  });

  it(`undoes a mistaken block from its message, at ${DEFAULT_SIZE.name}`, async () => {
    const { sim } = desktop;
    expect(sim.connect(attempt(GAME, '198.51.100.30', 27015)).action).toBe('block');
    const decision = await until(() => decisionFor(GAME), 'a decision for the game');
    const page = await sized(await openMainPage(desktop), DEFAULT_SIZE);
    const row = appRow(page, 'Game');
    await row.getByRole('button', { name: 'Block Game' }).click();
    await until(() => rulesFor(GAME)[0], 'the block rule');
    await desktop.core.changesDone(); // the decision closes once the rule is saved
    expect(decisionFor(GAME)).toBeUndefined();

    await page.getByRole('status').filter({ hasText: 'Blocked Game' }).getByRole('button', { name: 'Undo' }).click();
    await until(() => rulesFor(GAME).length === 0 && decisionFor(GAME), 'the block undone');
    // Exactly as before: the same pending decision, the row back to Pending.
    expect(decisionFor(GAME)).toEqual(decision);
    await row.getByText('Pending', { exact: true }).waitFor();
    // The history keeps it, marked undone.
    await page.getByRole('button', { name: 'Recent actions' }).click();
    const history = page.getByRole('dialog', { name: 'Recent actions' });
    await history.getByText('Blocked Game').waitFor();
    await history.getByText('Undone').waitFor();
    await history.getByRole('button', { name: 'Close' }).click();
    expect(rulesFor(GAME)).toEqual([]);
    await page.close();
  });

  it('decides by keyboard in the Blocked table: one Tab stop, arrows, B and A, focus moves on', async () => {
    const { sim } = desktop;
    sim.connect(attempt(MAILER, '203.0.113.60', 587));
    sim.connect(attempt(NOTES, '203.0.113.61', 443));
    const page = await sized(await openMainPage(desktop), SMALL_SIZE);
    await appRow(page, 'Mailer').waitFor();
    await appRow(page, 'Notes').waitFor();
    const grid = page.getByRole('grid', { name: 'Blocked apps' });
    // From the search box, Tab leaves the toolbar controls and lands in the grid once.
    await page.getByRole('searchbox').focus();
    let tabs = 0;
    while (!(await grid.evaluate((g) => g.contains(g.ownerDocument.activeElement))) && tabs < 20) {
      await page.keyboard.press('Tab');
      tabs++;
    }
    expect(tabs).toBeLessThan(20);
    await page.keyboard.press('Tab');
    expect(await grid.evaluate((g) => g.contains(g.ownerDocument.activeElement))).toBe(false);
    await page.keyboard.press('Shift+Tab');
    expect(await grid.evaluate((g) => g.contains(g.ownerDocument.activeElement))).toBe(true);

    const focusedRowAttr = (name: string) =>
      page
        .locator('body')
        .evaluate(
          (b, attr) => b.ownerDocument.activeElement?.closest('[role="row"]')?.getAttribute(attr) ?? null,
          name,
        );
    const focusedRow = () => focusedRowAttr('aria-label');
    // Walk to the Mailer row with the arrows and block it with B.
    for (let i = 0; i < 12 && (await focusedRow()) !== 'Mailer'; i++) await page.keyboard.press('ArrowDown');
    expect(await focusedRow()).toBe('Mailer');
    const rowIndex = Number(await focusedRowAttr('aria-rowindex'));
    await page.keyboard.press('b');
    await until(() => rulesFor(MAILER)[0]?.action === 'block' || undefined, 'Mailer blocked by the B key');
    // Focus went on to the next row, inside the grid.
    const next = Number(await focusedRowAttr('aria-rowindex'));
    expect(next).toBe(rowIndex + 1);
    await page.close();
  });

  it(`answers the prompt by keyboard alone: this port only, 1 hour, at ${PROMPT_SIZE.name}`, async () => {
    const { sim } = desktop;
    expect(sim.connect(attempt(CHAT, '203.0.113.70', 5222)).action).toBe('block');
    await until(() => decisionFor(CHAT), 'a decision for chat');
    const prompt = await sized(await desktop.harness.open('prompt.html'), PROMPT_SIZE);
    await prompt.getByRole('heading', { level: 1, name: /need a decision|needs a decision/ }).waitFor();
    // Bring the chat decision forward with the switcher, by keyboard.
    const focused = () =>
      prompt.locator('body').evaluate((b) => {
        const el = b.ownerDocument.activeElement as (typeof b & { value?: string }) | null;
        return el ? `${el.tagName.toLowerCase()}:${el.getAttribute('aria-label') ?? el.value ?? ''}` : '';
      });
    let guard = 0;
    while (!(await focused()).startsWith('select') && guard++ < 10) await prompt.keyboard.press('Tab');
    const optionIndex = await prompt
      .getByRole('combobox')
      .evaluate((s) =>
        [...(s as unknown as { options: { text: string }[] }).options].findIndex((o) => o.text.endsWith(': Chat')),
      );
    const currentIndex = await prompt
      .getByRole('combobox')
      .evaluate((s) => (s as unknown as { selectedIndex: number }).selectedIndex);
    for (let i = currentIndex; i < optionIndex; i++) await prompt.keyboard.press('ArrowDown');
    for (let i = currentIndex; i > optionIndex; i--) await prompt.keyboard.press('ArrowUp');
    const card = prompt.getByRole('region', { name: 'Chat' });
    await card.waitFor();
    guard = 0;
    while ((await focused()) !== 'input:app' && guard++ < 10) await prompt.keyboard.press('Tab');
    expect(await focused()).toBe('input:app');
    await prompt.keyboard.press('ArrowDown');
    expect(await card.getByRole('radio', { name: 'This port only' }).isChecked()).toBe(true);
    await prompt.keyboard.press('Tab');
    expect(await focused()).toBe('input:forever');
    await prompt.keyboard.press('ArrowUp');
    await prompt.keyboard.press('ArrowUp');
    expect(await card.getByRole('radio', { name: 'For 1 hour' }).isChecked()).toBe(true);
    await prompt.keyboard.press('Tab');
    expect(await focused()).toBe('button:Allow Chat');
    const allow = card.getByRole('button', { name: 'Allow Chat' });
    await until(async () => (await allow.getAttribute('aria-disabled')) === 'false', 'Allow to arm', 3_000);
    const before = Date.now();
    await prompt.keyboard.press('Enter');
    const rule = await until(() => rulesFor(CHAT)[0], 'the allow rule for chat');
    expect(rule).toMatchObject({ action: 'allow', remotePort: 5222, protocol: 6 });
    expect(rule.duration.kind).toBe('until');
    const until1h = (rule.duration as { until: number }).until;
    expect(until1h).toBeGreaterThanOrEqual(before + 3_600_000 - 5_000);
    expect(until1h).toBeLessThanOrEqual(Date.now() + 3_600_000 + 5_000);
    await desktop.core.changesDone(); // its save, then its filters
    expect(sim.connect(attempt(CHAT, '203.0.113.70', 5222)).action).toBe('permit');
    expect(sim.connect(attempt(CHAT, '203.0.113.70', 443)).action).toBe('block');
    await prompt.close();
  });

  it('ran without page errors', () => {
    expect(desktop.harness.pageErrors).toEqual([]);
  });
});
