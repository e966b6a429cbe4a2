// The Windows ABI lane (npm run test:wine): the native suite in Windows Node under Wine, loading the simulator
// built as a Windows DLL. Only scripts/test-wine.mjs runs it: it prepares the Windows runtime and sets
// PORTCULLIS_SIM_LIB and NODE_OPTIONS (koffi's win32 build, see scripts/wine-lane/koffi-hook.mjs).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

interface Selection {
  files: string[];
  notUnderWine: { test: string; why: string }[];
}

const root = fileURLToPath(new URL('../..', import.meta.url));
const selection = JSON.parse(readFileSync(new URL('selection.json', import.meta.url), 'utf8')) as Selection;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// Tests are named in full ("describe test"); the listed ones are deselected by name, everything else runs.
const deselected = selection.notUnderWine.map((t) => escape(t.test)).join('|');

export default defineConfig({
  test: {
    root,
    include: selection.files,
    testNamePattern: deselected ? new RegExp(`^(?!.*(?:${deselected})$)`) : undefined,
    globalSetup: ['test/wine/global-setup.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
