// Debian's Chromium through playwright-core, with the flags this machine needs (root, no GPU, no network chatter)
// and a fresh profile per launch.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { RENDERER_JS_FLAGS } from '../../../electron/main/renderer-heap';

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // The V8 flags the app gives its pages (electron/main/renderer-heap.ts): the pages run here as they run there.
  `--js-flags=${RENDERER_JS_FLAGS}`,
] as const;

export interface ChromiumOptions {
  readonly headless?: boolean;
  readonly colorScheme?: 'light' | 'dark';
  readonly viewport?: { readonly width: number; readonly height: number } | null;
}

export interface LaunchedChromium {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

export async function launchChromium(options: ChromiumOptions = {}): Promise<LaunchedChromium> {
  const profile = await mkdtemp(join(tmpdir(), 'portcullis-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath(),
      headless: options.headless ?? true,
      args: [...CHROMIUM_FLAGS],
      colorScheme: options.colorScheme ?? 'light',
      viewport: options.viewport === undefined ? { width: 1280, height: 800 } : options.viewport,
      reducedMotion: 'reduce',
    });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Could not start Chromium at ${chromiumPath()} (${message.split('\n')[0]}). ` +
        'Install it (apt-get install chromium) or set CHROMIUM_PATH to a Chromium executable.',
      { cause: error },
    );
  }
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}
