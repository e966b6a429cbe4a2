// The file-lookup thread as the app starts it: its script built beside main's bundle (electron.vite.config.ts), where
// FileLookups looks for it. Without it the app would still work, from the main thread, but at the cost the thread
// exists to save; this catches a build that leaves it out.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { simulatorPath } from '../../native/loader.js';
import { SHARED_IN_CALL, type LookupThreadData } from '../../native/lookups/protocol.js';

const bundle = join(import.meta.dirname, '..', '..', 'out', 'main');

describe("the file-lookup thread in main's bundle", () => {
  it('is built beside index.js and cli.js, and answers a batch of lookups in one message', async () => {
    const script = join(bundle, 'file-lookups-worker.js');
    expect(existsSync(join(bundle, 'cli.js'))).toBe(true);
    expect(existsSync(script)).toBe(true);
    const shared = new Int32Array(new SharedArrayBuffer(8));
    const workerData: LookupThreadData = { libraryPath: simulatorPath(), shared };
    const thread = new Worker(pathToFileURL(script), { workerData });
    try {
      const messages: unknown[] = [];
      const answered = new Promise<void>((resolve, reject) => {
        thread.on('message', (m) => {
          messages.push(m);
          resolve();
        });
        thread.on('error', reject);
      });
      thread.postMessage({
        requests: [
          { id: 1, op: 'signature', path: 'C:\\Missing\\tool.exe' },
          { id: 2, op: 'identity', path: script },
          { id: 3, op: 'realCase', path: 'c:\\missing\\tool.exe' },
        ],
      });
      await answered;
      expect(messages).toHaveLength(1);
      expect(messages[0]).toEqual({
        answers: [
          { id: 1, value: { verdict: 'unreadable', code: 2, symbol: 'ERROR_FILE_NOT_FOUND' } },
          { id: 2, value: expect.stringMatching(/^\d+:\d+:\d+$/) },
          { id: 3 },
        ],
      });
      // Between requests it says it is inside none (what quitting and the stall check read).
      expect(shared[SHARED_IN_CALL]).toBe(0);
    } finally {
      await thread.terminate();
    }
  });
});
