// Each endpoint keeps the name its rows gave it and is named again only when what that name rests on changed (a new
// reverse-DNS answer, one forgotten to make room, a looked-up domain added or run out). What the window shows must
// still be what the name sources say now, for every app at that address, whichever app's attempt asked.
import { describe, expect, it } from 'vitest';
import type { AppEntry, Endpoint } from '../../../electron/core/model';
import { drop, withDnsClient } from './support/memory-backend';
import { settle, startCore, type Harness } from './support/core-harness';
import { pathKey, windowRow } from './support/window-rows';

const ASKS = 'C:\\Apps\\asks\\asks.exe';
const OTHER = 'C:\\Apps\\other\\other.exe';
const X = '198.51.100.7';
const HOUR = 3_600_000;

function endpointOf(row: AppEntry | undefined, address: string): Endpoint | undefined {
  return row?.endpoints.find((e) => e.address === address);
}

/** The app's endpoint as the window holds it after every delta so far. */
const shown = (h: Harness, path: string, address: string) => endpointOf(windowRow(h.deltas, pathKey(path)), address);

/** Lets the lookups answer, then the rows held back by their interval go out. */
async function nextRows(h: Harness): Promise<void> {
  h.time.advance(100);
  await settle();
  h.time.advance(1_100);
  await settle();
  h.time.advance(1_100);
}

describe('endpoint names in rows follow their sources', () => {
  it('an answer that comes back after the cache forgot it names the address again in every app, not only the one that asked', async () => {
    const h = await startCore({ limits: { dnsCacheSize: 2 } });
    h.dns.set(X, 'x.example');
    h.dns.set('198.51.100.8', 'y.example');
    h.dns.set('198.51.100.9', 'z.example');
    h.backend.emit(drop(ASKS, { remoteAddress: X }));
    h.backend.emit(drop(OTHER, { remoteAddress: X }));
    await nextRows(h);
    expect(shown(h, OTHER, X)).toMatchObject({ hostname: 'x.example', hostnameSource: 'reverse' });

    // Two more answers: the cache (two names) forgets X's. The other app's row goes out meanwhile.
    h.backend.emit(drop(ASKS, { remoteAddress: '198.51.100.8' }));
    h.backend.emit(drop(ASKS, { remoteAddress: '198.51.100.9' }));
    await nextRows(h);
    h.backend.emit(drop(OTHER, { remoteAddress: '127.0.0.2' }));
    await nextRows(h);

    // X's name changed meanwhile; the first app's second attempt asks again (its count reached a power of two).
    h.dns.set(X, 'x2.example');
    h.backend.emit(drop(ASKS, { remoteAddress: X }));
    await nextRows(h);
    expect(shown(h, ASKS, X)).toMatchObject({ hostname: 'x2.example', hostnameSource: 'reverse' });
    // The other app did not ask: its next row still carries the new answer, and so does a snapshot.
    h.backend.emit(drop(OTHER, { remoteAddress: '127.0.0.3' }));
    await nextRows(h);
    expect(shown(h, OTHER, X)).toMatchObject({ hostname: 'x2.example', hostnameSource: 'reverse' });
    const page = (await h.core.handlers['snapshot.get']({})).apps.find((a) => a.identity.key === pathKey(OTHER));
    expect(endpointOf(page, X)).toMatchObject({ hostname: 'x2.example', hostnameSource: 'reverse' });
    await h.core.stop();
  });

  it('a looked-up domain replaces the reverse name in the next row, and once it runs out the reverse name is back', async () => {
    const { backend, query } = withDnsClient();
    const h = await startCore({ backend });
    h.dns.set(X, 'ptr.example');
    h.backend.emit(drop(ASKS, { remoteAddress: X }));
    await nextRows(h);
    expect(shown(h, ASKS, X)).toMatchObject({ hostname: 'ptr.example', hostnameSource: 'reverse' });

    query({ time: h.time.now(), processId: 4, imagePath: ASKS, name: 'api.example.', status: 0, results: `${X};` });
    h.backend.emit(drop(ASKS, { remoteAddress: '127.0.0.2' }));
    await nextRows(h);
    expect(shown(h, ASKS, X)).toMatchObject({ hostname: 'api.example', hostnameSource: 'dns' });

    // Six hours on, the domain no longer names the address; nor does the hour-old reverse answer until it is asked again.
    h.time.advance(6 * HOUR);
    h.backend.emit(drop(ASKS, { remoteAddress: '127.0.0.3' }));
    await nextRows(h);
    expect(shown(h, ASKS, X)?.hostname).toBeUndefined();
    h.backend.emit(drop(ASKS, { remoteAddress: X }));
    await nextRows(h);
    expect(shown(h, ASKS, X)).toMatchObject({ hostname: 'ptr.example', hostnameSource: 'reverse' });
    await h.core.stop();
  });
});
