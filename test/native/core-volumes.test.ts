// Filters match a program by the NT path it had when they were added (\device\harddiskvolumeN\...). Volume numbers
// change when a partition is added or a recovery partition resized; the next start must follow the program there.
import { describe, expect, it } from 'vitest';
import { eventsIn, outbound, useCoreOnSimulator, waitFor } from './core/support';

const { sim, startCore } = useCoreOnSimulator();

describe('a volume renumbered between two starts', () => {
  it('an allowed app still connects in Enforce once its drive is another device, and the rule stays one rule', async () => {
    const browser = 'C:\\Apps\\browser.exe';
    const key = `path:${browser.toLowerCase()}`;
    const first = await startCore();
    await first.core.handlers['mode.set']({ mode: 'enforce' });
    expect(sim.connect(outbound(browser)).action).toBe('block');
    await eventsIn(first.core, 1);
    await waitFor(() => first.core.snapshot().apps.some((a) => a.identity.key === key), 5_000, 'the browser listed');
    await first.core.handlers['rules.create']({
      appKey: key,
      action: 'allow',
      direction: 'out',
      duration: { kind: 'forever' },
    });
    expect(sim.connect(outbound(browser)).action).toBe('permit');
    await first.core.stop();

    // After a reboot, C: is another volume number; the filter of the last session names the old one.
    sim.mapDrive('C:', '\\Device\\HarddiskVolume9');
    expect(sim.connect(outbound(browser)).action).toBe('block');

    const again = await startCore(first.dataDir);
    expect(again.core.status().mode).toBe('enforce');
    expect(sim.connect(outbound(browser)).action).toBe('permit');
    expect(sim.connect(outbound('C:\\Apps\\other.exe')).action).toBe('block');
    expect(again.core.snapshot().rules).toHaveLength(1);
  });
});
