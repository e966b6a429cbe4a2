// The shell checks of `npm run smoke:windows` report each problem on its own line and fail the run.
import { describe, expect, it, vi } from 'vitest';
import { runShellChecks } from '../../../scripts/smoke/shell-checks';

describe('smoke:windows shell checks', () => {
  it('prints one line per check and fails when one throws', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const ok = runShellChecks([
        { title: 'first', run: () => 'seen' },
        {
          title: 'second',
          run: () => {
            throw new Error('C:\\Program Files\\Portcullis\\bin is not in the machine PATH.');
          },
        },
      ]);
      expect(ok).toBe(false);
      expect(log.mock.calls.map((c) => c[0])).toEqual([
        '[shell] first: ok - seen',
        '[shell] second: FAILED',
        '        C:\\Program Files\\Portcullis\\bin is not in the machine PATH.',
      ]);
    } finally {
      log.mockRestore();
    }
  });
});
