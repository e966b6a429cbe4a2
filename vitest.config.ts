import { defineConfig } from 'vitest/config';

// Three suites, each runnable alone: unit (pure TypeScript), native (koffi into the simulator library),
// e2e (the built renderer in Debian's Chromium). Native and e2e run their files one at a time because they share
// one simulator library per process and one browser.
export default defineConfig({
  test: {
    projects: [
      {
        // Some unit tests compile with mingw-w64 or load electron-builder: on a busy shared machine 5 s is not enough.
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node', testTimeout: 30_000 },
      },
      {
        test: {
          name: 'native',
          include: ['test/native/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
