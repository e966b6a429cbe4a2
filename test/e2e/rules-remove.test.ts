// Removing a rule in the Rules view removes its WFP filters (checked by enumerating WFP, not by asking core) and the
// app is blocked again.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appRow,
  attempt,
  BLOCKED_COLUMN,
  cellText,
  enumerateOurFilters,
  goToView,
  openMainPage,
  startDesktop,
  until,
  type Desktop,
} from './support/desktop';

const EDITOR = 'C:\\Program Files\\Quill\\quill.exe';

let desktop: Desktop;
let page: Page;

beforeAll(async () => {
  desktop = await startDesktop();
  page = await openMainPage(desktop, 'enforce');
});

afterAll(async () => {
  await desktop?.close();
});

const rulesFor = (path: string) =>
  desktop.core.snapshot().rules.filter((r) => r.app.path?.toLowerCase() === path.toLowerCase());

describe('removing a rule', () => {
  it('removes its filters from WFP and the app is blocked again', async () => {
    const baseline = new Set((await enumerateOurFilters()).map((f) => f.filterId));
    expect(desktop.sim.connect(attempt(EDITOR)).action).toBe('block');
    const name = await until(
      () =>
        desktop.core.snapshot().apps.find((a) => a.identity.path?.toLowerCase() === EDITOR.toLowerCase())?.identity
          .displayName,
      'the editor in the app index',
    );

    const row = appRow(page, name);
    await row.waitFor();
    await row.getByRole('button', { name: `Allow ${name}` }).click();
    await until(async () => (await cellText(row, BLOCKED_COLUMN.state)) === 'Allowed', 'the row to show Allowed');
    const rule = rulesFor(EDITOR)[0]!;
    expect(rule.action).toBe('allow');
    const withRule = await enumerateOurFilters();
    const ruleFilters = withRule.filter((f) => !baseline.has(f.filterId));
    expect(ruleFilters.length).toBeGreaterThan(0);
    expect(desktop.sim.connect(attempt(EDITOR)).action).toBe('permit');

    await goToView(page, 'Rules', 'Rules');
    const rulesTable = page.getByRole('grid', { name: 'Rules' });
    const ruleRow = rulesTable.getByRole('row', { name, exact: true });
    await ruleRow.getByRole('button', { name: `Remove rule for ${name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Remove the rule for ${name}?` });
    await dialog.waitFor();
    // Cancel keeps it.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(rulesFor(EDITOR)).toHaveLength(1);
    await ruleRow.getByRole('button', { name: `Remove rule for ${name}` }).click();
    await dialog.getByRole('button', { name: 'Remove rule' }).click();
    await ruleRow.waitFor({ state: 'detached', timeout: 3_000 });
    expect(rulesFor(EDITOR)).toEqual([]);

    const after = new Set((await enumerateOurFilters()).map((f) => f.filterId));
    for (const f of ruleFilters)
      expect(after.has(f.filterId), `filter ${f.name} (${f.filterId}) still present`).toBe(false);
    expect(desktop.sim.connect(attempt(EDITOR)).action).toBe('block');
  });

  it('ran without page errors', () => {
    expect(desktop.harness.pageErrors).toEqual([]);
  });
});
