// The other views against the real core: edit a rule's scope (and WFP follows), export and re-import the rules
// through the preview, pause and export the activity log, and commit what Learning proposed.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt, goToView, openMainPage, startDesktop, until, type Desktop } from './support/desktop';

const MAIL = 'C:\\Program Files\\Northwind Mail\\nwmail.exe';
const BACKUP = 'C:\\Program Files\\Woodgrove Backup\\wgbackup.exe';

let desktop: Desktop;
let page: Page;

const rulesFor = (path: string) =>
  desktop.core.snapshot().rules.filter((r) => r.app.path?.toLowerCase() === path.toLowerCase());
const appFor = (path: string) =>
  desktop.core.snapshot().apps.find((a) => a.identity.path?.toLowerCase() === path.toLowerCase());

async function download(trigger: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), trigger()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

beforeAll(async () => {
  desktop = await startDesktop();
  page = await openMainPage(desktop, 'enforce');
});

afterAll(async () => {
  await desktop?.close();
});

describe('Rules: edit, export, import', () => {
  it('narrows a rule to one port and protocol; WFP follows the edit', async () => {
    expect(desktop.sim.connect(attempt(MAIL, '203.0.113.25', 993)).action).toBe('block');
    const app = await until(() => appFor(MAIL), 'the mail client in the index');
    await desktop.core.handlers['apps.decide']({ appKeys: [app.identity.key], decision: 'allow' });
    expect(desktop.sim.connect(attempt(MAIL, '203.0.113.25', 25)).action).toBe('permit');
    const name = app.identity.displayName;

    await goToView(page, 'Rules', 'Rules');
    const row = page.getByRole('grid', { name: 'Rules' }).getByRole('row', { name, exact: true });
    await row.getByRole('button', { name: `Edit rule for ${name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Edit rule for ${name}` });
    await dialog.getByRole('combobox', { name: 'Protocol' }).selectOption({ label: 'TCP' });
    await dialog.getByRole('textbox', { name: 'To port (the other computer)' }).fill('70000');
    await dialog.getByRole('button', { name: 'Save rule' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'from 1 to 65535' }).waitFor();
    expect(rulesFor(MAIL)[0]!.remotePort).toBeUndefined();

    await dialog.getByRole('textbox', { name: 'To port (the other computer)' }).fill('993');
    await dialog.getByRole('textbox', { name: 'Note' }).fill('IMAP only');
    await dialog.getByRole('button', { name: 'Save rule' }).click();
    await dialog.waitFor({ state: 'detached' });
    const rule = await until(() => rulesFor(MAIL).find((r) => r.remotePort === 993), 'the edited rule');
    expect(rule.protocol).toBe(6);
    expect(rule.note).toBe('IMAP only');
    await row.getByText('Outbound, TCP, to port 993, any address').waitFor();
    await desktop.core.changesDone(); // its save, then its filters
    expect(desktop.sim.connect(attempt(MAIL, '203.0.113.25', 993)).action).toBe('permit');
    expect(desktop.sim.connect(attempt(MAIL, '203.0.113.25', 25)).action).toBe('block');
  });

  it('exports the rules as a file and restores them through the import preview', async () => {
    const exported = await download(() => page.getByRole('button', { name: 'Export rules' }).click());
    expect(exported.name).toMatch(/^portcullis-rules-.*\.json$/);
    expect(JSON.parse(exported.text).rules).toHaveLength(1);

    const id = rulesFor(MAIL)[0]!.id;
    await desktop.core.handlers['rules.remove']({ ids: [id] });
    await page.getByText('No rules yet').waitFor();
    expect(desktop.sim.connect(attempt(MAIL, '203.0.113.25', 993)).action).toBe('block');

    await page.getByLabel('Rules file to import').setInputFiles({
      name: 'backup.json',
      mimeType: 'application/json',
      buffer: Buffer.from(exported.text),
    });
    const preview = page.getByRole('dialog', { name: 'Import rules from backup.json' });
    await preview.getByText('1 new, 0 replacing existing rules, 0 unchanged').waitFor();
    await preview
      .getByRole('region', { name: 'Rules to import' })
      .getByText(/IMAP|port 993/)
      .first()
      .waitFor();
    await preview.getByRole('button', { name: 'Import 1 rule' }).click();
    await preview.waitFor({ state: 'detached' });
    await until(() => rulesFor(MAIL)[0], 'the imported rule');
    await desktop.core.changesDone(); // its save, then its filters
    expect(desktop.sim.connect(attempt(MAIL, '203.0.113.25', 993)).action).toBe('permit');

    await page.getByLabel('Rules file to import').setInputFiles({
      name: 'notes.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"hello": "world"}'),
    });
    // A file that is not an export: the preview says why and offers nothing to import.
    const refused = page.getByRole('dialog', { name: 'Import rules from notes.json' });
    await refused
      .getByRole('region', { name: 'Errors' })
      .getByText(/not a Portcullis rules export/)
      .waitFor();
    expect(await refused.getByRole('button', { name: 'Nothing to import' }).isDisabled()).toBe(true);
    await refused.getByRole('button', { name: 'Cancel' }).click();
    await refused.waitFor({ state: 'detached' });
    expect(rulesFor(MAIL)).toHaveLength(1);
  });
});

describe('Activity', () => {
  it('pauses the live log, counts what arrived meanwhile, resumes and exports CSV', async () => {
    await goToView(page, 'Activity', 'Activity');
    const log = page.getByRole('grid', { name: 'Activity log' });
    await log.waitFor();
    await page.getByRole('button', { name: 'Pause' }).click();
    const shownWhilePaused = await log.getByRole('row').count();
    desktop.sim.connectRepeat(attempt(BACKUP, '198.51.100.77', 8443), 3);
    await page.getByRole('status').filter({ hasText: 'Paused · 3 new since' }).waitFor({ timeout: 3_000 });
    expect(await log.getByRole('row').count()).toBe(shownWhilePaused);
    const backupName = (await until(() => appFor(BACKUP), 'the backup tool')).identity.displayName;
    expect(await log.getByRole('row', { name: backupName, exact: true }).count()).toBe(0);

    await page.getByRole('button', { name: 'Resume' }).click();
    await log.getByRole('row', { name: backupName, exact: true }).first().waitFor();
    await page.getByRole('searchbox', { name: 'Filter activity' }).fill('198.51.100.77');
    expect(await log.getByRole('row').count()).toBe(3 + 1);

    const csv = await download(() => page.getByRole('button', { name: 'Export CSV' }).click());
    expect(csv.name).toMatch(/\.csv$/);
    expect(csv.text.split('\n')[0]).toMatch(/time/i);
    expect(csv.text).toContain('198.51.100.77');
  });
});

describe('Learning', () => {
  it('shows what apps contacted as proposed rules and commits the selected one', async () => {
    await goToView(page, 'Learning', 'Learning');
    await page.getByRole('button', { name: 'Start learning' }).click();
    await until(() => desktop.core.status().mode === 'learning', 'Learning mode');
    const SYNC = 'C:\\Program Files\\Litware Sync\\lwsync.exe';
    const CHAT = 'C:\\Program Files\\Adatum Chat\\achat.exe';
    desktop.sim.connectRepeat(attempt(SYNC, '203.0.113.90', 443), 2);
    desktop.sim.connectRepeat(attempt(CHAT, '203.0.113.91', 5222), 2);
    const list = page.getByRole('list', { name: 'Proposed rules' });
    const sync = await until(
      () => desktop.core.snapshot().candidates.find((c) => c.app.path?.toLowerCase() === SYNC.toLowerCase()),
      'a proposal for the sync client',
    );
    const item = list.getByRole('listitem', { name: sync.app.displayName });
    await item.getByText('203.0.113.90:443').waitFor();
    await item.getByRole('checkbox', { name: `Select ${sync.app.displayName}` }).check();
    await page.getByRole('button', { name: 'Commit selected (1)' }).click();
    const rule = await until(() => rulesFor(SYNC)[0], 'the committed rule');
    expect(rule.action).toBe('allow');
    await item.waitFor({ state: 'detached' });
    expect(rulesFor(CHAT)).toEqual([]);
    expect(await list.getByRole('listitem').count()).toBeGreaterThan(0);
  });

  it('ran without page errors', () => {
    expect(desktop.harness.pageErrors).toEqual([]);
  });
});
