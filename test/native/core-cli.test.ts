// `portcullis reset` leaves no filter, sublayer or provider of ours; `portcullis watch --json` prints
// one valid JSON object per event.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { cliInProcess, cliProgram } from './core/cli';
import { enumerateOurs, outbound, simulator } from './core/support';

const { sim } = simulator();

beforeEach(() => sim.reset());

describe('portcullis CLI on the simulator', () => {
  it('reset removes every filter, the sublayer and the provider of ours', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'portcullis-cli-native-'));
    expect((await cliInProcess(['rules', 'block', 'C:\\Apps\\game.exe'], dataDir)).code).toBe(0);
    expect(
      (await cliInProcess(['rules', 'allow', 'C:\\Apps\\tool.exe', '--override-windows-firewall'], dataDir)).code,
    ).toBe(0);
    expect((await cliInProcess(['mode', 'enforce'], dataDir)).out.trim()).toBe('enforce');
    const before = await enumerateOurs();
    expect(before.filters.length).toBeGreaterThan(10);
    expect(before).toMatchObject({ sublayer: true, provider: true });
    expect(sim.connect(outbound('C:\\Apps\\tool.exe')).action).toBe('permit');

    const reset = await cliInProcess(['reset'], dataDir);
    expect(reset).toMatchObject({ code: 0, err: '' });
    expect(reset.out).toMatch(/Removed every filter, sublayer and provider/);
    expect(await enumerateOurs()).toEqual({ filters: [], sublayer: false, provider: false });
    // Back to the baseline: the Windows Firewall rule blocks tool.exe again.
    expect(sim.connect(outbound('C:\\Apps\\tool.exe')).action).toBe('block');
    const status = await cliInProcess(['status', '--json'], dataDir);
    expect(JSON.parse(status.out)).toMatchObject({
      mode: 'off',
      rules: 2,
      backend: 'simulator',
      delivery: { mode: 'ring' },
    });
    expect((await cliInProcess(['status'], dataDir)).out).toContain('Events:     batched through the event ring');
    expect(await enumerateOurs()).toEqual({ filters: [], sublayer: false, provider: false });
  });

  it('`portcullis watch --json` (the installed bin) prints one JSON object per event', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-watch-'));
    const scenario = join(dir, 'traffic.jsonl');
    writeFileSync(
      scenario,
      [
        { loop: true },
        {
          at_ms: 100,
          app: 'C:\\Apps\\tool.exe',
          remote: '198.51.100.7',
          remote_port: 443,
          protocol: 'tcp',
          direction: 'out',
        },
        {
          at_ms: 150,
          app: 'C:\\Users\\alex\\AppData\\Local\\Temp\\netprobe.exe',
          remote: '192.0.2.44',
          remote_port: 8080,
          protocol: 'tcp',
          direction: 'out',
        },
        {
          at_ms: 200,
          app: 'C:\\Apps\\tool.exe',
          remote: '2001:db8::7',
          remote_port: 53,
          protocol: 'udp',
          direction: 'out',
        },
      ]
        .map((line) => JSON.stringify(line))
        .join('\n'),
    );
    const { code, out, err } = await cliProgram(['watch', '--json', '--limit', '6'], {
      PORTCULLIS_DATA_DIR: join(dir, 'data'),
      PORTCULLIS_SIM_SCENARIO: scenario,
    });
    expect(err).toBe('');
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(6);
    const events = lines.map(
      (line) => JSON.parse(line) as { appKey: string; verdict: string; remotePort: number; event: { type: string } },
    );
    for (const e of events) {
      expect(e.verdict).toBe('blocked');
      expect(e.event.type).toBe('drop');
    }
    expect(events.slice(0, 3).map((e) => [e.appKey, e.remotePort])).toEqual([
      ['path:c:\\apps\\tool.exe', 443],
      ['path:c:\\users\\alex\\appdata\\local\\temp\\netprobe.exe', 8080],
      ['path:c:\\apps\\tool.exe', 53],
    ]);
  });
});
