// What the desktop-app tests share: the real core on the simulator behind the harness, the simulator's controls
// to make apps connect, an independent enumeration of our WFP filters, and ways to find things in the page the
// way a person would (by role and name).
import { mkdirSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import type { Mode } from '../../../electron/core/model';
import type { OurFilter } from '../../../native/api';
import { WfpEngine } from '../../../native/engine';
import { createFilterManager } from '../../../native/filters';
import { loadWfp } from '../../../native/loader';
import { loadSimControl, type SimConnection, type SimControl } from '../../../native/sim-control';
import { startSimulatedCore, type SimulatedCore, type SimulatedCoreOptions } from '../harness/core';
import { resultsDir, startHarness, type Harness, type HarnessOptions } from '../harness/index';

export interface Desktop {
  readonly core: SimulatedCore;
  readonly harness: Harness;
  readonly sim: SimControl;
  close(): Promise<void>;
}

export async function startDesktop(
  options: SimulatedCoreOptions = {},
  shell: Pick<HarnessOptions, 'icon'> = {},
): Promise<Desktop> {
  mkdirSync(resultsDir, { recursive: true });
  const core = await startSimulatedCore(options);
  const harness = await startHarness({ core, ...shell });
  const sim = loadSimControl(loadWfp());
  return { core, harness, sim, close: () => harness.close() };
}

/** Switches core to `mode` when one is given, then opens the main page and waits for its first view. */
export async function openMainPage(desktop: Desktop, mode?: Mode): Promise<Page> {
  if (mode) await desktop.core.handlers['mode.set']({ mode });
  const page = await desktop.harness.open('index.html');
  await page.getByRole('heading', { level: 1, name: 'Blocked apps' }).waitFor();
  return page;
}

/** One outbound TCP attempt by the executable at `appPath`. */
export function attempt(appPath: string, remoteAddress = '203.0.113.10', remotePort = 443): SimConnection {
  return {
    appPath,
    localAddress: '192.168.1.10',
    remoteAddress,
    localPort: 50_000,
    remotePort,
    protocol: 6,
    direction: 'out',
  };
}

/** Our filters as WFP lists them (FwpmFilterEnum0 in a session of its own), not as core remembers them. */
export async function enumerateOurFilters(): Promise<OurFilter[]> {
  const engine = await WfpEngine.open(loadWfp(), { dynamic: true, name: 'Portcullis e2e check' });
  try {
    return await createFilterManager(engine).listOurs();
  } finally {
    await engine.close();
  }
}

export async function until<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 5_000,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const blockedTable = (page: Page): Locator => page.getByRole('grid', { name: 'Blocked apps' });
export const appRow = (page: Page, name: string): Locator => blockedTable(page).getByRole('row', { name, exact: true });
/** The cells of a Blocked row, in column order: select, app, path, blocked, last seen, destinations, by, state, decide
 * (with the detail panel closed: while it is open, path and destinations step aside). */
export const BLOCKED_COLUMN = { count: 3, blockedBy: 6, state: 7 } as const;
export const cellText = async (row: Locator, column: number): Promise<string> =>
  ((await row.getByRole('gridcell').nth(column).textContent()) ?? '').trim();

export const parseCount = (text: string): number => Number(text.replace(/[^\d]/g, ''));

export async function goToView(page: Page, link: string, heading: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: link }).first().click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor({ timeout: 5_000 });
}
