// Ten apps seen while learning give ten candidates; committing them gives ten allow rules; in Enforce
// none of them is blocked and an eleventh app is.
import { describe, expect, it } from 'vitest';
import { eventsIn, outbound, useCoreOnSimulator, waitFor } from './core/support';

const { sim, startCore } = useCoreOnSimulator();

const apps = Array.from({ length: 10 }, (_, i) => `C:\\Program Files\\Learned\\app${i}.exe`);

describe('core on the simulator: Learning', () => {
  it('learns ten apps, commits them as allow rules, and Enforce then blocks only an eleventh', async () => {
    const r = await startCore();
    const { core } = r;
    await core.handlers['mode.set']({ mode: 'learning' });
    apps.forEach((app, i) => {
      expect(sim.connect(outbound(app, `198.51.100.${i + 1}`, 443)).action).toBe('permit');
    });
    sim.connect(outbound(apps[0]!, '198.51.100.200', 80));
    await eventsIn(core, 11);

    const candidates = core.snapshot().candidates;
    expect(candidates).toHaveLength(10);
    expect(candidates.map((c) => c.app.key).sort()).toEqual(apps.map((a) => `path:${a.toLowerCase()}`).sort());
    const app0 = candidates.find((c) => c.app.key === `path:${apps[0]!.toLowerCase()}`)!;
    expect(app0.connections).toBe(2);
    expect(app0.endpoints.map((e) => e.address)).toEqual(['198.51.100.200', '198.51.100.1']);
    expect(core.snapshot().apps.every((a) => a.allowedCount > 0 && a.blockedCount === 0)).toBe(true);

    const { rules } = await core.handlers['learning.commit']({ appKeys: 'all' });
    expect(rules).toHaveLength(10);
    expect(rules.every((rule) => rule.action === 'allow' && rule.source === 'learning')).toBe(true);
    expect(core.snapshot().candidates).toEqual([]);

    await core.handlers['mode.set']({ mode: 'enforce' });
    for (const app of apps) expect(sim.connect(outbound(app, '203.0.113.1', 443)).action, app).toBe('permit');
    const eleventh = sim.connect(outbound('C:\\Program Files\\Other\\eleventh.exe', '203.0.113.1', 443));
    expect(eleventh.action).toBe('block');
    await waitFor(() => core.snapshot().decisions.length === 1, 5000, 'a decision for the eleventh app');
    expect(core.snapshot().decisions[0]!.app.key).toBe('path:c:\\program files\\other\\eleventh.exe');
  });
});
