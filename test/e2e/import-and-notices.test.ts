// Import a mixed file and get exactly what the preview said; a rule that cannot be applied is kept, marked "Not
// enforced" with its reason, announced once in a notice that can be closed, and can be removed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RULES_SCHEMA_VERSION } from '../../electron/core/rules/schema';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Rule } from '../../electron/core/model';
import { goToView, openMainPage, startDesktop, until, type Desktop } from './support/desktop';

function rule(id: string, path: string, extra: Partial<Rule> = {}): Rule {
  return {
    id,
    app: { key: `path:${path.toLowerCase()}`, kind: 'path', displayName: id, path },
    action: 'allow',
    direction: 'out',
    duration: { kind: 'forever' },
    created: 1,
    source: 'user',
    ...extra,
  };
}

const SYSTEM_BLOCK: Rule = {
  id: 'sys',
  app: { key: 'system', kind: 'system', displayName: 'System', path: 'System' },
  action: 'block',
  direction: 'in',
  duration: { kind: 'forever' },
  created: 1,
  source: 'user',
};

const exportOf = (rules: readonly Rule[]) =>
  Buffer.from(JSON.stringify({ format: 'portcullis-rules', schemaVersion: RULES_SCHEMA_VERSION, rules }));

let desktop: Desktop;
let page: Page;

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'portcullis-e2e-import-'));
  // A rule for a program on a USB drive that is not plugged in.
  writeFileSync(
    join(dataDir, 'rules.json'),
    JSON.stringify({ schemaVersion: 1, rules: [rule('Portable editor', 'F:\\portable\\editor.exe')], ignored: [] }),
  );
  desktop = await startDesktop({ dataDir });
  page = await openMainPage(desktop);
});

afterAll(async () => {
  await desktop?.close();
});

describe('a rule that cannot be applied', () => {
  it('is announced once in a notice that can be closed, marked in Rules with its reason, and can be removed', async () => {
    const notices = page.getByRole('list', { name: 'Notices' });
    const notice = notices.getByRole('listitem').filter({ hasText: 'kept but not enforced' });
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(/Portable editor \(drive F: is not present/);
    await notice.getByRole('button', { name: 'Close notice' }).click();
    await notice.waitFor({ state: 'detached' });

    await goToView(page, 'Rules', 'Rules');
    const row = page.getByRole('grid', { name: 'Rules' }).getByRole('row', { name: 'Portable editor', exact: true });
    await row.getByLabel(/^Not enforced: drive F: is not present/).waitFor();
    await row.getByRole('button', { name: 'Remove rule for Portable editor' }).click();
    await page
      .getByRole('dialog', { name: 'Remove the rule for Portable editor?' })
      .getByRole('button', { name: 'Remove rule' })
      .click();
    await until(() => desktop.core.snapshot().rules.length === 0 || undefined, 'the rule to be removed');
  });
});

describe('import', () => {
  it('refuses a file with a rule WFP cannot take, says nothing is imported, and writes nothing', async () => {
    await goToView(page, 'Rules', 'Rules');
    await page.getByLabel('Rules file to import').setInputFiles({
      name: 'mixed.json',
      mimeType: 'application/json',
      buffer: exportOf([
        rule('Quill', 'C:\\Program Files\\Quill\\quill.exe'),
        rule('Share', '\\\\attacker\\share\\x.exe'),
      ]),
    });
    const dialog = page.getByRole('dialog', { name: 'Import rules from mixed.json' });
    await dialog
      .getByRole('region', { name: 'Errors' })
      .getByText(/rule 2 \(Share\): programs on network shares/)
      .waitFor();
    await dialog.getByText('Nothing is imported while a rule has an error').waitFor();
    expect(await dialog.getByRole('button', { name: 'Nothing to import' }).isDisabled()).toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(desktop.core.snapshot().rules).toEqual([]);
  });

  it('shows each rule with its real path, action, direction and a review mark, and writes exactly that', async () => {
    const wolf = rule('Windows Update', 'C:\\Users\\Public\\wolf.exe', { remotePort: 4444, protocol: 6 });
    await page.getByLabel('Rules file to import').setInputFiles({
      name: 'shared.json',
      mimeType: 'application/json',
      buffer: exportOf([wolf, SYSTEM_BLOCK]),
    });
    const dialog = page.getByRole('dialog', { name: 'Import rules from shared.json' });
    const list = dialog.getByRole('region', { name: 'Rules to import' });
    await list.getByText('C:\\Users\\Public\\wolf.exe', { exact: true }).waitFor();
    await list.getByText(/Outbound, TCP, to port 4444/).waitFor();
    await list.getByText(/this rule allows a program in a folder other programs can write to/).waitFor();
    await list.getByText(/this rule blocks System/).waitFor();
    await dialog.getByText('All or nothing').waitFor();
    await dialog.getByRole('button', { name: 'Import 2 rules' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Imported 2 rules from shared.json').waitFor();
    const written = desktop.core
      .snapshot()
      .rules.map((r) => `${r.action} ${r.direction} ${r.app.path} ${r.remotePort ?? '*'}`)
      .sort();
    expect(written).toEqual(['allow out C:\\Users\\Public\\wolf.exe 4444', 'block in System *']);
  });
});
