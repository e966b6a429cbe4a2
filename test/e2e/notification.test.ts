// The new-block notification at its real size (360x260, as electron/main/notification-window.ts creates it): the app
// named by its full path, Allow and Block that wake up only after the click guard, one click that decides, and
// "More…" that hands the decision to the inbox.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTIFICATION_HEIGHT, NOTIFICATION_WIDTH } from '../../electron/main/notification-window';
import { loadTrustSimControl } from '../../native/wintrust/sim-control';
import { TRUST_RESULT } from '../../native/wintrust/types';
import { resultsDir } from './harness/index';
import { attempt, startDesktop, until, type Desktop } from './support/desktop';

const TOOL = 'C:\\Users\\Public\\Downloads\\updater-helper\\msmpeng.exe';
const OTHER = 'C:\\Program Files\\SyncBox\\syncbox.exe';

let desktop: Desktop;
let page: Page;

beforeAll(async () => {
  // The look-alike is unsigned, as a tool dropped in a Downloads folder would be.
  const trust = loadTrustSimControl();
  trust.reset();
  trust.setFileSignature(TOOL, TRUST_RESULT.TRUST_E_NOSIGNATURE);
  desktop = await startDesktop();
  await desktop.core.handlers['mode.set']({ mode: 'enforce' });
  page = await desktop.harness.open('notification.html', {
    size: { width: NOTIFICATION_WIDTH, height: NOTIFICATION_HEIGHT },
  });
});

afterAll(async () => {
  await desktop?.close();
});

const decisionFor = (path: string) =>
  desktop.core.snapshot().decisions.find((d) => d.app.path?.toLowerCase() === path.toLowerCase());

async function announce(path: string) {
  expect(desktop.sim.connect(attempt(path, '198.51.100.7', 4444)).action).toBe('block');
  const decision = await until(() => decisionFor(path), `a decision for ${path}`);
  await desktop.harness.emit('notify', { decisionId: decision.id, title: 'x', body: 'y' });
  return decision;
}

describe('notification window', () => {
  it('names the app by its full path, fits its window, and decides in one click once armed', async () => {
    const decision = await announce(TOOL);
    const card = page.getByRole('region', { name: `${decision.app.path!.split('\\').pop()} was blocked` });
    await card.waitFor({ timeout: 3_000 });
    // The path, not a friendly name, so a msmpeng.exe in a user folder cannot pass for Defender.
    expect(await card.getByText(new RegExp(`^${TOOL.replace(/\\/g, '\\\\')}$`, 'i')).count()).toBe(1);
    expect(await page.getByText('Microsoft Defender Antivirus').count()).toBe(0);
    await card.getByText(/198\.51\.100\.7/).waitFor();
    // And by its signature as core checked it, so a path that looks right still shows whose code it is.
    await card.getByText('not signed').waitFor({ timeout: 5_000 });

    const allow = card.getByRole('button', { name: 'Allow' });
    expect(await allow.isDisabled()).toBe(true);
    const overflow = await page.evaluate(() => ({
      x: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      y: document.documentElement.scrollHeight - document.documentElement.clientHeight,
    }));
    expect(overflow).toEqual({ x: 0, y: 0 });
    // Laid out to be read: the name whole, and the buttons below the path and the signer, not squeezed beside them.
    expect(await card.getByRole('heading').evaluate((h) => h.scrollWidth <= h.clientWidth)).toBe(true);
    const where = (await card.getByText('not signed').boundingBox())!;
    const button = (await allow.boundingBox())!;
    expect(button.y).toBeGreaterThanOrEqual(where.y + where.height - 1);
    await page.screenshot({ path: join(resultsDir, 'notification-360x260.png') });

    await until(async () => !(await allow.isDisabled()), 'Allow to arm', 4_000);
    await allow.click();
    await until(
      () => desktop.core.snapshot().rules.find((r) => r.app.path?.toLowerCase() === TOOL.toLowerCase()),
      'an allow rule',
    );
    await desktop.core.changesDone(); // its save, then its filters
    expect(desktop.sim.connect(attempt(TOOL, '198.51.100.7', 4444)).action).toBe('permit');
    await card.waitFor({ state: 'detached', timeout: 3_000 });
  });

  it('"More…" hands the decision to the inbox window', async () => {
    const decision = await announce(OTHER);
    const card = page.getByRole('region', { name: `${decision.app.path!.split('\\').pop()} was blocked` });
    await card.getByRole('button', { name: 'More…' }).click();
    await until(() => desktop.harness.inboxRequests.includes(decision.id), 'inbox.open');
    expect(desktop.harness.pageErrors).toEqual([]);
  });
});
