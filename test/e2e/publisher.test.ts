// Publishers as the user meets them: the Blocked row says who signed each app, the detail panel and the prompt spell
// out why a look-alike is a risk, and the Rules view carries the signer next to the rule's app.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTrustSimControl } from '../../native/wintrust/sim-control';
import { TRUST_RESULT } from '../../native/wintrust/types';
import { resultsDir } from './harness/index';
import { appRow, attempt, openMainPage, startDesktop, until, type Desktop } from './support/desktop';

const CHROME = 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe';
const FAKE_VLC = 'C:\\Users\\ana\\Downloads\\vlc.exe';
const TAMPERED = 'C:\\Tools\\backup-agent.exe';

let desktop: Desktop;
let page: Page;

beforeAll(async () => {
  const trust = loadTrustSimControl();
  trust.reset();
  trust.setFileSignature(CHROME, 0, 'Google LLC');
  trust.setFileSignature(FAKE_VLC, TRUST_RESULT.TRUST_E_NOSIGNATURE);
  trust.setFileSignature(TAMPERED, TRUST_RESULT.TRUST_E_BAD_DIGEST);
  desktop = await startDesktop();
  const { core, sim } = desktop;
  await core.handlers['mode.set']({ mode: 'enforce' });
  for (const path of [CHROME, FAKE_VLC, TAMPERED]) sim.connectRepeat(attempt(path, '198.51.100.30', 443), 2);
  await until(
    () => core.snapshot().apps.filter((a) => a.publisher !== undefined).length >= 3,
    'three publishers checked',
  );
  page = await openMainPage(desktop);
}, 60_000);

afterAll(async () => {
  await desktop?.close();
});

describe('publishers in the window and the prompt', () => {
  it('each Blocked row says who signed the app, and marks the look-alike and the changed file', async () => {
    await expect.poll(() => appRow(page, 'Google Chrome').textContent()).toContain('Google LLC, verified');
    expect(await appRow(page, 'VLC media player').textContent()).toContain('⚠ not signed');
    expect(await appRow(page, 'Backup Agent').textContent()).toContain('⚠ signature does not match');
    await page.screenshot({ path: join(resultsDir, 'publisher-rows.png') });
  });

  it('the detail panel spells the risk out', async () => {
    await appRow(page, 'VLC media player').getByRole('button', { name: 'VLC media player', exact: true }).click();
    const detail = page.getByRole('complementary', { name: 'Details for VLC media player' });
    await expect.poll(() => detail.textContent()).toContain('Calls itself VLC media player but is not signed.');
    await page.screenshot({ path: join(resultsDir, 'publisher-detail.png') });
    await page.getByRole('button', { name: 'Close details' }).click();
  });

  it('the prompt shows the publisher and the risk of the app waiting for a decision', async () => {
    const prompt = await desktop.harness.open('prompt.html');
    await prompt.getByRole('heading', { level: 1, name: /blocked connections? needs? a decision/ }).waitFor();
    // The prompt's queue is a switcher: pick the app's decision from it.
    const switcher = prompt.getByRole('navigation', { name: 'Pending decisions' }).getByRole('combobox');
    const option = await switcher.locator('option', { hasText: 'VLC media player' }).first().textContent();
    await switcher.selectOption({ label: option ?? '' });
    await expect
      .poll(() => prompt.locator('body').textContent())
      .toContain('Calls itself VLC media player but is not signed.');
    await prompt.screenshot({ path: join(resultsDir, 'publisher-prompt.png') });
    await prompt.close();
  });

  it('ran without page errors', () => {
    expect(desktop.harness.pageErrors).toEqual([]);
  });
});
