// In Enforce an unknown app trying 1,000 times yields one pending decision and at most one
// notification; the essentials keep passing; switching to Off leaves no filter of ours.
import { describe, expect, it } from 'vitest';
import { serviceSid } from '../../electron/core/apps/service-sids';
import { enumerateOurs, eventsIn, outbound, SVCHOST, useCoreOnSimulator } from './core/support';

const { sim, startCore } = useCoreOnSimulator();

describe('core on the simulator: Enforce', () => {
  it('blocks an unknown app with one decision and one notification, keeps the essentials, and Off removes ours', async () => {
    const r = await startCore();
    const { core } = r;
    await core.handlers['mode.set']({ mode: 'enforce' });

    const unknown = outbound('C:\\Apps\\unknown-updater.exe', '203.0.113.99', 443);
    const first = sim.connect(unknown);
    expect(first.action).toBe('block');
    const ours = await enumerateOurs();
    const defaultBlock = ours.filters.filter((f) => f.tag === 'd:default-block');
    expect(defaultBlock.map((f) => f.filterId)).toContain(first.filterId);
    expect((await sim.connectRepeatAsync(unknown, 999)).action).toBe('block');
    await eventsIn(core, 1000);

    const snap = core.snapshot();
    expect(snap.decisions).toHaveLength(1);
    expect(snap.decisions[0]).toMatchObject({ attempts: 1000, blockedBy: 'portcullis' });
    expect(r.notifications).toHaveLength(1);
    expect(snap.apps.find((a) => a.identity.key === 'path:c:\\apps\\unknown-updater.exe')).toMatchObject({
      blockedCount: 1000,
      blockedBy: 'portcullis',
      blockedByFilter: 'Portcullis: block applications without a rule',
      state: 'pending',
    });

    // The essentials keep the machine online.
    // Service connections as Windows reports them: the header's user is the account (LocalService S-1-5-19,
    // NetworkService S-1-5-20, LocalSystem S-1-5-18); the service SID is a group of the process token.
    const svc = (service: string, account: string) => ({
      userSid: account,
      token: { groupSids: [serviceSid(service)] },
    });
    const essentials = [
      { ...outbound(SVCHOST, '192.168.1.1', 53, 17), ...svc('Dnscache', 'S-1-5-20') },
      { ...outbound(SVCHOST, '192.168.1.1', 53, 6), ...svc('Dnscache', 'S-1-5-20') },
      { ...outbound(SVCHOST, '255.255.255.255', 67, 17), localPort: 68, ...svc('Dhcp', 'S-1-5-19') },
      { ...outbound(SVCHOST, '162.159.200.1', 123, 17), ...svc('W32Time', 'S-1-5-19') },
      { ...outbound(SVCHOST, '13.107.4.50', 443, 6), ...svc('wuauserv', 'S-1-5-18') },
      { ...outbound(SVCHOST, '23.32.2.1', 80, 6), ...svc('CryptSvc', 'S-1-5-20') },
      outbound('C:\\Apps\\unknown-updater.exe', '127.0.0.1', 8080),
      outbound('C:\\Apps\\dev-server.exe', '::1', 3000),
      outbound('System', '192.168.1.20', 445),
    ];
    for (const connection of essentials) {
      expect(
        sim.connect(connection).action,
        `${connection.appPath} ${connection.remoteAddress}:${connection.remotePort}`,
      ).toBe('permit');
    }
    // ... but not the same service binary on another port, nor SMB to the internet.
    expect(sim.connect(outbound(SVCHOST, '203.0.113.5', 8443)).action).toBe('block');
    expect(sim.connect(outbound('System', '203.0.113.5', 445)).action).toBe('block');

    const status = await core.handlers['mode.set']({ mode: 'off' });
    expect(status.mode).toBe('off');
    expect((await enumerateOurs()).filters).toEqual([]);
    expect(sim.connect(unknown).action).toBe('permit');
  });
});
