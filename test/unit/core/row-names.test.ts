// What an app row names and shows, as the window receives it in a delta batch: each endpoint with the domain the app
// looked up (dns), else its reverse-DNS name (reverse), else no name; the path as written on disk; the publisher;
// the timeline oldest minute first. Rows are built once per batch for many apps under a flood, so this checks the
// row that comes out, however it is built.
import { describe, expect, it } from 'vitest';
import { basisOf, type EndpointNaming } from '../../../electron/core/apps/endpoint-names';
import { HostNames } from '../../../electron/core/enrichment/host-names';
import type { AppEntry } from '../../../electron/core/model';
import { drop, MemoryBackend, withDnsClient } from './support/memory-backend';
import { ManualTime } from './support/manual-time';
import { settle, startCore, type Harness } from './support/core-harness';
import { pathKey, windowRow } from './support/window-rows';

const BROWSER = 'C:\\Program Files\\Contoso\\browser.exe';
const TOOL = 'C:\\Tools\\tool.exe';
const MINUTE = 60_000;

/** The app's row as the window holds it after every delta so far. */
function lastRow(h: Harness, path: string): AppEntry | undefined {
  return windowRow(h.deltas, pathKey(path));
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}

describe('an app row as the window receives it', () => {
  it('names each endpoint by the domain the app looked up, else by reverse DNS, and says which', async () => {
    const { backend, query: onQuery } = withDnsClient();
    const h = await startCore({ backend });
    h.dns.set('203.0.113.20', 'edge-20.cdn.example');
    h.dns.set('203.0.113.10', 'ptr-10.cdn.example');
    // The DNS client reports the path in its own case; the browser asked for accounts.contoso.example.
    onQuery({
      time: h.time.now(),
      processId: 10,
      imagePath: BROWSER.toUpperCase(),
      name: 'accounts.contoso.example.',
      status: 0,
      results: 'type:  5 edge.example;::ffff:203.0.113.10;',
    });
    for (const address of ['203.0.113.10', '203.0.113.20', '203.0.113.30'])
      h.backend.emit(drop(BROWSER, { remoteAddress: address }));
    // Another program reaching the address the browser looked up does not take the browser's name.
    h.backend.emit(drop(TOOL, { remoteAddress: '203.0.113.10' }));
    h.time.advance(100);
    await settle();
    h.time.advance(1_100);
    await settle();
    // The reverse answers came back: the rows go out again with them.
    h.backend.emit(drop(BROWSER, { remoteAddress: '203.0.113.30' }));
    h.backend.emit(drop(TOOL, { remoteAddress: '203.0.113.10' }));
    h.time.advance(1_100);

    const browser = lastRow(h, BROWSER)!;
    expect(browser.endpoints.map((e) => [e.address, e.hostname, e.hostnameSource])).toEqual([
      ['203.0.113.30', undefined, undefined],
      ['203.0.113.20', 'edge-20.cdn.example', 'reverse'],
      ['203.0.113.10', 'accounts.contoso.example', 'dns'],
    ]);
    // An endpoint without a name has no name fields at all (not undefined ones: nothing to serialize).
    expect(Object.keys(browser.endpoints[0]!)).toEqual(['address', 'count', 'lastSeen', 'port', 'protocol']);
    expect(browser.endpoints[0]).toMatchObject({ port: 443, protocol: 6 });
    // Its attempts as they are now come with the endpoints the detail panel asks for.
    expect((await h.core.handlers['apps.endpoints']({ appKey: pathKey(BROWSER) }))![0]).toMatchObject({
      address: '203.0.113.30',
      count: 2,
    });
    expect(lastRow(h, TOOL)!.endpoints).toEqual([
      expect.objectContaining({ address: '203.0.113.10', hostname: 'ptr-10.cdn.example', hostnameSource: 'reverse' }),
    ]);
    await h.core.stop();
  });

  it('shows the path as written on disk and the publisher once known, and nothing of them before', async () => {
    const backend = Object.assign(new MemoryBackend(), {
      realCasePath: async (path: string) => (path.toLowerCase() === TOOL.toLowerCase() ? TOOL : undefined),
      verifySignature: async () => ({ verdict: 'signed' as const, symbol: 'ERROR_SUCCESS', signer: 'Tools Inc' }),
    });
    const h = await startCore({ backend });
    h.backend.emit(drop(TOOL.toLowerCase()));
    h.time.advance(100);
    const first = lastRow(h, TOOL)!;
    expect(first.identity.path).toBe(TOOL.toLowerCase());
    expect(first).not.toHaveProperty('publisher');
    // The lookups run off the event path; their answers republish the row.
    await until(() => {
      h.time.advance(100);
      const row = lastRow(h, TOOL)!;
      return row.identity.path === TOOL && row.publisher !== undefined;
    });
    const row = lastRow(h, TOOL)!;
    expect(row.identity).toMatchObject({ key: `path:${TOOL.toLowerCase()}`, path: TOOL });
    expect(row.publisher).toEqual({ status: 'verified', signer: 'Tools Inc', label: 'Tools Inc, verified' });
    await h.core.stop();
  });

  it('carries the last hour minute by minute, oldest first, and the sorted ports and protocols', async () => {
    const h = await startCore();
    h.time.advance(1_000);
    h.backend.emit(drop(TOOL, { remotePort: 8080, protocol: 17, time: h.time.now() }));
    h.backend.emit(drop(TOOL, { remotePort: 443, time: h.time.now() }));
    h.time.advance(3 * MINUTE);
    h.backend.emit(drop(TOOL, { remotePort: 80, time: h.time.now() }));
    h.backend.emit(drop(TOOL, { remotePort: 80, time: h.time.now() }));
    h.time.advance(1_100);
    const row = lastRow(h, TOOL)!;
    expect(row.timeline).toHaveLength(60);
    expect(row.timeline.slice(-4)).toEqual([2, 0, 0, 2]);
    expect(row.timeline.slice(0, -4).every((n) => n === 0)).toBe(true);
    expect(row.ports).toEqual([80, 443, 8080]);
    expect(row.protocols).toEqual([6, 17]);
    expect(row).toMatchObject({ blockedCount: 4, blockedDirection: 'out' });
    // An hour and a half later the old minutes have left the chart.
    h.time.advance(90 * MINUTE);
    h.backend.emit(drop(TOOL, { remotePort: 80, time: h.time.now() }));
    h.time.advance(1_100);
    expect(lastRow(h, TOOL)!.timeline.reduce((a, b) => a + b, 0)).toBe(1);
    await h.core.stop();
  });
});

/** How a row names one program's endpoints from the looked-up domains alone: undefined when it has none to look at. */
function namesOf(names: HostNames, time: ManualTime, program: string | undefined) {
  const naming: EndpointNaming = { now: time.now(), lookedUp: undefined, lookedUpVersion: 0, reverse: undefined };
  names.answersFor(program, naming);
  if (naming.lookedUp === undefined) return undefined;
  return (address: string) => basisOf(address, naming)?.name;
}

describe('domain names looked up per row', () => {
  it('gives no lookup for a program that looked nothing up, and forgets a program once its answers are evicted', () => {
    const time = new ManualTime();
    const names = new HostNames(time, { size: 2 });
    const answer = (imagePath: string, name: string, addresses: string[]) =>
      names.add({ time: time.now(), processId: 1, imagePath, name, addresses });
    answer(BROWSER, 'a.example', ['203.0.113.1']);
    expect(namesOf(names, time, TOOL)).toBeUndefined();
    expect(namesOf(names, time, undefined)).toBeUndefined();
    const browser = namesOf(names, time, BROWSER.toUpperCase())!;
    expect(browser('203.0.113.1')).toBe('a.example');
    expect(browser('203.0.113.2')).toBeUndefined();
    // The same pair answered again is still one pair: two more from the tool evict the browser's only one.
    answer(BROWSER, 'b.example', ['203.0.113.1']);
    answer(TOOL, 't.example', ['198.51.100.1', '198.51.100.2']);
    expect(namesOf(names, time, BROWSER)).toBeUndefined();
    expect(namesOf(names, time, TOOL)!('198.51.100.2')).toBe('t.example');
    expect(names.nameOf(TOOL, '198.51.100.1')).toBe('t.example');
  });

  it('a name stops naming endpoints after its lifetime', () => {
    const time = new ManualTime();
    const names = new HostNames(time, { ttlMs: 60_000 });
    names.add({ time: 0, processId: 1, imagePath: BROWSER, name: 'a.example', addresses: ['203.0.113.1'] });
    expect(namesOf(names, time, BROWSER)!('203.0.113.1')).toBe('a.example');
    time.advance(61_000);
    expect(namesOf(names, time, BROWSER)?.('203.0.113.1')).toBeUndefined();
  });
});
