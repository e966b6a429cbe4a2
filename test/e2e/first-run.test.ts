// The first start: a short introduction (what Monitor does, how to allow, starting with Windows), once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesktop, type Desktop } from './support/desktop';
import { axeViolations } from './support/layout-checks';
import { MAIN_SIZES } from './support/window-sizes';

let desktop: Desktop;

beforeAll(async () => {
  desktop = await startDesktop({ firstRun: true });
});

afterAll(async () => {
  await desktop?.close();
});

describe('the first run', () => {
  it('introduces Monitor, Allow and starting with Windows, then never again', async () => {
    const size = MAIN_SIZES[1]!;
    const page = await desktop.harness.open('index.html');
    await page.setViewportSize({ width: size.width, height: size.height });
    const intro = page.getByRole('dialog', { name: 'Welcome to Portcullis' });
    await intro.waitFor();
    await intro.getByRole('heading', { name: 'It starts in Monitor' }).waitFor();
    await intro.getByText(/blocks nothing of its own/).waitFor();
    await intro.getByRole('heading', { name: 'Letting an app through' }).waitFor();
    await intro.getByRole('heading', { name: 'Start with Windows' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await intro.getByRole('button', { name: 'Start' }).click();
    await intro.waitFor({ state: 'detached' });
    await expect.poll(() => desktop.core.snapshot().settings.introSeen).toBe(true);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Blocked apps' }).waitFor();
    await page.waitForTimeout(300);
    expect(await page.getByRole('dialog', { name: 'Welcome to Portcullis' }).count()).toBe(0);
    await page.close();
  });

  it('ran without page errors', () => {
    expect(desktop.harness.pageErrors).toEqual([]);
  });
});
