// Reverse DNS is asked for when an app starts using an endpoint (and again, ever more rarely, as the endpoint keeps
// being used, so that a name that expired comes back), never once per attempt: a flood of retries to one address
// costs no lookups. An inbound scan, where every attempt comes from a new address, sends the user's DNS server a
// bounded number of queries a second, not one per probing address.
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

  it('an inbound scan from 2,000 addresses asks the DNS server for 100 names at once, then 20 a second', async () => {
    const time = new ManualTime();
    const backend = new MemoryBackend();
    const asked: string[] = [];
    const core = new CoreState({
      backend,
      dataDir: mkdtempSync(join(tmpdir(), 'portcullis-core-')),
      clock: time,
      timers: time,
      resolver: {
        reverse: (address) => {
          asked.push(address);
          return Promise.resolve([`probe-${asked.length}.example.net`]);
        },
      },
    });
    await core.lifeCycle.start();
    const probe = (i: number) =>
      backend.emit(
        drop('C:\\Apps\\server.exe', { direction: 'in', remoteAddress: `198.18.${i >> 8}.${i & 255}`, localPort: 22 }),
      );
    // Lets the lookup pool start everything queued and the answers come back.
    const settle = async () => {
      for (let i = 0; i < 300; i++) {
        time.advance(1);
        await Promise.resolve();
        await Promise.resolve();
      }
    };

    for (let i = 0; i < 1_000; i++) probe(i);
    await settle();
    expect(asked).toHaveLength(100);
    expect(asked[0]).toBe('198.18.0.0');

    // The next second's 1,000 new addresses: 20 more queries (the budget refilled by 20 a second meanwhile).
    time.advance(700);
    for (let i = 1_000; i < 2_000; i++) probe(i);
    await settle();
    expect(asked).toHaveLength(120);

    // An address left unnamed is asked for when its app uses it again (EndpointSet asks again on the second use).
    time.advance(1_000);
    probe(1_500);
    await settle();
    expect(asked.at(-1)).toBe(`198.18.${1_500 >> 8}.${1_500 & 255}`);
    await core.lifeCycle.stop();
  });
});
