// Publishers end to end on the simulator: the core checks each blocked app's signature off the event path and shows
// it on the app; `portcullis watch --json` carries `service`, `publisher` and `host`.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTrustSimControl } from '../../native/wintrust/sim-control';
import { TRUST_RESULT } from '../../native/wintrust/types';
import { cliProgram } from './core/cli';
import { eventsIn, outbound, useCoreOnSimulator, waitFor } from './core/support';

const trust = loadTrustSimControl();
const { sim, startCore } = useCoreOnSimulator();
const TOOL = 'C:\\Apps\\tool.exe';
const FAKE_CHROME = 'C:\\Users\\ann\\Downloads\\chrome.exe';

describe('publishers of blocked apps', () => {
  it('names the signer, says "not signed", and marks an unsigned app that calls itself Google Chrome', async () => {
    trust.reset();
    trust.setFileSignature(TOOL, 0, 'Contoso Ltd');
    trust.setFileSignature(FAKE_CHROME, TRUST_RESULT.TRUST_E_NOSIGNATURE);
    const { core } = await startCore();
    expect(sim.connect(outbound(TOOL, '198.51.100.7', 443)).action).toBe('block');
    // Nothing lets a program in Downloads receive connections: the default inbound block drops it.
    expect(
      sim.connect({ ...outbound(FAKE_CHROME, '198.51.100.9', 51000), direction: 'in', localPort: 8080 }).action,
    ).toBe('block');
    await eventsIn(core, 2);
    const app = (path: string) =>
      core.snapshot().apps.find((a) => a.identity.path?.toLowerCase() === path.toLowerCase());
    await waitFor(
      () => app(TOOL)?.publisher !== undefined && app(FAKE_CHROME)?.publisher !== undefined,
      5000,
      'checks',
    );
    expect(app(TOOL)?.publisher).toEqual({ status: 'verified', signer: 'Contoso Ltd', label: 'Contoso Ltd, verified' });
    expect(app(FAKE_CHROME)?.publisher).toEqual({
      status: 'unsigned',
      label: 'not signed',
      risk: 'Calls itself Google Chrome but is not signed.',
    });
  });

  it('`portcullis watch --json` carries service, publisher and host on every event', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-watch-publisher-'));
    const scenario = join(dir, 'traffic.jsonl');
    const line = (o: object) => JSON.stringify(o);
    writeFileSync(
      scenario,
      [
        line({ loop: true, after_ms: 300 }),
        line({
          at_ms: 50,
          app: TOOL,
          signer: 'Contoso Ltd',
          remote: '198.51.100.7',
          remote_port: 443,
          protocol: 'tcp',
          direction: 'out',
        }),
        line({
          at_ms: 100,
          app: 'C:\\Windows\\System32\\svchost.exe',
          signer: 'Microsoft Windows',
          // NetworkService, the account Dnscache runs as: Windows names the account here, never the service.
          user_sid: 'S-1-5-20',
          local: '192.0.2.10',
          local_port: 5353,
          remote: '198.51.100.53',
          remote_port: 5353,
          protocol: 'udp',
          direction: 'in',
        }),
      ].join('\n'),
    );
    const { code, out, err } = await cliProgram(['watch', '--json', '--limit', '8'], {
      PORTCULLIS_DATA_DIR: join(dir, 'data'),
      PORTCULLIS_SIM_SCENARIO: scenario,
    });
    expect(err).toBe('');
    expect(code).toBe(0);
    type Line = { appKey: string; service: string | null; publisher: { label: string } | null; host: string | null };
    const events = out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Line);
    expect(events).toHaveLength(8);
    for (const e of events) {
      expect(e).toHaveProperty('service');
      expect(e).toHaveProperty('publisher');
      expect(e).toHaveProperty('host');
    }
    // The first event of each program comes before its check has run; the later rounds carry the signer.
    const late = events.slice(4);
    expect(late.find((e) => e.appKey === 'path:c:\\apps\\tool.exe')).toMatchObject({
      service: null,
      publisher: { label: 'Contoso Ltd, verified' },
    });
    expect(late.find((e) => e.appKey === 'path:c:\\windows\\system32\\svchost.exe')).toMatchObject({
      service: null,
      publisher: { label: 'Microsoft Windows, verified' },
    });
  });
});
