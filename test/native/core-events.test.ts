// Event kinds as Windows reports them, through the real core: direction from the layer (an inbound drop whose
// msFwpDirection says 0 is still inbound), an allowed connection counted once although Windows reports it again at
// ALE_FLOW_ESTABLISHED, a bind refused at ALE_RESOURCE_ASSIGNMENT shown without a decision; and the Base Filtering
// Engine restarting under a running core.
import { describe, expect, it } from 'vitest';
import { FWPM_NET_EVENT_FLAG as F, FWPM_NET_EVENT_TYPE as T } from '../../native/wfp/constants';
import { eventsIn, outbound, useCoreOnSimulator, waitFor } from './core/support';
import { runtimeLayerId, simulator } from './helpers';

const { sim, startCore } = useCoreOnSimulator();
const { lib } = simulator();
const SERVER = 'C:\\Apps\\game-server.exe';

describe('core on the simulator: event kinds by layer', () => {
  it('an inbound drop at receive/accept is inbound, wherever msFwpDirection points', async () => {
    const { core } = await startCore();
    // Windows Defender Firewall's default blocks unsolicited inbound; the simulator fills msFwpDirection 0 there.
    const verdict = sim.connect({
      appPath: SERVER,
      direction: 'in',
      protocol: 6,
      localAddress: '192.168.1.10',
      localPort: 27015,
      remoteAddress: '198.51.100.23',
      remotePort: 51234,
    });
    expect(verdict.action).toBe('block');
    await eventsIn(core, 1);
    const app = core.snapshot().apps.find((a) => a.identity.key === `path:${SERVER.toLowerCase()}`)!;
    expect(app.directions).toEqual(['in']);
    expect(core.snapshot().activity.at(-1)).toMatchObject({ verdict: 'blocked', direction: 'in', localPort: 27015 });
  });

  it('an allowed connection is one connection, though Windows reports it again when its flow is established', async () => {
    const { core } = await startCore();
    await core.handlers['mode.set']({ mode: 'learning' });
    const browser = 'C:\\Program Files\\Contoso Browser\\browser.exe';
    expect(sim.connect(outbound(browser, '198.51.100.80', 443)).action).toBe('permit');
    expect(sim.connect(outbound(browser, '198.51.100.81', 443)).action).toBe('permit');
    await eventsIn(core, 2);
    await waitFor(() => sim.pendingEvents() === 0);
    const snap = core.snapshot();
    const app = snap.apps.find((a) => a.identity.key === `path:${browser.toLowerCase()}`)!;
    expect(app.allowedCount).toBe(2);
    expect(snap.status.counters.eventsIn).toBe(2);
    expect(snap.candidates.find((c) => c.app.key === app.identity.key)?.connections).toBe(2);
    // Each activity line names the filter that allowed the connection, never the flow-established one.
    const lines = snap.activity.filter((e) => e.appKey === app.identity.key);
    expect(lines).toHaveLength(2);
    expect(new Set(lines.map((e) => e.filterName))).toEqual(new Set(['Contoso Browser (TCP-Out)']));
  });

  it('a bind refused at resource assignment is shown but opens no decision', async () => {
    const { core } = await startCore();
    await core.handlers['mode.set']({ mode: 'enforce' });
    const bindLayer = await runtimeLayerId(lib, 'resource-assignment');
    const appId = new Uint8Array(Buffer.from('\\device\\harddiskvolume3\\apps\\binder.exe\0', 'utf16le'));
    sim.injectEvent({
      type: T.CLASSIFY_DROP,
      flags: F.IP_VERSION_SET | F.IP_PROTOCOL_SET | F.LOCAL_PORT_SET | F.APP_ID_SET,
      ipVersion: 0,
      ipProtocol: 17,
      localPort: 5353,
      appId,
      filterId: 0,
      layerId: bindLayer,
      msFwpDirection: 0,
    });
    await eventsIn(core, 1);
    const snap = core.snapshot();
    expect(snap.activity.at(-1)).toMatchObject({
      appKey: 'path:c:\\apps\\binder.exe',
      verdict: 'blocked',
      localPort: 5353,
    });
    expect(snap.decisions).toEqual([]);
  });
});

describe('core on the simulator: events with no filter or no layer', () => {
  it('a drop with layer id 0 and no direction is shown without a decision; with a direction it opens one', async () => {
    const { core } = await startCore();
    await core.handlers['mode.set']({ mode: 'enforce' });
    const drop = (app: string, msFwpDirection: number) =>
      sim.injectEvent({
        type: T.CLASSIFY_DROP,
        flags: F.IP_VERSION_SET | F.IP_PROTOCOL_SET | F.APP_ID_SET,
        ipVersion: 0,
        ipProtocol: 6,
        appId: new Uint8Array(Buffer.from(`\\device\\harddiskvolume3\\apps\\${app}\0`, 'utf16le')),
        filterId: 0,
        layerId: 0,
        msFwpDirection,
      });
    drop('nowhere.exe', 0x2222); // neither the layer nor msFwpDirection says which way
    drop('outward.exe', 0x3901);
    await eventsIn(core, 2);
    const snap = core.snapshot();
    expect(snap.activity.map((e) => [e.appKey, e.verdict, e.direction, e.blockedBy])).toEqual([
      ['path:c:\\apps\\nowhere.exe', 'blocked', undefined, 'unknown'],
      ['path:c:\\apps\\outward.exe', 'blocked', 'out', 'unknown'],
    ]);
    await waitFor(() => snap.decisions.length > 0 || core.snapshot().decisions.length > 0);
    expect(core.snapshot().decisions.map((d) => d.app.key)).toEqual(['path:c:\\apps\\outward.exe']);
  });
});

describe('core on the simulator: the Base Filtering Engine restarts', () => {
  it('reconnects, re-applies the rules, says so once, and events keep coming', async () => {
    const { core } = await startCore(undefined, {
      backend: (await import('../../electron/core/backend/native')).createNativeBackend({
        lostPollMs: 50,
        reopenRetry: { attempts: 10, delayMs: 20 },
      }),
    });
    await core.handlers['mode.set']({ mode: 'enforce' });
    const allowed = 'C:\\Apps\\allowed.exe';
    const app = outbound(allowed, '198.51.100.5', 443);
    expect(sim.connect(app).action).toBe('block');
    await eventsIn(core, 1);
    await core.handlers['rules.create']({
      appKey: `path:${allowed.toLowerCase()}`,
      action: 'allow',
      direction: 'out',
      duration: { kind: 'forever' },
    });
    expect(sim.connect(app).action).toBe('permit');

    sim.restartEngine(3); // three opens refused while it starts
    await waitFor(
      () => core.status().notices.some((n) => /reconnected and re-applied/.test(n.message)),
      10_000,
      'the reconnection notice',
    );
    const notices = core.status().notices.map((n) => n.message);
    expect(notices.filter((m) => /went away/.test(m))).toHaveLength(1);
    expect(notices.filter((m) => /no longer arriving/.test(m))).toEqual([]);
    // The rule still holds, the default block too, and the new subscription delivers.
    expect(sim.connect(app).action).toBe('permit');
    const before = core.status().counters.eventsIn;
    expect(sim.connect(outbound('C:\\Apps\\newcomer.exe', '198.51.100.6', 443)).action).toBe('block');
    await eventsIn(core, before + 1);
    await waitFor(() => core.snapshot().decisions.some((d) => d.app.key === 'path:c:\\apps\\newcomer.exe'));
    expect(sim.subscriptionCount()).toBeGreaterThanOrEqual(1);
  });
});
