import { describe, expect, it } from 'vitest';
import { serviceSid } from '../../../electron/core/apps/service-sids';
import { drop } from './support/memory-backend';
import { startCore } from './support/core-harness';

describe('core pipeline and batching', () => {
  it('publishes one delta per interval, carrying only the apps that changed', async () => {
    const h = await startCore();
    h.time.advance(200);
    h.deltas.length = 0;
    for (let i = 0; i < 1000; i++) h.backend.emit(drop('C:\\Apps\\a.exe', { remotePort: 1000 + (i % 5) }));
    h.backend.emit(drop('C:\\Apps\\b.exe'));
    expect(h.deltas).toHaveLength(0);
    h.time.advance(99);
    expect(h.deltas).toHaveLength(0);
    h.time.advance(1);
    expect(h.deltas).toHaveLength(1);
    const first = h.deltas[0]!;
    expect(first.apps?.map((a) => a.identity.key).sort()).toEqual(['path:c:\\apps\\a.exe', 'path:c:\\apps\\b.exe']);
    expect(first.apps?.find((a) => a.identity.path === 'C:\\Apps\\a.exe')?.blockedCount).toBe(1000);
    expect(first.status?.counters.eventsIn).toBe(1001);
    // A burst: the newest 500 log entries go to the page, the rest are counted (core's log keeps them all).
    expect(first.activity).toHaveLength(500);
    expect(first.activity?.at(-1)?.appKey).toBe('path:c:\\apps\\b.exe');
    expect(first.activitySkipped).toBe(501);

    // b's row went out 100 ms ago: its next change waits for its one-second turn; the log entry does not.
    h.backend.emit(drop('C:\\Apps\\b.exe'));
    h.time.advance(100);
    expect(h.deltas).toHaveLength(2);
    expect(h.deltas[1]!.apps).toBeUndefined();
    expect(h.deltas[1]!.activity).toHaveLength(1);
    expect(h.deltas[1]!.seq).toBe(first.seq + 1);
    h.time.advance(900);
    const rows = h.deltas.flatMap((d) => d.apps ?? []);
    expect(rows.filter((a) => a.identity.key === 'path:c:\\apps\\b.exe').at(-1)?.blockedCount).toBe(2);
    const sent = h.deltas.length;
    h.time.advance(1000);
    expect(h.deltas).toHaveLength(sent); // nothing changed, nothing sent
    await h.core.stop();
  });

  it('follows settings.batchIntervalMs', async () => {
    const h = await startCore();
    await h.core.handlers['settings.update']({ patch: { batchIntervalMs: 500 } });
    h.time.advance(1000);
    h.deltas.length = 0;
    h.backend.emit(drop('C:\\x.exe'));
    h.time.advance(499);
    expect(h.deltas).toHaveLength(0);
    h.time.advance(1);
    expect(h.deltas).toHaveLength(1);
    await h.core.stop();
  });

  it('attributes drops to the filter that made them and counts malformed and lost events', async () => {
    const h = await startCore();
    h.backend.foreign.set(77, {
      filterId: 77,
      name: 'Block tool',
      layerKey: 'l',
      action: 'block',
      owner: 'windows-firewall',
    });
    h.backend.emit(drop('C:\\Apps\\tool.exe', { filterId: 77 }));
    h.backend.sink!.onMalformed('bad');
    h.backend.sink!.onLost(5);
    const snap = h.core.snapshot();
    const app = snap.apps[0]!;
    expect(app).toMatchObject({ blockedBy: 'windows-firewall', blockedByFilter: 'Block tool', state: 'pending' });
    expect(snap.activity[0]).toMatchObject({
      verdict: 'blocked',
      blockedBy: 'windows-firewall',
      filterName: 'Block tool',
    });
    expect(snap.status.counters).toMatchObject({ eventsIn: 1, malformed: 1, lost: 5 });
    await h.core.stop();
  });

  it('shows an svchost event carrying a service SID as "svchost (service unknown)" and refuses a one-click allow or block', async () => {
    const h = await startCore();
    // Windows never puts a service SID in the header (it is the account); even if one came, it names nothing.
    h.backend.emit(drop('C:\\Windows\\System32\\svchost.exe', { userSid: serviceSid('BITS') }));
    h.backend.emit(drop('C:\\Windows\\System32\\svchost.exe', { userSid: 'S-1-5-19' }));
    const apps = h.core.snapshot().apps;
    expect(apps.map((a) => a.identity.displayName)).toEqual(['svchost (service unknown)']);
    await expect(
      h.core.handlers['apps.decide']({ appKeys: [apps[0]!.identity.key], decision: 'allow' }),
    ).rejects.toThrow(/every service in svchost/);
    // Blocked app-wide it would sit above the essentials and take DNS and DHCP with it.
    await expect(
      h.core.handlers['apps.decide']({ appKeys: [apps[0]!.identity.key], decision: 'block' }),
    ).rejects.toThrow(/DNS Client and DHCP among them/);
    expect(h.core.snapshot().rules).toHaveLength(0);
    // A file merely named svchost.exe is that file: blocking it takes nothing of Windows' with it.
    h.backend.emit(drop('C:\\Users\\ann\\Downloads\\svchost.exe', { userSid: 'S-1-5-21-1-2-3-1001' }));
    const lookalike = h.core.snapshot().apps.find((a) => a.identity.path?.includes('Downloads'))!;
    expect(lookalike.identity.kind).toBe('svchost-unknown');
    await h.core.handlers['apps.decide']({ appKeys: [lookalike.identity.key], decision: 'block' });
    expect(h.core.snapshot().rules).toEqual([
      expect.objectContaining({ action: 'block', app: expect.objectContaining({ path: lookalike.identity.path }) }),
    ]);
    await h.core.stop();
  });

  it('adds reverse DNS names later without holding events, and survives a resolver that never answers', async () => {
    const h = await startCore({
      resolver: {
        reverse: (address) =>
          address === '9.9.9.9' ? new Promise<string[]>(() => undefined) : Promise.resolve(['example.org']),
      },
    });
    h.backend.emit(drop('C:\\a.exe', { remoteAddress: '93.184.216.34' }));
    h.backend.emit(drop('C:\\b.exe', { remoteAddress: '9.9.9.9' }));
    // Both events are in the index at once, before any lookup ran.
    expect(h.core.snapshot().apps).toHaveLength(2);
    h.time.advance(1);
    await new Promise((r) => setImmediate(r));
    h.time.advance(3_000); // the hanging lookup times out
    await new Promise((r) => setImmediate(r));
    h.time.advance(200);
    const apps = h.core.snapshot().apps;
    expect(apps.find((a) => a.identity.path === 'C:\\a.exe')?.endpoints[0]?.hostname).toBe('example.org');
    expect(apps.find((a) => a.identity.path === 'C:\\b.exe')?.endpoints[0]?.hostname).toBeUndefined();
    h.backend.emit(drop('C:\\b.exe', { remoteAddress: '9.9.9.9' }));
    expect(h.core.snapshot().apps.find((a) => a.identity.path === 'C:\\b.exe')?.blockedCount).toBe(2);
    await h.core.stop();
  });

  it('exports the activity log as CSV and JSON', async () => {
    const h = await startCore();
    h.backend.emit(drop('C:\\Apps\\=evil.exe'));
    const csv = await h.core.handlers['activity.export']({ format: 'csv' });
    expect(csv.entries).toBe(1);
    expect(csv.text.split('\r\n')[0]).toMatch(/^seq,time,appName/);
    const json = await h.core.handlers['activity.export']({ format: 'json' });
    expect(JSON.parse(json.text)).toHaveLength(1);
    await h.core.stop();
  });
});
