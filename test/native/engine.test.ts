// Sessions, elevation, BFE start-up, engine options, loading.
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WfpEngine } from '../../native/engine.js';
import { WfpError, WfpLoadError } from '../../native/errors.js';
import { createFilterManager } from '../../native/filters.js';
import { loadWfp } from '../../native/loader.js';
import { enableEventCollection } from '../../native/options.js';
import { subscribe } from '../../native/subscription.js';
import { FWPM_ENGINE_OPTION, FWPM_NET_EVENT_KEYWORD as K } from '../../native/wfp/constants.js';
import { simulator, waitFor } from './helpers.js';

const { sim, lib } = simulator();

describe('loading', () => {
  it('loads the simulator once per process and says which backend it is', () => {
    expect(lib.backend).toBe('simulator');
    expect(loadWfp()).toBe(lib);
    expect(lib.exported.has('FwpmNetEventSubscribe4')).toBe(true);
  });

  it('names the file it looked for and how to build it when nothing loads', () => {
    let error: unknown;
    try {
      loadWfp({ libraryPath: '/nonexistent/libwfpsim.so' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WfpLoadError);
    expect((error as Error).message).toContain(resolve('/nonexistent/libwfpsim.so'));
    expect((error as Error).message).toContain('npm run build:sim');
  });
});

describe('engine sessions', () => {
  beforeEach(() => sim.reset());
  afterEach(() => sim.reset());

  it('without elevation the session opens (as on Windows) and open still says to run as administrator', async () => {
    sim.setElevated(false);
    // Windows lets everyone open the engine; the privileged calls are refused one by one.
    const raw = await WfpEngine.open(lib, { dynamic: true, requireElevation: false });
    const optionCode = raw.lib.fn.FwpmEngineGetOption0(raw.handle, 0, [null]) as number;
    expect(optionCode).toBe(5);
    await raw.close();
    const error = await WfpEngine.open(lib).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WfpError);
    expect(error).toMatchObject({ func: 'FwpmEngineGetOption0', code: 5, symbol: 'ERROR_ACCESS_DENIED' });
    expect((error as WfpError).hint).toMatch(/run Portcullis as administrator/i);
    expect((error as WfpError).message).toBe(
      'FwpmEngineGetOption0 (the engine session opened, but this process is not elevated) failed: ' +
        'ERROR_ACCESS_DENIED (0x00000005). Run Portcullis as administrator: changing or watching the firewall needs elevation.',
    );
  });

  it('a session opened before elevation was lost reports ACCESS_DENIED on filter changes too', async () => {
    const engine = await WfpEngine.open(lib, { dynamic: true });
    try {
      sim.setElevated(false);
      const error = await createFilterManager(engine)
        .ensureProviderAndSublayer()
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ symbol: 'ERROR_ACCESS_DENIED' });
      expect((error as WfpError).hint).toMatch(/administrator/);
    } finally {
      sim.setElevated(true);
      await engine.close();
    }
  });

  it('waits for the Base Filtering Engine to start (EPT_S_NOT_REGISTERED) and then opens', async () => {
    sim.setBfeUnavailable(3);
    const engine = await WfpEngine.open(lib, { retry: { attempts: 5, delayMs: 5 } });
    await engine.close();
  });

  it('gives up with the BFE hint when it never starts', async () => {
    sim.setBfeUnavailable(10);
    const error = await WfpEngine.open(lib, { retry: { attempts: 3, delayMs: 1 } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ symbol: 'EPT_S_NOT_REGISTERED' });
    expect((error as WfpError).hint).toMatch(/Base Filtering Engine service is not running/);
  });

  it('closing the session stops its subscriptions first', async () => {
    const engine = await WfpEngine.open(lib, { dynamic: true });
    const sub = await subscribe(engine, { onEvent: () => undefined }, { watchdogMs: 0 });
    expect(sim.subscriptionCount()).toBe(1);
    await engine.close();
    expect(sub.stopped).toBe(true);
    expect(sim.subscriptionCount()).toBe(0);
  });
});

describe('event collection options', () => {
  beforeEach(() => sim.reset());

  it('adds only the keywords it needs and restores only what it changed', async () => {
    const engine = await WfpEngine.open(lib);
    try {
      // Someone else already asked for multicast events: that bit is not ours to clear.
      engine.setOption(FWPM_ENGINE_OPTION.NET_EVENT_MATCH_ANY_KEYWORDS, K.INBOUND_MCAST | K.CAPABILITY_DROP);
      const change = await enableEventCollection(engine, { allowEvents: true });
      expect(change.changed).toEqual({
        collectionEnabled: false,
        keywordsAdded: K.CLASSIFY_ALLOW | K.CAPABILITY_ALLOW,
      });
      expect(engine.getOption(FWPM_ENGINE_OPTION.NET_EVENT_MATCH_ANY_KEYWORDS)).toBe(
        K.INBOUND_MCAST | K.CAPABILITY_DROP | K.CLASSIFY_ALLOW | K.CAPABILITY_ALLOW,
      );
      await change.restore();
      expect(engine.getOption(FWPM_ENGINE_OPTION.NET_EVENT_MATCH_ANY_KEYWORDS)).toBe(
        K.INBOUND_MCAST | K.CAPABILITY_DROP,
      );
    } finally {
      await engine.close();
    }
  });

  it('turns collection on when it was off, and off again on restore', async () => {
    const engine = await WfpEngine.open(lib);
    try {
      engine.setOption(FWPM_ENGINE_OPTION.COLLECT_NET_EVENTS, 0);
      const change = await enableEventCollection(engine, { allowEvents: false });
      expect(change.changed.collectionEnabled).toBe(true);
      expect(engine.getOption(FWPM_ENGINE_OPTION.COLLECT_NET_EVENTS)).toBe(1);
      await change.restore();
      expect(engine.getOption(FWPM_ENGINE_OPTION.COLLECT_NET_EVENTS)).toBe(0);
    } finally {
      await engine.close();
    }
  });

  it('allow events arrive only once the keyword is on', async () => {
    const engine = await WfpEngine.open(lib);
    const events: string[] = [];
    const sub = await subscribe(engine, { onEvent: (e) => events.push(e.type) }, { watchdogMs: 0 });
    try {
      const app = {
        appPath: 'C:\\Apps\\free.exe',
        remoteAddress: '1.1.1.1',
        remotePort: 80,
        protocol: 6,
        direction: 'out' as const,
      };
      expect(sim.connect(app).action).toBe('permit');
      await waitFor(() => sim.pendingEvents() === 0);
      const change = await enableEventCollection(engine, { allowEvents: true });
      sim.connect(app);
      // Windows reports an allowed connection at the connect layer and again when its flow is established.
      await waitFor(() => events.length === 2);
      expect(events).toEqual(['allow', 'allow']);
      await change.restore();
    } finally {
      await sub.stop();
      await engine.close();
    }
  });

  it('refuses to change options from a dynamic session', async () => {
    const engine = await WfpEngine.open(lib, { dynamic: true });
    try {
      await expect(enableEventCollection(engine, { allowEvents: true })).rejects.toThrow(/dynamic session/);
    } finally {
      await engine.close();
    }
  });
});
