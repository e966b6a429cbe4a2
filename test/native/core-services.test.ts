// Windows services told apart end to end on the simulator: the setting turns failure auditing on, the Security log's
// record of a blocked svchost connection names its process, and the row, the decision and `watch`'s `service` name
// the service(s) in that process; off puts Windows' audit setting back as it was and the row says "service unknown".
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryConnectionAudit } from '../../native/services/audit-policy';
import { loadServicesSimControl } from '../../native/services/sim-control';
import type { SimConnection } from '../../native/sim-control';
import type { PortcullisCore } from '../../electron/core';
import { serviceSid } from '../../electron/core/apps/service-sids';
import { cliProgram, repo } from './core/cli';
import { eventsIn, useCoreOnSimulator } from './core/support';

const svc = loadServicesSimControl();
const { sim, startCore } = useCoreOnSimulator();
const SVCHOST = 'C:\\Windows\\System32\\svchost.exe';

/** An inbound attempt to a port of an svchost process: blocked in every mode by Windows' default inbound rule. */
function inbound(localPort: number, remote = '198.51.100.60'): SimConnection {
  return {
    appPath: SVCHOST,
    userSid: 'S-1-5-20',
    direction: 'in',
    protocol: 6,
    localAddress: '192.0.2.10',
    localPort,
    remoteAddress: remote,
    remotePort: 50220,
  };
}

const svchostRows = (core: PortcullisCore) =>
  core
    .snapshot()
    .apps.filter((a) => a.identity.path?.toLowerCase().endsWith('svchost.exe'))
    .map((a) => ({ key: a.identity.key, name: a.identity.displayName, blocked: a.blockedCount }));

async function servicesOn(core: PortcullisCore, on: boolean): Promise<void> {
  await core.handlers['settings.update']({ patch: { tellServicesApart: on } });
}

describe('Windows services behind svchost', () => {
  it('an svchost drop joined to its audit record names its service, and off puts the audit setting back', async () => {
    svc.reset();
    svc.setService('DoSvc', 3120, { displayName: 'Delivery Optimization', type: 0x10 });
    svc.setService('Dnscache', 1520, { displayName: 'DNS Client', type: 0x10 });
    const { core } = await startCore();
    const services: (string | null)[] = [];
    core.onEvent((entry, event) => services.push(core.describe(entry, event).service));
    expect(queryConnectionAudit()).toBe(0);
    await servicesOn(core, true);
    expect(queryConnectionAudit()).toBe(2);
    expect(core.snapshot().settings.serviceAuditBefore).toBe(0);

    expect(svc.connectFrom(3120, inbound(7680)).action).toBe(0x1001);
    await eventsIn(core, 1);
    expect(svchostRows(core)).toEqual([{ key: 'service:dosvc', name: 'Delivery Optimization (dosvc)', blocked: 1 }]);
    expect(services).toEqual(['dosvc']);

    await servicesOn(core, false);
    expect(queryConnectionAudit()).toBe(0);
    expect(core.snapshot().settings.serviceAuditBefore).toBeUndefined();
    // Off: nothing is held or joined, the next drop is the unknown svchost at once.
    svc.connectFrom(1520, inbound(7680, '198.51.100.61'));
    await eventsIn(core, 2);
    expect(svchostRows(core)).toContainEqual({
      key: 'path:c:\\windows\\system32\\svchost.exe',
      name: 'svchost (service unknown)',
      blocked: 1,
    });
    expect(services).toEqual(['dosvc', null]);
  });

  it('two services in one process are both named, and neither can be allowed alone from it', async () => {
    svc.reset();
    svc.setService('wuauserv', 1204, { displayName: 'Windows Update' });
    svc.setService('BITS', 1204, { displayName: 'Background Intelligent Transfer Service' });
    const { core } = await startCore();
    const services: (string | null)[] = [];
    core.onEvent((entry, event) => services.push(core.describe(entry, event).service));
    await servicesOn(core, true);
    svc.connectFrom(1204, inbound(8530));
    await eventsIn(core, 1);
    const [row] = core.snapshot().apps.filter((a) => a.identity.path?.toLowerCase().endsWith('svchost.exe'));
    expect(row?.identity).toMatchObject({
      kind: 'svchost-unknown',
      displayName: 'svchost (Background Intelligent Transfer Service or Windows Update)',
      services: ['bits', 'wuauserv'],
    });
    expect(services).toEqual(['bits, wuauserv']);
    await expect(core.handlers['apps.decide']({ appKeys: [row!.identity.key], decision: 'allow' })).rejects.toThrow(
      /which service inside svchost\.exe/,
    );
  });

  it('an svchost drop whose record never comes goes on as "service unknown" after a short hold', async () => {
    svc.reset(); // no services listed: the record names a process the service list does not know
    const { core } = await startCore();
    await servicesOn(core, true);
    const started = Date.now();
    svc.connectFrom(999, inbound(7680));
    await eventsIn(core, 1, 5000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(svchostRows(core).map((r) => r.name)).toEqual(['svchost (service unknown)']);
  });

  it('turning it on without administrator rights leaves the setting and says why; reset puts auditing back', async () => {
    svc.reset();
    const { core } = await startCore();
    sim.setElevated(false);
    await servicesOn(core, true);
    sim.setElevated(true);
    expect(core.snapshot().settings.tellServicesApart).toBe(true);
    expect(queryConnectionAudit()).toBe(0);
    expect(
      core
        .status()
        .notices.map((n) => n.message)
        .join('\n'),
    ).toMatch(
      /Windows services are not told apart .*AdjustTokenPrivileges failed: ERROR_NOT_ALL_ASSIGNED .*administrator/,
    );
    // The next try (here: off and on again) works once Portcullis has the rights.
    await servicesOn(core, false);
    await servicesOn(core, true);
    expect(queryConnectionAudit()).toBe(2);
    await core.handlers['app.reset']({});
    expect(queryConnectionAudit()).toBe(0);
    expect(core.snapshot().settings.tellServicesApart).toBe(false);
    expect(core.snapshot().settings.serviceAuditBefore).toBeUndefined();
  });

  it('a rule for a service holds to its service SID where Windows can match it, and says plainly where it cannot', async () => {
    svc.reset();
    svc.setService('DoSvc', 3120, { type: 0x10 });
    svc.setService('LegacySvc', 3300, { type: 0x10 });
    svc.setServiceSidType('LegacySvc', 0);
    svc.setService('BITS', 3400, { type: 0x10 });
    const { core } = await startCore();
    await core.handlers['mode.set']({ mode: 'enforce' });
    await servicesOn(core, true);
    // Update-server traffic no essential covers: Enforce's default block stops it for every service.
    const toServer = (port: number): SimConnection => ({
      appPath: SVCHOST,
      userSid: 'S-1-5-18',
      direction: 'out',
      protocol: 6,
      localAddress: '192.0.2.10',
      localPort: port,
      remoteAddress: '198.51.100.85',
      remotePort: 8530,
    });
    for (const [pid, port] of [
      [3120, 51001],
      [3300, 51002],
      [3400, 51003],
    ] as const)
      expect(svc.connectFrom(pid, toServer(port)).action).toBe(0x1001);
    await eventsIn(core, 3);
    expect(
      svchostRows(core)
        .map((r) => r.key)
        .sort(),
    ).toEqual(['service:bits', 'service:dosvc', 'service:legacysvc']);

    await core.handlers['apps.decide']({ appKeys: ['service:dosvc'], decision: 'allow' });
    // The filter is svchost.exe AND the service SID: DoSvc's own token passes, another svchost service does not.
    expect(sim.connect({ ...toServer(51010), token: { groupSids: [serviceSid('dosvc')] } }).action).toBe('permit');
    expect(sim.connect({ ...toServer(51011), token: { groupSids: [serviceSid('wuauserv')] } }).action).toBe('block');

    await expect(core.handlers['apps.decide']({ appKeys: ['service:legacysvc'], decision: 'allow' })).rejects.toThrow(
      /LegacySvc.*SID type is "none".*would never apply.*sc sidtype LegacySvc unrestricted/i,
    );
    await core.handlers['apps.decide']({ appKeys: ['service:bits'], decision: 'allow' });
    expect(
      core
        .status()
        .notices.map((n) => n.message)
        .join('\n'),
    ).toMatch(/The rule for bits applies to its own connections only: BITS downloads while impersonating/);
  });
});

describe('the demo', () => {
  it('`portcullis watch --json` names a service of the demo scenario once the setting is on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-demo-services-'));
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'settings.json'), JSON.stringify({ schemaVersion: 1, tellServicesApart: true }));
    const child = spawn(process.execPath, [join(repo, 'scripts', 'portcullis.mjs'), 'watch', '--json'], {
      env: {
        ...process.env,
        PORTCULLIS_DATA_DIR: join(dir, 'data'),
        PORTCULLIS_SIM_SCENARIO: join(repo, 'native', 'sim', 'scenarios', 'demo.jsonl'),
        PORTCULLIS_SIM_SCENARIO_SPEED: '4',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const services = new Set<string>();
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const lines = out.split('\n');
      out = lines.pop() ?? '';
      for (const line of lines) {
        const service = (JSON.parse(line) as { service: string | null }).service;
        if (service) services.add(service);
      }
      if (services.size > 0) child.kill('SIGTERM');
    });
    await new Promise<void>((done) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('exit', () => {
        clearTimeout(timer);
        done();
      });
    });
    // Monitor mode: the demo's Delivery Optimization peer is blocked by Windows' default inbound rule.
    expect([...services]).toEqual(['dosvc']);
  });

  it('`portcullis reset` in another process puts back the audit setting the app changed (as the uninstaller does)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-reset-services-'));
    const data = join(dir, 'data');
    mkdirSync(data);
    writeFileSync(join(data, 'settings.json'), JSON.stringify({ schemaVersion: 1, tellServicesApart: true }));
    const scenario = join(dir, 'traffic.jsonl');
    writeFileSync(
      scenario,
      // Repeated: the first attempt may come before the subscription is up.
      [
        { loop: true, after_ms: 300 },
        {
          app: SVCHOST,
          pid: 3120,
          direction: 'in',
          local: '192.0.2.10',
          local_port: 7680,
          remote: '198.51.100.60',
          remote_port: 50220,
        },
      ]
        .map((line) => JSON.stringify(line))
        .join('\n'),
    );
    // One machine for every process: the filtering engine and the audit policy.
    const env = {
      PORTCULLIS_DATA_DIR: data,
      PORTCULLIS_SIM_STATE: join(dir, 'bfe.state'),
      PORTCULLIS_SIM_SCENARIO: scenario,
    };
    const run = async (args: string[]) => (await cliProgram(args, env)).code;
    /** The machine's audit setting, read through the binding as another process sees it. */
    const auditNow = (): number => {
      process.env.PORTCULLIS_SIM_STATE = env.PORTCULLIS_SIM_STATE;
      try {
        return queryConnectionAudit();
      } finally {
        delete process.env.PORTCULLIS_SIM_STATE;
      }
    };
    const settings = () => JSON.parse(readFileSync(join(data, 'settings.json'), 'utf8')) as Record<string, unknown>;

    expect(await run(['watch', '--json', '--limit', '1'])).toBe(0);
    expect(auditNow()).toBe(2);
    expect(settings()).toMatchObject({ tellServicesApart: true, serviceAuditBefore: 0 });
    expect(await run(['reset'])).toBe(0);
    expect(auditNow()).toBe(0);
    expect(settings().tellServicesApart).toBe(false);
    expect(settings().serviceAuditBefore).toBeUndefined();
  }, 60_000);
});
