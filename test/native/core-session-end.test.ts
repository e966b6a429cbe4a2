// Logoff and shutdown: Windows kills the process as soon as the window's session-end handler returns, so the
// engine options Portcullis turned on must be back to what they were before that handler returns.
import { describe, expect, it } from 'vitest';
import { WfpEngine } from '../../native/engine';
import { FWPM_ENGINE_OPTION } from '../../native/wfp/constants';
import { simulator, useCoreOnSimulator } from './core/support';

describe('session end', () => {
  const { startCore } = useCoreOnSimulator();
  const { lib } = simulator();

  it('puts the engine options back synchronously, without waiting for any promise', async () => {
    const probe = await WfpEngine.open(lib);
    try {
      probe.setOption(FWPM_ENGINE_OPTION.COLLECT_NET_EVENTS, 0);
      probe.setOption(FWPM_ENGINE_OPTION.NET_EVENT_MATCH_ANY_KEYWORDS, 0);
      const { core } = await startCore();
      expect(probe.getOption(FWPM_ENGINE_OPTION.COLLECT_NET_EVENTS)).toBe(1);
      expect(probe.getOption(FWPM_ENGINE_OPTION.NET_EVENT_MATCH_ANY_KEYWORDS)).not.toBe(0);

      core.endSession();
      // No await between the call and the reads: this is all a process being killed at logoff gets to run.
      expect(probe.getOption(FWPM_ENGINE_OPTION.COLLECT_NET_EVENTS)).toBe(0);
      expect(probe.getOption(FWPM_ENGINE_OPTION.NET_EVENT_MATCH_ANY_KEYWORDS)).toBe(0);
    } finally {
      await probe.close();
    }
  });
});
