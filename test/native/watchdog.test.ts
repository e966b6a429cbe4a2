// A subscription the engine dropped without a word is found out and replaced; events keep coming; what it missed
// is counted; a quiet machine gets no notices. And what happens when Windows says no: a subscribe function that
// fails, an unsubscribe refused, an unsubscribe during a transaction, the engine restarting.
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
const FWP_E_INVALID_PARAMETER = 0x80320035;
const FWP_E_NOT_FOUND = 0x80320008;

describe('watchdog', () => {
  let engine: WfpEngine;
  let sub: NetEventSubscription | undefined;
  beforeEach(async () => {
    sim.reset();
    engine = await WfpEngine.open(lib, { dynamic: true });
  });
  afterEach(async () => {
    await sub?.stop();
    sub = undefined;
    await engine.close().catch(() => undefined);
  });

  it('re-subscribes as soon as the lost counter grows with no callback, long before the silence period', async () => {
    const events: NetEvent[] = [];
    const renewals: number[] = [];
    const lost: number[] = [];
    sub = await subscribe(
      engine,
      { onEvent: (e) => events.push(e), onLost: (n) => lost.push(n), onResubscribed: (i) => renewals.push(i.missed) },
      { watchdogMs: 60_000, lostPollMs: 50 },
    );
    sim.connect(TOOL);
    await waitFor(() => events.length === 1);

    sim.killSubscriptions();
    const started = Date.now();
    sim.connectRepeat({ ...TOOL, remotePort: 444 }, 250);
    await waitFor(() => renewals.length === 1, 5000, 'a re-subscription');
    expect(Date.now() - started).toBeLessThan(2000); // not the 60 s watchdog period
    expect(events).toHaveLength(1); // dead: those events went nowhere
    // Every event it missed is counted as lost, and said so once.
    expect(renewals).toEqual([250]);
    expect(sub.stats.lost).toBe(250);
    expect(lost.reduce((a, b) => a + b, 0)).toBe(250);
    expect(sim.subscriptionCount()).toBe(1); // the dead one was released, the new one is live

    sim.connect({ ...TOOL, remotePort: 445 });
    await waitFor(() => events.some((e) => e.remotePort === 445), 5000, 'an event after healing');
  });

  it('on a quiet PC renews quietly: no notice per watchdog period', async () => {
    const renewals: number[] = [];
    sub = await subscribe(
      engine,
      { onEvent: () => undefined, onResubscribed: (i) => renewals.push(i.missed) },
      {
        watchdogMs: 60,
        lostPollMs: 20,
      },
    );
    await sleep(500);
    expect(sub.stats.resubscriptions).toBeGreaterThanOrEqual(3);
    expect(renewals).toEqual([]);
    expect(sim.subscriptionCount()).toBe(1);
  });

  it('a live subscription that loses events under a flood is not renewed (its callbacks keep coming)', async () => {
    let delivered = 0;
    sub = await subscribe(engine, { onEvent: () => delivered++ }, { watchdogMs: 0, lostPollMs: 150 });
    sim.setQueueCapacity(500);
    for (let i = 0; i < 6; i++) {
      sim.connectRepeat(TOOL, 2000);
      await sleep(40);
    }
    // The flood thins out but does not stop at once, as traffic does.
    for (let i = 0; i < 80; i++) {
      sim.connect(TOOL);
      await sleep(5);
    }
    await waitFor(() => sim.pendingEvents() === 0);
    expect(sub.stats.lost).toBeGreaterThan(0);
    expect(delivered).toBeGreaterThan(0);
    expect(sub.stats.resubscriptions).toBe(0);
  });

  it('with the watchdog off, a quiet subscription is left alone', async () => {
    sub = await subscribe(engine, { onEvent: () => undefined }, { watchdogMs: 0, lostPollMs: 20 });
    await sleep(300);
    expect(sub.stats.resubscriptions).toBe(0);
    expect(sim.subscriptionCount()).toBe(1);
  });
});

describe('when Windows says no', () => {
  let engine: WfpEngine;
  beforeEach(async () => {
    sim.reset();
    engine = await WfpEngine.open(lib, { dynamic: true });
  });
  afterEach(async () => {
    await engine.close().catch(() => undefined);
  });

  it('FwpmNetEventSubscribe4 failing falls back to 3, and events are decoded in that version', async () => {
    sim.failNextCall('FwpmNetEventSubscribe4', FWP_E_INVALID_PARAMETER);
    const events: NetEvent[] = [];
    const sub = await subscribe(engine, { onEvent: (e) => events.push(e) }, { watchdogMs: 0 });
    expect(sub.stats.subscribeFunction).toBe('FwpmNetEventSubscribe3');
    expect(sub.stats.version).toBe(4);
    sim.connect(TOOL);
    await waitFor(() => events.length === 1);
    expect(events[0]).toMatchObject({ appPath: 'C:\\apps\\tool.exe', remotePort: 443, direction: 'out' });
    await sub.stop();
  });

  it("down to FwpmNetEventSubscribe0 when every newer one fails; all failing gives the newest one's error", async () => {
    for (const n of [4, 3, 2, 1]) sim.failNextCall(`FwpmNetEventSubscribe${n}`, FWP_E_INVALID_PARAMETER);
    const sub = await subscribe(engine, { onEvent: () => undefined }, { watchdogMs: 0 });
    expect(sub.stats.subscribeFunction).toBe('FwpmNetEventSubscribe0');
    await sub.stop();
    for (const n of [4, 3, 2, 1, 0]) sim.failNextCall(`FwpmNetEventSubscribe${n}`, FWP_E_INVALID_PARAMETER);
    const error = await subscribe(engine, { onEvent: () => undefined }).catch((e: unknown) => e);
    expect(error).toMatchObject({ func: 'FwpmNetEventSubscribe4', symbol: 'FWP_E_INVALID_PARAMETER' });
    expect(sim.subscriptionCount()).toBe(0);
  });

  it('ERROR_ACCESS_DENIED is not retried with older functions', async () => {
    sim.failNextCall('FwpmNetEventSubscribe4', 5);
    sim.failNextCall('FwpmNetEventSubscribe3', 5);
    const error = await subscribe(engine, { onEvent: () => undefined }).catch((e: unknown) => e);
    expect(error).toMatchObject({ func: 'FwpmNetEventSubscribe4', symbol: 'ERROR_ACCESS_DENIED' });
    // Subscribe3 was never called: its failure is still waiting for the next fallback.
    sim.failNextCall('FwpmNetEventSubscribe4', FWP_E_INVALID_PARAMETER);
    const fallback = await subscribe(engine, { onEvent: () => undefined }, { watchdogMs: 0 }).catch((e: unknown) => e);
    expect(fallback).toMatchObject({ func: 'FwpmNetEventSubscribe3', symbol: 'ERROR_ACCESS_DENIED' });
    expect(sim.subscriptionCount()).toBe(0);
  });

  it('an unsubscribe WFP refuses keeps the callback registered and reports the failure; later events harm nothing', async () => {
    const errors: Error[] = [];
    let calls = 0;
    const sub = await subscribe(engine, { onEvent: () => calls++, onError: (e) => errors.push(e) }, { watchdogMs: 0 });
    sim.failNextCall('FwpmNetEventUnsubscribe0', FWP_E_NOT_FOUND);
    await sub.stop();
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^FwpmNetEventUnsubscribe0 failed: FWP_E_NOT_FOUND/),
    ]);
    expect(sub.stats.leakedCallbacks).toBe(1);
    // WFP still holds the callback and calls it: the slot is still ours, so this is a no-op rather than a crash.
    expect(sim.subscriptionCount()).toBe(1);
    sim.connectRepeat(TOOL, 20);
    await waitFor(() => sim.pendingEvents() === 0);
    expect(calls).toBe(0);
  });

  it('never unsubscribes while a transaction is open on the same session (FWP_E_TXN_IN_PROGRESS)', async () => {
    const errors: Error[] = [];
    const sub = await subscribe(
      engine,
      { onEvent: () => undefined, onError: (e) => errors.push(e) },
      { watchdogMs: 0 },
    );
    let finish!: () => void;
    const held = new Promise<void>((r) => (finish = r));
    const txn = engine.transaction(() => held);
    await sleep(5);
    const stopping = sub.stop();
    await sleep(30);
    expect(sim.subscriptionCount()).toBe(1); // waiting for the transaction, not failing inside it
    finish();
    await txn;
    await stopping;
    expect(errors).toEqual([]);
    expect(sub.stats.leakedCallbacks).toBe(0);
    expect(sim.subscriptionCount()).toBe(0);
  });

  it('the engine restarting is reported once as the session being gone', async () => {
    const gone: Error[] = [];
    const sub = await subscribe(
      engine,
      { onEvent: () => undefined, onEngineLost: (e) => gone.push(e) },
      {
        watchdogMs: 0,
        lostPollMs: 20,
      },
    );
    sim.restartEngine();
    await waitFor(() => gone.length === 1, 3000, 'the engine loss');
    expect(gone[0]!.message).toMatch(/RPC_S_SERVER_UNAVAILABLE/);
    await sleep(100);
    expect(gone).toHaveLength(1);
    expect(sub.stopped).toBe(true);
    await sub.stop();
  });
});
