// Five apps connect, the baseline blocks two; the index holds exactly those two with the right
// counts, endpoints and attribution; allowing one lets it through; a new core on the same data folder restores the
// rule in WFP without duplicates.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serviceSid } from '../../electron/core/apps/service-sids';
import { enumerateOurs, eventsIn, outbound, SVCHOST, useCoreOnSimulator } from './core/support';

const TOOL = 'C:\\Apps\\tool.exe';
const NETPROBE = 'C:\\Users\\alex\\AppData\\Local\\Temp\\netprobe.exe';
const { sim, startCore } = useCoreOnSimulator();
// WFP reports application ids in lower case, so the paths core sees are lower case too.
const isPath = (path: string | undefined, expected: string) => path?.toLowerCase() === expected.toLowerCase();

describe('core on the simulator: blocked apps', () => {
  it('indexes exactly the blocked apps, attributes them, and an allow lets the app through across restarts', async () => {
    const first = await startCore();
    const { core } = first;

    // Five apps; the baseline (Windows Defender Firewall) blocks tool.exe and netprobe.exe.
    expect(sim.connect(outbound('C:\\Program Files\\Contoso Browser\\browser.exe')).action).toBe('permit');
    expect(sim.connect(outbound('C:\\Program Files\\Mozilla Firefox\\firefox.exe')).action).toBe('permit');
    expect(sim.connect({ ...outbound(SVCHOST, '192.168.1.1', 53, 17), userSid: serviceSid('Dnscache') }).action).toBe(
      'permit',
    );
    const toolVerdicts = [
      sim.connect(outbound(TOOL, '198.51.100.7', 443)),
      sim.connect(outbound(TOOL, '198.51.100.7', 443)),
      sim.connect(outbound(TOOL, '198.51.100.8', 80)),
    ];
    expect(toolVerdicts.map((v) => v.action)).toEqual(['block', 'block', 'block']);
    expect(sim.connect(outbound(NETPROBE, '192.0.2.44', 8080)).action).toBe('block');
    expect(sim.connect(outbound(NETPROBE, '192.0.2.44', 8080)).action).toBe('block');
    await eventsIn(core, 5);

    const snap = core.snapshot();
    const blocked = snap.apps.filter((a) => a.blockedCount > 0);
    expect(blocked.map((a) => a.identity.key).sort()).toEqual(
      [`path:${TOOL}`, `path:${NETPROBE}`].map((k) => k.toLowerCase()).sort(),
    );
    expect(snap.status.blockedApps).toBe(2);
    const tool = blocked.find((a) => isPath(a.identity.path, TOOL))!;
    expect(tool).toMatchObject({
      blockedCount: 3,
      blockedBy: 'windows-firewall',
      blockedByFilter: 'Block Tool (outbound)',
      state: 'pending',
      directions: ['out'],
      protocols: [6],
      ports: [80, 443],
    });
    expect(tool.identity.ntPath).toBe('\\device\\harddiskvolume3\\apps\\tool.exe');
    expect(tool.endpoints.map((e) => [e.address, e.port, e.count])).toEqual([
      ['198.51.100.8', 80, 1],
      ['198.51.100.7', 443, 2],
    ]);
    const netprobe = blocked.find((a) => isPath(a.identity.path, NETPROBE))!;
    expect(netprobe).toMatchObject({
      blockedCount: 2,
      blockedBy: 'windows-firewall',
      blockedByFilter: 'Block netprobe (outbound)',
    });
    expect(netprobe.endpoints).toEqual([expect.objectContaining({ address: '192.0.2.44', port: 8080, count: 2 })]);
    expect(snap.decisions.map((d) => d.app.key).sort()).toEqual([tool.identity.key, netprobe.identity.key].sort());

    // A plain allow is soft: Windows Firewall's rule still blocks tool.exe.
    const soft = await core.handlers['apps.decide']({ appKeys: [tool.identity.key], decision: 'allow' });
    expect(soft.rules[0]).toMatchObject({ action: 'allow', direction: 'out' });
    expect(soft.rules[0]!.overridesWindowsFirewall).toBeUndefined();
    expect(sim.connect(outbound(TOOL, '198.51.100.7', 443)).action).toBe('block');
    // The drop came from a Windows Defender Firewall rule, so the user may override it on this app's rule.
    const { rules } = await core.handlers['apps.decide']({
      appKeys: [tool.identity.key],
      decision: 'allow',
      overrideWindowsFirewall: true,
    });
    expect(rules[0]).toMatchObject({ id: soft.rules[0]!.id, overridesWindowsFirewall: true });
    const rule = rules[0]!;
    const after = sim.connect(outbound(TOOL, '198.51.100.7', 443));
    expect(after.action).toBe('permit');
    const ours = await enumerateOurs();
    expect(ours.filters.map((f) => f.filterId)).toContain(after.filterId);
    const snapAfter = core.snapshot();
    expect(snapAfter.apps.find((a) => a.identity.key === tool.identity.key)).toMatchObject({
      state: 'allowed',
      ruleId: rule.id,
    });
    expect(snapAfter.decisions.map((d) => d.app.key)).toEqual([netprobe.identity.key]);
    const stored = JSON.parse(readFileSync(join(first.dataDir, 'rules.json'), 'utf8')) as {
      rules: { id: string; action: string }[];
    };
    expect(stored.rules).toEqual([expect.objectContaining({ id: rule.id, action: 'allow' })]);
    expect(sim.connect(outbound(NETPROBE)).action).toBe('block');

    // A new core on the same folder, WFP still holding our filters: nothing is added twice.
    const filtersBefore = (await enumerateOurs()).filters;
    await first.core.stop();
    const second = await startCore(first.dataDir);
    const filtersAfter = (await enumerateOurs()).filters;
    expect(filtersAfter.map((f) => f.filterId).sort()).toEqual(filtersBefore.map((f) => f.filterId).sort());
    expect(new Set(filtersAfter.map((f) => `${f.tag}|${f.layerKey}`)).size).toBe(filtersAfter.length);
    expect(sim.connect(outbound(TOOL)).action).toBe('permit');

    // A machine that lost our filters (fresh WFP): the next core restores the rule from the store.
    await second.core.stop();
    sim.reset();
    expect(sim.connect(outbound(TOOL)).action).toBe('block');
    const third = await startCore(first.dataDir);
    expect(sim.connect(outbound(TOOL)).action).toBe('permit');
    expect((await enumerateOurs()).filters).toHaveLength(filtersBefore.length);
    expect(third.core.snapshot().rules.map((r) => r.id)).toEqual([rule.id]);
  });
});
