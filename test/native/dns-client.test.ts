// The DNS-name source through koffi into the simulator's advapi32 trace API (native/sim/src/etw.c): a real-time
// session, event 3008 decoded, the querying process's executable, and a clean stop.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeQueryCompleted, watchDnsClient, type DnsQueryEvent } from '../../native/etw/dns-client.js';
import { loadDnsSimControl } from '../../native/etw/sim-control.js';
import { waitFor } from './helpers.js';

const dns = loadDnsSimControl();

describe('DNS names from the DNS client trace', () => {
  beforeEach(() => dns.reset());
  afterEach(() => dns.reset());

  it('delivers each completed query with its process and executable, and stops its session', async () => {
    dns.setProcess(4242, 'C:\\Program Files\\Contoso Browser\\Browser.exe');
    const seen: DnsQueryEvent[] = [];
    const watch = await watchDnsClient((q) => seen.push(q));
    expect(dns.sessions()).toBe(1);
    expect(dns.answer(4242, 'accounts.contoso.example', '::ffff:203.0.113.10;2001:db8::10;')).toBe(1);
    expect(dns.answer(9999, 'ads.example', '198.51.100.99;')).toBe(1);
    await waitFor(() => seen.length === 2, 5000, 'two queries');
    expect(seen[0]).toMatchObject({
      processId: 4242,
      imagePath: 'C:\\Program Files\\Contoso Browser\\Browser.exe',
      name: 'accounts.contoso.example',
      status: 0,
      results: '::ffff:203.0.113.10;2001:db8::10;',
    });
    expect(Math.abs(seen[0]!.time - Date.now())).toBeLessThan(60_000);
    // A process that has exited has no executable to name.
    expect(seen[1]!.imagePath).toBeUndefined();
    await watch.stop();
    expect(dns.sessions()).toBe(0);
    expect(dns.answer(4242, 'late.example', '203.0.113.1;')).toBe(0);
  });

  it('takes over a session a crashed run left behind, instead of failing with ERROR_ALREADY_EXISTS', async () => {
    const first = await watchDnsClient(() => undefined);
    // The first "process" dies without stopping: its session keeps running. A new start must still work.
    const seen: DnsQueryEvent[] = [];
    const second = await watchDnsClient((q) => seen.push(q));
    expect(dns.sessions()).toBe(1);
    dns.answer(1, 'after.example', '203.0.113.2;');
    await waitFor(() => seen.length === 1, 5000, 'the query');
    await second.stop();
    await first.stop();
    expect(dns.sessions()).toBe(0);
  });

  it('decodes the packed fields of event 3008 and rejects a truncated one', () => {
    const u16z = (s: string) => Buffer.from(`${s}\0`, 'utf16le');
    const fixed = Buffer.alloc(16);
    fixed.writeUInt32LE(28, 0);
    fixed.writeUInt32LE(0, 12);
    const bytes = Buffer.concat([u16z('www.example'), fixed, u16z('2001:db8::1;')]);
    expect(decodeQueryCompleted(bytes)).toEqual({ name: 'www.example', type: 28, status: 0, results: '2001:db8::1;' });
    expect(decodeQueryCompleted(bytes.subarray(0, 30))).toBeUndefined();
  });
});
