import { describe, expect, it } from 'vitest';
import { drop } from './support/memory-backend';
import { startCore } from './support/core-harness';

const TEMP = 'C:\\Users\\sam\\AppData\\Local\\Temp';

describe('decision and notification budgets', () => {
  it('5,001 small programs from one folder do not keep the next real app from the user', async () => {
    const h = await startCore();
    for (let i = 0; i < 5_001; i++) h.backend.emit(drop(`${TEMP}\\x${i}\\tool${i}.exe`));
    h.backend.emit(drop('C:\\Program Files\\Real\\real.exe'));
    const snap = h.core.snapshot();
    const real = snap.decisions.find((d) => d.app.key === 'path:c:\\program files\\real\\real.exe');
    expect(real).toBeDefined();
    // The flood shares one folder's budget; the rest are counted, not silent.
    expect(snap.decisions.length).toBeLessThanOrEqual(11);
    expect(snap.status.moreAppsBlocked).toBe(5_001 - 10);
    const realNotice = h.notifications.find((n) => n.appKey === real!.app.key);
    expect(realNotice).toBeDefined();
    expect(realNotice!.body).toMatch(/more apps were blocked meanwhile/);
    expect(realNotice!.moreApps).toBeGreaterThan(0);
    // The flood retrying does not push the real app out.
    for (let i = 0; i < 5_001; i++) h.backend.emit(drop(`${TEMP}\\x${i}\\tool${i}.exe`));
    expect(h.core.snapshot().decisions.some((d) => d.id === real!.id)).toBe(true);
    await h.core.stop();
  });

  it('the newest app always gets a decision when the whole inbox is full, from many folders', async () => {
    const h = await startCore();
    for (let i = 0; i < 1_000; i++) h.backend.emit(drop(`C:\\Vendor${i}\\app.exe`));
    h.backend.emit(drop('C:\\Program Files\\Real\\real.exe'));
    const snap = h.core.snapshot();
    expect(snap.decisions.length).toBe(200);
    expect(snap.decisions.some((d) => d.app.key === 'path:c:\\program files\\real\\real.exe')).toBe(true);
    expect(snap.status.moreAppsBlocked).toBe(801);
    await h.core.stop();
  });

  it('a rule for an app moved out of the inbox takes it off the "more apps blocked" count', async () => {
    const h = await startCore();
    for (let i = 0; i < 11; i++) h.backend.emit(drop(`${TEMP}\\t${i}.exe`));
    expect(h.core.status().moreAppsBlocked).toBe(1);
    await h.core.handlers['apps.decide']({ appKeys: [`path:${TEMP.toLowerCase()}\\t0.exe`], decision: 'block' });
    expect(h.core.status().moreAppsBlocked).toBe(0);
    await h.core.stop();
  });
});

describe('open decisions under interleaved attempts', () => {
  it("each app's decision keeps its own attempts, endpoints and direction", async () => {
    const h = await startCore();
    const A = 'C:\\Program Files\\Alpha\\alpha.exe';
    const B = 'C:\\Program Files\\Beta\\beta.exe';
    for (let i = 0; i < 3; i++) {
      h.backend.emit(drop(A, { remoteAddress: `198.51.100.${i + 1}`, remotePort: 443 }));
      h.backend.emit(
        drop(B, { remoteAddress: '203.0.113.9', localPort: 3389, remotePort: 50_000 + i, direction: 'in' }),
      );
    }
    h.backend.emit(drop(A, { remoteAddress: '198.51.100.1', remotePort: 443 }));
    const decisions = h.core.snapshot().decisions;
    const alpha = decisions.find((d) => d.app.key === 'path:c:\\program files\\alpha\\alpha.exe')!;
    const beta = decisions.find((d) => d.app.key === 'path:c:\\program files\\beta\\beta.exe')!;
    expect(alpha.attempts).toBe(4);
    expect(alpha.endpoints.map((e) => [e.address, e.port, e.count])).toEqual([
      ['198.51.100.1', 443, 2],
      ['198.51.100.3', 443, 1],
      ['198.51.100.2', 443, 1],
    ]);
    expect(beta.attempts).toBe(3);
    // Inbound: the port that means something is this computer's, one endpoint for all three senders' ports.
    expect(beta.endpoints.map((e) => [e.address, e.port, e.count, e.inbound])).toEqual([
      ['203.0.113.9', 3389, 3, true],
    ]);
    await h.core.stop();
  });
});

describe('routine blocks in Monitor', () => {
  it('unsolicited inbound dropped by Windows Firewall and NetBIOS noise open no decision and no notification', async () => {
    const h = await startCore();
    h.backend.foreign.set(77, {
      filterId: 77,
      name: 'Query User Default: block unsolicited inbound',
      layerKey: 'recv-accept',
      action: 'block',
      owner: 'windows-firewall',
    });
    h.backend.emit(drop('C:\\Apps\\chat.exe', { direction: 'in', filterId: 77, remotePort: 3478, protocol: 17 }));
    h.backend.emit({
      ...drop('System'),
      appPath: 'System',
      appId: undefined,
      direction: 'in',
      localPort: 137,
      protocol: 17,
    });
    const snap = h.core.snapshot();
    expect(snap.decisions).toEqual([]);
    expect(h.notifications).toEqual([]);
    expect(snap.status.routineBlocks).toBe(2);
    // Still listed where the user looks.
    expect(snap.apps.some((a) => a.identity.key === 'path:c:\\apps\\chat.exe')).toBe(true);
    await h.core.stop();
  });

  it('asks for them too when the user turns that on', async () => {
    const h = await startCore();
    await h.core.handlers['settings.update']({ patch: { decideRoutineBlocks: true } });
    h.backend.foreign.set(77, {
      filterId: 77,
      name: 'Query User Default: block unsolicited inbound',
      layerKey: 'recv-accept',
      action: 'block',
      owner: 'windows-firewall',
    });
    h.backend.emit(drop('C:\\Apps\\chat.exe', { direction: 'in', filterId: 77 }));
    expect(h.core.snapshot().decisions).toHaveLength(1);
    expect(h.notifications).toHaveLength(1);
    await h.core.stop();
  });

  it('an outbound block still opens a decision', async () => {
    const h = await startCore();
    h.backend.emit(drop('C:\\Apps\\tool.exe'));
    expect(h.core.snapshot().decisions).toHaveLength(1);
    await h.core.stop();
  });
});
