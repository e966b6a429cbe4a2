// Domain names from the DNS client's answers: joined to the program that asked and the address it got.
import { describe, expect, it } from 'vitest';
import { addressesOfQueryResults, HostNames } from '../../../electron/core/enrichment/host-names';
import { ManualTime } from './support/manual-time';

const BROWSER = 'C:\\Program Files\\Contoso Browser\\browser.exe';

describe('domain names from DNS answers', () => {
  it('reads the addresses out of QueryResults, skipping CNAME steps and unwrapping IPv4-mapped addresses', () => {
    expect(addressesOfQueryResults('type:  5 edge.example.net;::ffff:203.0.113.10;2001:DB8::10;')).toEqual([
      '203.0.113.10',
      '2001:db8::10',
    ]);
    expect(addressesOfQueryResults('198.51.100.7;')).toEqual(['198.51.100.7']);
    expect(addressesOfQueryResults('')).toEqual([]);
  });

  it('names a connection from the program that looked the name up, not one from another program', () => {
    const time = new ManualTime();
    const names = new HostNames(time);
    names.add({
      time: time.now(),
      processId: 10,
      imagePath: BROWSER,
      name: 'accounts.contoso.example.',
      addresses: ['203.0.113.10'],
    });
    expect(names.nameOf(BROWSER.toUpperCase(), '203.0.113.10')).toBe('accounts.contoso.example');
    // The same CDN address serves many sites: another program's connection to it is not given the browser's name.
    expect(names.nameOf('C:\\Apps\\tool.exe', '203.0.113.10')).toBeUndefined();
    expect(names.nameOf(BROWSER, '203.0.113.11')).toBeUndefined();
  });

  it('the latest answer wins, and an answer stops naming connections after its lifetime', () => {
    const time = new ManualTime();
    const names = new HostNames(time, { ttlMs: 60_000 });
    names.add({ time: 0, processId: 1, imagePath: BROWSER, name: 'a.example', addresses: ['203.0.113.5'] });
    names.add({ time: 0, processId: 1, imagePath: BROWSER, name: 'b.example', addresses: ['203.0.113.5'] });
    expect(names.nameOf(BROWSER, '203.0.113.5')).toBe('b.example');
    time.advance(61_000);
    expect(names.nameOf(BROWSER, '203.0.113.5')).toBeUndefined();
  });

  it('an answer without the program (it exited before it could be named) names nothing', () => {
    const time = new ManualTime();
    const names = new HostNames(time);
    names.add({ time: 0, processId: 7, name: 'gone.example', addresses: ['203.0.113.9'] });
    expect(names.nameOf(BROWSER, '203.0.113.9')).toBeUndefined();
  });
});
