// Windows services as the user meets them: with auditing off an svchost row says "service unknown" and how to
// name it; the Settings checkbox turns Windows' auditing of blocked connections on, and the next blocked svchost
// connection is a row named for its service.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryConnectionAudit } from '../../native/services/audit-policy';
import { loadServicesSimControl } from '../../native/services/sim-control';
import type { SimConnection } from '../../native/sim-control';
import { resultsDir } from './harness/index';
import { appRow, goToView, openMainPage, startDesktop, until, type Desktop } from './support/desktop';

const svc = loadServicesSimControl();
const SVCHOST = 'C:\\Windows\\System32\\svchost.exe';
// A LAN peer offers Delivery Optimization: blocked in every mode by Windows' default inbound rule.
const peer = (remote: string): SimConnection => ({
  appPath: SVCHOST,
  userSid: 'S-1-5-20',
  direction: 'in',
  protocol: 6,
  localAddress: '192.0.2.10',
  localPort: 7680,
  remoteAddress: remote,
  remotePort: 50220,
});

let desktop: Desktop;
let page: Page;

beforeAll(async () => {
  svc.reset();
  svc.setService('DoSvc', 3120, { displayName: 'Delivery Optimization', type: 0x10 });
  desktop = await startDesktop();
  page = await openMainPage(desktop);
}, 60_000);

afterAll(async () => {
  await desktop?.close();
  svc.reset();
});

describe('svchost services in the window', () => {
  it('with auditing off, an svchost row says the service is unknown and how to name it', async () => {
    svc.connectFrom(3120, peer('198.51.100.60'));
    const row = appRow(page, 'svchost (service unknown)');
    await expect.poll(() => row.textContent()).toContain('turn on Settings › Tell Windows services apart');
  });

  it('the Settings checkbox turns auditing on, and the next blocked connection names its service', async () => {
    await goToView(page, 'Settings', 'Settings');
    const box = page.getByRole('checkbox', { name: 'Tell Windows services apart' });
    await expect.poll(() => box.isChecked()).toBe(false);
    await expect
      .poll(() => page.locator('#services-help').textContent())
      .toContain('turns on Windows security auditing of blocked connections');
    // A controlled checkbox: it shows the saved setting once core has answered.
    await box.click();
    await until(() => desktop.core.snapshot().settings.tellServicesApart === true, 'the setting saved');
    expect(queryConnectionAudit()).toBe(2);
    svc.connectFrom(3120, peer('198.51.100.61'));
    await goToView(page, 'Blocked', 'Blocked apps');
    const row = appRow(page, 'Delivery Optimization (dosvc)');
    await expect.poll(() => row.count()).toBe(1);
    await page.screenshot({ path: join(resultsDir, 'services-named.png') });
    await goToView(page, 'Settings', 'Settings');
    await page.getByRole('checkbox', { name: 'Tell Windows services apart' }).click();
    await until(() => queryConnectionAudit() === 0, 'the audit setting put back');
  });

  it('ran without page errors', () => {
    expect(desktop.harness.pageErrors).toEqual([]);
  });
});
