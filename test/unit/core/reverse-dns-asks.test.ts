// Reverse DNS is asked for when an app starts using an endpoint (and again, ever more rarely, as the endpoint keeps
// being used, so that a name that expired comes back), never once per attempt: a flood of retries to one address
// costs no lookups.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CoreState } from '../../../electron/core/facade/core';
import { ManualTime } from './support/manual-time';
import { drop, MemoryBackend } from './support/memory-backend';

describe('reverse DNS requests', () => {
  it('one per new endpoint and a handful per thousand repeats, not one per attempt', async () => {
    const time = new ManualTime();
    const backend = new MemoryBackend();
    const core = new CoreState({
      backend,
      dataDir: mkdtempSync(join(tmpdir(), 'portcullis-core-')),
      clock: time,
      timers: time,
      resolver: { reverse: () => Promise.resolve(['example.org']) },
    });
    await core.lifeCycle.start();
    const asked: string[] = [];
    const request = core.reverseDns.request.bind(core.reverseDns);
    core.reverseDns.request = (address, appKey) => {
      asked.push(address);
      request(address, appKey);
    };
    for (let i = 0; i < 1_000; i++) backend.emit(drop('C:\\Apps\\chatty.exe', { remoteAddress: '93.184.216.34' }));
    // 1, 2, 4, ... 512: eleven moments in a thousand attempts.
    expect(asked.length).toBeLessThanOrEqual(11);
    asked.length = 0;
    for (let i = 0; i < 3; i++) backend.emit(drop('C:\\Apps\\chatty.exe', { remoteAddress: `198.51.100.${i}` }));
    expect(asked).toEqual(['198.51.100.0', '198.51.100.1', '198.51.100.2']);
    await core.lifeCycle.stop();
  });
});
