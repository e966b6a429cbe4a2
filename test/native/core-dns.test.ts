// Domain names end to end on the simulator: the DNS client answers a program's query, and that program's next
// connection to the address carries the name, in the app, in its decision and in `watch`'s `host`.
import { describe, expect, it } from 'vitest';
import { loadDnsSimControl } from '../../native/etw/sim-control';
import { eventsIn, outbound, useCoreOnSimulator, waitFor } from './core/support';

const dns = loadDnsSimControl();
const { sim, startCore } = useCoreOnSimulator();
const TOOL = 'C:\\Apps\\tool.exe';
const NETPROBE = 'C:\\Users\\alex\\AppData\\Local\\Temp\\netprobe.exe';

describe('domain names of blocked connections', () => {
  it('a DNS answer names the next connection to that address from that process, and only that one', async () => {
    dns.reset();
    dns.setProcess(3100, TOOL);
    dns.setProcess(3200, NETPROBE);
    const { core } = await startCore();
    const hosts: (string | null)[] = [];
    core.onEvent((entry, event) => hosts.push(core.describe(entry, event).host));
    await waitFor(() => dns.sessions() === 1, 5000, 'the DNS names session');
    expect(dns.answer(3100, 'updates.contoso.example', '::ffff:198.51.100.7;')).toBe(1);
    // Let the answer reach core before the connection (it comes from the trace's own thread).
    await new Promise((r) => setTimeout(r, 200));
    expect(sim.connect(outbound(TOOL, '198.51.100.7', 443)).action).toBe('block');
    // netprobe reaches the same address without having looked the name up: no name for it.
    expect(sim.connect(outbound(NETPROBE, '198.51.100.7', 443)).action).toBe('block');
    await eventsIn(core, 2);
    const app = (path: string) =>
      core.snapshot().apps.find((a) => a.identity.path?.toLowerCase() === path.toLowerCase());
    expect(app(TOOL)?.endpoints[0]).toMatchObject({
      address: '198.51.100.7',
      hostname: 'updates.contoso.example',
      hostnameSource: 'dns',
    });
    expect(app(NETPROBE)?.endpoints[0]?.hostname).toBeUndefined();
    expect(hosts).toEqual(['updates.contoso.example', null]);
    await core.stop();
    expect(dns.sessions()).toBe(0);
  });
});
