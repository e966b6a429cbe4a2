// The e2e harness: the built renderer in Debian's Chromium, with window.portcullis backed by a real core in this
// process through the same dispatcher main uses. Only the transport differs from the app.
//
//   const core = await startSimulatedCore({ scenario: 'native/sim/scenarios/demo.jsonl' });
//   const harness = await startHarness({ core });
//   const page = await harness.open('index.html');
//   ...
//   await harness.close(); // closes the browser and stops the core
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { Autostart, nodeProcessRunner, systemTempFileWriter } from '../../../electron/core/autostart';
import type { DeltaBatch, NotificationRequest } from '../../../electron/core/model';
import type { EventName, EventPayloads } from '../../../electron/ipc/contract';
import { createDispatcher, pagesSenderCheck, type Dispatcher } from '../../../electron/ipc/dispatch';
import { createAutostartHandlers } from '../../../electron/main/autostart';
import type { CoreService } from '../../../electron/main/core-port';
import { OUR_PAGES } from '../../../electron/main/pages';
import { launchChromium, type ChromiumOptions } from './chromium';
import { EMIT_WIRE_FUNCTION, installBridge } from './page-bridge';
import { serveRenderer } from './server';
import { toWire } from './wire';

export const repoRoot = resolve(import.meta.dirname, '../../..');
export const builtRendererDir = resolve(repoRoot, 'out/renderer');
export const resultsDir = resolve(repoRoot, 'test-results');

export type PageName = 'index.html' | 'prompt.html' | 'notification.html';

export interface HarnessOptions extends ChromiumOptions {
  readonly core: CoreService;
  /** Defaults to out/renderer (run `npm run build` first; `npm run test:e2e` does). */
  readonly rendererDir?: string;
  /** What 'apps.icon' answers; main asks the shell, the harness has no shell icons. */
  readonly icon?: (path: string) => string | null;
  /** Stop the core when the harness closes (default true). */
  readonly stopCoreOnClose?: boolean;
}

export interface Harness {
  readonly origin: string;
  readonly dispatcher: Dispatcher;
  readonly core: CoreService;
  /** Notifications core asked for, in order. */
  readonly notifications: readonly NotificationRequest[];
  /** Decisions a page asked main to open in the inbox window ('inbox.open'). */
  readonly inboxRequests: readonly string[];
  /** Uncaught page errors and console errors of every page, so a broken renderer cannot pass quietly. */
  readonly pageErrors: readonly string[];
  open(
    page: PageName,
    options?: { readonly colorScheme?: 'light' | 'dark'; readonly size?: { width: number; height: number } },
  ): Promise<Page>;
  /** Sends an event to every open page, as main does with webContents.send. */
  emit<E extends EventName>(event: E, payload: EventPayloads[E]): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const { core } = options;
  const server = await serveRenderer(options.rendererDir ?? builtRendererDir);
  const browser = await launchChromium(options).catch(async (error: unknown) => {
    await server.close();
    throw error;
  });
  const pages = new Set<Page>();
  const notifications: NotificationRequest[] = [];
  const pageErrors: string[] = [];
  const inboxRequests: string[] = [];
  const icon = options.icon ?? (() => null);

  const dispatcher = createDispatcher({
    handlers: {
      ...core.handlers,
      'apps.icon': ({ path }) => icon(path),
      // Main brings its inbox window to the front; the harness records the request for the tests.
      'inbox.open': ({ decisionId }) => (inboxRequests.push(decisionId), { opened: true }),
      // The same shell handlers main registers; off Windows they report that autostart is unavailable.
      ...createAutostartHandlers({
        platform: process.platform,
        isPackaged: false,
        exePath: process.execPath,
        // Off Windows the handlers never build it; on Windows the folder is the one the environment names.
        autostart: () => {
          const systemRoot = process.env.SystemRoot ?? 'C:\\Windows';
          return new Autostart({ run: nodeProcessRunner, writeTempFile: systemTempFileWriter(systemRoot), systemRoot });
        },
      }),
    },
    isTrustedSender: pagesSenderCheck(server.origin, OUR_PAGES),
  });
  await installBridge(browser.context, dispatcher);

  const emit = async <E extends EventName>(event: E, payload: EventPayloads[E]): Promise<void> => {
    const text = toWire(payload, `The "${event}" event`);
    await Promise.all(
      [...pages].map((page) =>
        page
          .evaluate(
            ([fn, name, data]) => {
              // Runs in the page, where globalThis is window.
              const deliver = (globalThis as unknown as Record<string, ((e: string, p: string) => void) | undefined>)[
                fn
              ];
              deliver?.(name, data);
            },
            [EMIT_WIRE_FUNCTION, event, text] as const,
          )
          .catch(() => undefined),
      ),
    );
  };
  const unsubscribeDelta = core.onDelta((batch: DeltaBatch) => void emit('delta', batch));
  const unsubscribeNotification = core.onNotification((request) => notifications.push(request));

  return {
    origin: server.origin,
    dispatcher,
    core,
    notifications,
    inboxRequests,
    pageErrors,
    async open(name, pageOptions = {}) {
      const page = await browser.context.newPage();
      pages.add(page);
      page.on('close', () => pages.delete(page));
      page.on('pageerror', (error) => pageErrors.push(`${name}: ${error.message}`));
      page.on('console', (message) => {
        // Failed loads are reported with their URL by the response listener below.
        if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
          pageErrors.push(`${name}: console: ${message.text()}`);
        }
      });
      page.on('response', (response) => {
        // Chromium asks for a favicon by itself; Electron does not, and the app has none to serve.
        if (response.status() >= 400 && new URL(response.url()).pathname !== '/favicon.ico') {
          pageErrors.push(`${name}: HTTP ${response.status()} for ${response.url()}`);
        }
      });
      if (pageOptions.colorScheme) await page.emulateMedia({ colorScheme: pageOptions.colorScheme });
      if (pageOptions.size) await page.setViewportSize(pageOptions.size);
      await page.goto(`${server.origin}/${name}`);
      return page;
    },
    emit,
    async close() {
      unsubscribeDelta();
      unsubscribeNotification();
      await browser.close();
      await server.close();
      if (options.stopCoreOnClose ?? true) await core.stop();
    },
  };
}
