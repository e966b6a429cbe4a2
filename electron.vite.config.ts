import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { CONTENT_SECURITY_POLICY } from './electron/main/csp';

const root = import.meta.dirname;
const at = (path: string): string => resolve(root, path);

// The CLI shares main's bundle folder so that `portcullis` and the app load the same core code. It is written by
// core; until it exists the build simply has one main entry.
const cliEntry = at('electron/core/cli/index.ts');
// The file-lookup thread's script (native/lookups/worker.ts) is an entry of its own beside them: FileLookups starts
// it from main's bundle folder.
const mainInput: Record<string, string> = {
  index: at('electron/main/index.ts'),
  'file-lookups-worker': at('native/lookups/worker.ts'),
};
if (existsSync(cliEntry)) mainInput.cli = cliEntry;

// Every page carries the policy main serves as a header, from the one definition in electron/main/csp.ts, also as a
// <meta> (it holds where a page is opened without our header, a file:// load). frame-ancestors is left out there: a
// <meta> policy ignores it (CSP Level 3, 'The frame-ancestors directive') and Chromium warns.
const metaPolicy = CONTENT_SECURITY_POLICY.split('; ')
  .filter((directive) => !directive.startsWith('frame-ancestors'))
  .join('; ');
const policyInEveryPage = {
  name: 'portcullis-csp-meta',
  transformIndexHtml: () => [
    {
      tag: 'meta',
      attrs: { 'http-equiv': 'Content-Security-Policy', content: metaPolicy },
      injectTo: 'head-prepend' as const,
    },
  ],
};

export default defineConfig({
  main: {
    build: {
      outDir: at('out/main'),
      // koffi loads a platform binary next to its own files; bundling it would lose that binary.
      externalizeDeps: { include: ['koffi'] },
      rolldownOptions: {
        input: mainInput,
        external: ['koffi'],
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: at('out/preload'),
      // A sandboxed preload can require only a few built-ins, so everything it uses is bundled into one CommonJS
      // file (a sandboxed preload cannot be an ES module).
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: at('electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: at('renderer'),
    plugins: [react(), policyInEveryPage],
    build: {
      outDir: at('out/renderer'),
      rolldownOptions: {
        input: {
          index: at('renderer/index.html'),
          prompt: at('renderer/prompt.html'),
          notification: at('renderer/notification.html'),
        },
      },
    },
  },
});
