// End to end through the simulator: a baseline block, our hard permit, our block, attribution, clean removal.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppFilterSpec } from '../../native/api.js';
import { WfpEngine } from '../../native/engine.js';
import { createFilterManager } from '../../native/filters.js';
import type { SimConnection } from '../../native/sim-control.js';
import { guidToStruct, PORTCULLIS_PROVIDER_KEY, PORTCULLIS_SUBLAYER_KEY } from '../../native/wfp/guids.js';
import { collect, simulator, sleep, waitFor, type Collector } from './helpers.js';

const { sim, lib } = simulator();
const TOOL: SimConnection = {
  appPath: 'C:\\Apps\\tool.exe',
  localAddress: '192.168.1.10',
  remoteAddress: '93.184.216.34',
  localPort: 50500,
  remotePort: 443,
  protocol: 6,
  direction: 'out',
};

describe('filters, end to end', () => {
  let engine: WfpEngine;
  let c: Collector;

  beforeEach(async () => {
    sim.reset();
    engine = await WfpEngine.open(lib, { dynamic: false });
    c = await collect(engine);
  });
  afterEach(async () => {
    await c.subscription.stop();
    await createFilterManager(engine).removeAllOurs();
    await engine.close();
  });

  const drops = () => c.events.filter((e) => e.type === 'drop');

  it('attributes a baseline block to Windows Firewall, keeps it over our soft permit, lets a hard permit through, attributes our block to us', async () => {
    const filters = createFilterManager(engine);

    // 1. The baseline blocks the tool; the drop names the baseline's filter.
    const baseline = sim.connect(TOOL);
    expect(baseline.action).toBe('block');
    await waitFor(() => drops().length === 1, 5000, 'the baseline drop');
    const drop = drops()[0]!;
    expect(drop).toMatchObject({
      filterId: baseline.filterId,
      direction: 'out',
      appPath: 'C:\\apps\\tool.exe',
      remoteAddress: '93.184.216.34',
      remotePort: 443,
      protocol: 6,
    });
    const baselineInfo = filters.filterInfo(drop.filterId!);
    expect(baselineInfo?.owner).toBe('windows-firewall');
    expect(baselineInfo?.action).toBe('block');
    expect(baselineInfo?.providerName).toBeTruthy();

    // 2. A permit of ours is soft: Windows Firewall's block still wins.
    await filters.ensureProviderAndSublayer();
    const soft = await filters.apply({
      add: [{ appPath: 'C:\\Apps\\tool.exe', action: 'permit', direction: 'out', name: 'Allow tool (soft)' }],
      remove: [],
    });
    const stillBlocked = sim.connect(TOOL);
    expect(stillBlocked.action).toBe('block');
    expect(stillBlocked.filterId).toBe(drop.filterId);
    await waitFor(() => drops().length === 2, 5000, 'the second drop');

    // Only a permit marked hard (a rule whose user asked to override Windows Firewall) overrides it.
    const permit: AppFilterSpec = {
      appPath: 'C:\\Apps\\tool.exe',
      action: 'permit',
      direction: 'out',
      name: 'Allow tool',
      tag: 'rule-1',
      hard: true,
    };
    const { added } = await filters.apply({ add: [permit], remove: soft.added[0]! });
    expect(added).toHaveLength(1);
    expect(added[0]).toHaveLength(2);
    const permitted = sim.connect(TOOL);
    expect(permitted.action).toBe('permit');
    expect(added[0]).toContain(permitted.filterId);
    await waitFor(() => sim.pendingEvents() === 0);
    await sleep(50);
    expect(drops()).toHaveLength(2);
    expect(filters.filterInfo(permitted.filterId)).toMatchObject({
      owner: 'portcullis',
      action: 'permit',
      name: 'Allow tool',
    });

    // 3. Replace the permit by our block: the drop is ours.
    const block: AppFilterSpec = {
      appPath: 'C:\\Apps\\tool.exe',
      action: 'block',
      direction: 'out',
      name: 'Block tool',
      tag: 'rule-2',
    };
    const second = await filters.apply({ add: [block], remove: added[0]! });
    const blocked = sim.connect(TOOL);
    expect(blocked.action).toBe('block');
    expect(second.added[0]).toContain(blocked.filterId);
    await waitFor(() => drops().length === 3, 5000, 'our drop');
    const ours = filters.filterInfo(drops()[2]!.filterId!);
    expect(ours).toMatchObject({
      owner: 'portcullis',
      action: 'block',
      name: 'Block tool',
      providerKey: PORTCULLIS_PROVIDER_KEY,
    });
    expect(ours?.providerName).toBe('Portcullis');

    // The tag comes back with the filters, after the permit's removal.
    const listed = await filters.listOurs();
    expect(listed.map((f) => f.filterId).sort()).toEqual([...second.added[0]!].sort());
    expect(listed.every((f) => f.tag === 'rule-2' && f.action === 'block' && f.name === 'Block tool')).toBe(true);
  });

  it('narrows by protocol, port and address prefix; the default block (no application) sits below rules', async () => {
    const filters = createFilterManager(engine);
    const UDP_DNS: SimConnection = {
      ...TOOL,
      appPath: 'C:\\Apps\\other.exe',
      remoteAddress: '10.1.2.3',
      remotePort: 53,
      protocol: 17,
    };
    await filters.apply({
      add: [
        { action: 'block', direction: 'out', name: 'Default block', weight: 0 },
        {
          appPath: 'C:\\Apps\\other.exe',
          action: 'permit',
          direction: 'out',
          protocol: 17,
          remotePort: 53,
          remoteAddress: '10.0.0.0/8',
          name: 'DNS',
          weight: 10,
        },
      ],
      remove: [],
    });
    expect(sim.connect(UDP_DNS).action).toBe('permit');
    expect(sim.connect({ ...UDP_DNS, remotePort: 54 }).action).toBe('block');
    expect(sim.connect({ ...UDP_DNS, remoteAddress: '11.1.2.3' }).action).toBe('block');
    expect(sim.connect({ ...UDP_DNS, protocol: 6 }).action).toBe('block');
    expect(sim.connect({ ...UDP_DNS, appPath: 'C:\\Apps\\third.exe' }).action).toBe('block');
  });

  it('removing everything of ours leaves no filter, sublayer or provider of ours', async () => {
    const filters = createFilterManager(engine);
    await filters.apply({
      add: [
        { appPath: 'C:\\Apps\\tool.exe', action: 'permit', direction: 'both', name: 'a' },
        { action: 'block', direction: 'in', name: 'b' },
      ],
      remove: [],
    });
    expect(await filters.listOurs()).toHaveLength(6);
    await filters.removeAllOurs();
    expect(await filters.listOurs()).toEqual([]);
    const out: unknown[] = [null];
    expect(lib.fn.FwpmSubLayerGetByKey0(engine.handle, guidToStruct(PORTCULLIS_SUBLAYER_KEY), out)).toBe(0x80320007);
    expect(lib.fn.FwpmProviderGetByKey0(engine.handle, guidToStruct(PORTCULLIS_PROVIDER_KEY), out)).toBe(0x80320005);
    expect(sim.connect(TOOL).action).toBe('block');
  });

  it('applies all or nothing: when an add fails, the removal in the same call is undone, and the error says which add', async () => {
    const filters = createFilterManager(engine);
    await filters.ensureProviderAndSublayer();
    // Another tool deletes our (still empty) sublayer behind our back: our next add has nowhere to go.
    expect(lib.fn.FwpmSubLayerDeleteByKey0(engine.handle, guidToStruct(PORTCULLIS_SUBLAYER_KEY))).toBe(0);
    const baseline = sim.connect(TOOL);
    expect(baseline.action).toBe('block');
    await expect(
      filters.apply({
        add: [{ appPath: 'C:\\Apps\\tool.exe', action: 'permit', direction: 'out', name: 'replacement' }],
        remove: [baseline.filterId],
      }),
    ).rejects.toThrow(
      /^FwpmFilterAdd0 \(add\[0\] "replacement" on ALE_AUTH_CONNECT_V4\) failed: FWP_E_SUBLAYER_NOT_FOUND \(0x80320007\)/,
    );
    // The removal was rolled back with the transaction.
    expect(sim.connect(TOOL)).toEqual(baseline);
    expect(await filters.listOurs()).toEqual([]);
  });

  it('rejects an application on an unmapped drive before touching WFP', async () => {
    const filters = createFilterManager(engine);
    await expect(
      filters.apply({
        add: [{ appPath: 'Q:\\nowhere\\x.exe', action: 'block', direction: 'out', name: 'x' }],
        remove: [],
      }),
    ).rejects.toThrow(/add\[0\] "x": drive Q: is not present/);
    expect(await filters.listOurs()).toEqual([]);
  });
});
