// A subscription the engine dropped without a word is found out and replaced; events keep coming.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NetEvent } from '../../native/api.js';
import { WfpEngine } from '../../native/engine.js';
import { subscribe, type NetEventSubscription } from '../../native/subscription.js';
import type { SimConnection } from '../../native/sim-control.js';
import { simulator, sleep, waitFor } from './helpers.js';

const { sim, lib } = simulator();
const TOOL: SimConnection = {
  appPath: 'C:\\Apps\\tool.exe',
  remoteAddress: '93.184.216.34',
  remotePort: 443,
  protocol: 6,
  direction: 'out',
};

describe('watchdog', () => {
  let engine: WfpEngine;
  let sub: NetEventSubscription | undefined;
  beforeEach(async () => {
    sim.reset();
    engine = await WfpEngine.open(lib, { dynamic: true });
  });
  afterEach(async () => {
    await sub?.stop();
    await engine.close();
  });

  it('re-subscribes after the simulator kills the subscription, and events continue', async () => {
    const events: NetEvent[] = [];
    const renewals: boolean[] = [];
    sub = await subscribe(
      engine,
      { onEvent: (e) => events.push(e), onResubscribed: (i) => renewals.push(i.confirmedDead) },
      { watchdogMs: 150 },
    );
    sim.connect(TOOL);
    await waitFor(() => events.length === 1);

    sim.killSubscriptions();
    sim.connect({ ...TOOL, remotePort: 444 });
    await sleep(50);
    expect(events).toHaveLength(1); // dead: the event went nowhere
    await waitFor(() => renewals.length >= 1, 5000, 'a re-subscription');
    expect(sub.stats.resubscriptions).toBeGreaterThanOrEqual(1);
    expect(sim.subscriptionCount()).toBe(1); // the dead one was released, the new one is live

    sim.connect({ ...TOOL, remotePort: 445 });
    await waitFor(() => events.some((e) => e.remotePort === 445), 5000, 'an event after healing');
    expect(renewals.length).toBeGreaterThanOrEqual(1);
  });

  it('counts lost events and reports them, and a renewal after losses is confirmed as a death', async () => {
    const lost: number[] = [];
    const renewals: boolean[] = [];
    sub = await subscribe(
      engine,
      { onEvent: () => undefined, onLost: (n) => lost.push(n), onResubscribed: (i) => renewals.push(i.confirmedDead) },
      { watchdogMs: 200 },
    );
    sim.addLostEvents(7);
    await waitFor(() => renewals.length >= 1, 5000, 'a re-subscription');
    expect(sub.stats.lost).toBe(7);
    expect(lost).toEqual([7]);
    expect(renewals[0]).toBe(true);
  });

  it('with the watchdog off, a quiet subscription is left alone', async () => {
    sub = await subscribe(engine, { onEvent: () => undefined }, { watchdogMs: 0 });
    await sleep(300);
    expect(sub.stats.resubscriptions).toBe(0);
    expect(sim.subscriptionCount()).toBe(1);
  });
});
