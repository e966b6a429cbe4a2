// A timed rule expires and its filters are gone.
import { describe, expect, it } from 'vitest';
import { enumerateOurs, outbound, useCoreOnSimulator, waitFor } from './core/support';

const { sim, startCore } = useCoreOnSimulator();

describe('core on the simulator: timed rules', () => {
  it('removes the filters of a rule when its time is up', async () => {
    const r = await startCore();
    const { core } = r;
    const app = 'C:\\Apps\\timed.exe';
    const lasting = await core.handlers['rules.create']({
      appKey: 'path:c:\\apps\\other.exe',
      action: 'block',
      direction: 'out',
      duration: { kind: 'forever' },
    });
    const rule = await core.handlers['rules.create']({
      appKey: `path:${app.toLowerCase()}`,
      action: 'block',
      direction: 'out',
      duration: { kind: 'until', until: Date.now() + 600 },
    });
    const tagged = (await enumerateOurs()).filters.filter((f) => f.tag?.startsWith(`r:${rule.id}:`));
    expect(tagged).toHaveLength(2);
    expect(sim.connect(outbound(app)).action).toBe('block');

    await waitFor(() => core.snapshot().rules.length === 1, 5000, 'the timed rule to expire');
    // The expiry's change runs to its end: its save, then its filters removed in one transaction.
    await core.changesDone();
    const after = (await enumerateOurs()).filters;
    expect(after.filter((f) => f.tag?.startsWith(`r:${rule.id}:`))).toEqual([]);
    expect(after.filter((f) => f.tag?.startsWith(`r:${lasting.id}:`))).toHaveLength(2);
    expect(sim.connect(outbound(app)).action).toBe('permit');
    expect(core.snapshot().rules.map((x) => x.id)).toEqual([lasting.id]);
  });
});
