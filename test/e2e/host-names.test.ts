// Domain names as the user meets them: the prompt leads with the name the program looked up, the Blocked row and the
// detail panel show "name (address)", and a reverse-DNS name says that it is one.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import koffi from 'koffi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorPath } from '../../native/loader';
import { loadDnsSimControl } from '../../native/etw/sim-control';
import { resultsDir } from './harness/index';
import { appRow, attempt, openMainPage, startDesktop, until, type Desktop } from './support/desktop';

const CHROME = 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe';
const TOOL = 'C:\\Tools\\sync-tool.exe';

let desktop: Desktop;
let page: Page;

beforeAll(async () => {
  const dns = loadDnsSimControl();
  dns.reset();
  dns.setProcess(5100, CHROME);
  // chrome.exe is on the simulated disk in its real case; WFP reports it in lower case.
  koffi.load(simulatorPath()).func('sim_add_file', 'uint32_t', ['char16_t *'])(CHROME);
  desktop = await startDesktop({
    // The reverse name of the tool's address: a CDN machine name, as reverse DNS usually gives.
    resolver: { reverse: (a: string) => Promise.resolve(a === '198.51.100.77' ? ['edge-77.cdn.example'] : []) },
  });
  const { core, sim } = desktop;
  await until(() => dns.sessions() === 1, 'the DNS names session');
  dns.answer(5100, 'accounts.contoso.example', '::ffff:203.0.113.20;');
  await new Promise((r) => setTimeout(r, 200));
  await core.handlers['mode.set']({ mode: 'enforce' });
  sim.connectRepeat(attempt(CHROME, '203.0.113.20', 443), 2);
  sim.connectRepeat(attempt(TOOL, '198.51.100.77', 443), 2);
  await until(() => core.snapshot().decisions.length >= 2, 'two decisions');
  page = await openMainPage(desktop);
}, 60_000);

afterAll(async () => {
  await desktop?.close();
});

describe('domain names in the window and the prompt', () => {
  it('the prompt leads with the name the program looked up', async () => {
    const prompt = await desktop.harness.open('prompt.html');
    // The prompt's queue is a switcher: pick the app's decision from it.
    const switcher = prompt.getByRole('navigation', { name: 'Pending decisions' }).getByRole('combobox');
    const option = await switcher.locator('option', { hasText: 'Google Chrome' }).first().textContent();
    await switcher.selectOption({ label: option ?? '' });
    await expect
      .poll(() => prompt.locator('.decision__want').textContent())
      .toBe('Google Chrome wants to reach accounts.contoso.example');
    await prompt.screenshot({ path: join(resultsDir, 'host-names-prompt.png') });
    await prompt.close();
  });

  it('rows show the looked-up name, and a reverse name is marked as one', async () => {
    await expect.poll(() => appRow(page, 'Google Chrome').textContent()).toContain('accounts.contoso.example:443');
    await appRow(page, 'Sync Tool').getByRole('button', { name: 'Sync Tool', exact: true }).click();
    const detail = page.getByRole('complementary', { name: 'Details for Sync Tool' });
    await expect.poll(() => detail.textContent()).toContain('edge-77.cdn.example (reverse name)');
    await page.screenshot({ path: join(resultsDir, 'host-names-rows.png') });
  });

  it('ran without page errors', () => {
    expect(desktop.harness.pageErrors).toEqual([]);
  });
});
