// What a rule means on Windows, end to end through core, the native layer and the simulator: ports by the side
// of the connection they are on, permits that never lift another product's block unless the user asked on that
// rule, and services that connect under someone else's token. docs/windows-semantics.md gives each its source.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serviceSid } from '../../electron/core/apps/service-sids';
import { defaultBlockSpec } from '../../electron/core/enforcement/filter-plan';
import { conditionsFor, filterObject, layersFor, validateSpec } from '../../native/conditions';
import { WfpEngine } from '../../native/engine';
import { check, WfpError } from '../../native/errors';
import { createFilterManager } from '../../native/filters';
import { FWPM_SUBLAYER_FLAG_PERSISTENT } from '../../native/wfp/constants';
import { guidToStruct, PORTCULLIS_LEGACY_SUBLAYER_KEY, PORTCULLIS_PROVIDER_KEY } from '../../native/wfp/guids';
import type { SimConnection } from '../../native/sim-control';
import {
  enumerateOurs,
  eventsIn,
  outbound,
  SVCHOST,
  useCoreOnSimulator,
  waitFor,
  type RunningCore,
} from './core/support';
import { simulator } from './helpers';

const { sim, startCore } = useCoreOnSimulator();
const { lib } = simulator();

const LAN_HOST = '192.168.1.77';
function inbound(appPath: string, localPort: number, remotePort: number, protocol = 6): SimConnection {
  return {
    appPath,
    remoteAddress: LAN_HOST,
    remotePort,
    localAddress: '192.168.1.10',
    localPort,
    protocol,
    direction: 'in',
  };
}

async function appSeen(r: RunningCore, key: string) {
  await waitFor(() => r.core.snapshot().apps.some((a) => a.identity.key === key), 5_000, `${key} in the app list`);
  return r.core.snapshot().apps.find((a) => a.identity.key === key)!;
}

const SERVER = 'C:\\Apps\\server.exe';
const SERVER_KEY = `path:${SERVER.toLowerCase()}`;
const NOTES = 'S-1-15-2-1001-2001-3001-4001-5001-6001-7001'; // a package without the internetClient capability
const WEATHER = 'S-1-15-2-3251537155-1984446955-2931258699-841473695-1938553385-934012149-2713786562';
const packaged = (name: string, sid: string, remoteAddress = '203.0.113.50'): SimConnection => ({
  ...outbound(`C:\\Program Files\\WindowsApps\\Contoso.${name}_1.0.0.0_x64__8wekyb3d8bbwe\\${name}.exe`, remoteAddress),
  packageSid: sid,
});

describe('ports by direction', () => {
  it.each(['enforce', 'monitor'] as const)(
    'in %s, a host sending from port 445 reaches no local listener, even with an inbound "port 445" rule of an earlier version',
    async (mode) => {
      // The data folder of an earlier version: an inbound rule for the kernel's SMB server on "port 445", written as
      // the remote port, and the file-sharing essential that opened System inbound from port 445 on private ranges.
      const first = await startCore();
      await first.core.handlers['settings.update']({ patch: { closeToTray: false } }); // writes settings.json
      await first.core.stop();
      const dataDir = first.dataDir;
      const settingsPath = join(dataDir, 'settings.json');
      const settings = JSON.parse(readFileSync(settingsPath, 'utf8')) as Record<string, unknown>;
      delete settings.essentialsVersion;
      settings.mode = mode;
      settings.essentials = [
        {
          id: 'system-smb-192',
          name: 'File sharing on the local network (192.168.0.0/16)',
          description: 'Shared folders and printers through the kernel (System, SMB TCP 445), local addresses only.',
          appPath: 'System',
          direction: 'both',
          protocol: 6,
          remotePort: 445,
          remoteAddress: '192.168.0.0/16',
          enabled: true,
        },
      ];
      writeFileSync(settingsPath, JSON.stringify(settings));
      const smbRule = {
        id: 'smb-in',
        app: { key: 'system', kind: 'system', displayName: 'System', path: 'System' },
        action: 'allow',
        direction: 'in',
        protocol: 6,
        remotePort: 445,
        duration: { kind: 'forever' },
        created: 1,
        source: 'user',
      };
      writeFileSync(join(dataDir, 'rules.json'), JSON.stringify({ schemaVersion: 1, rules: [smbRule], ignored: [] }));

      const r = await startCore(dataDir);
      expect(r.core.status().mode).toBe(mode);
      // The rule is kept, with its port where it belongs; the essential no longer admits anything inbound.
      expect(r.core.snapshot().rules).toEqual([
        expect.objectContaining({ id: 'smb-in', direction: 'in', localPort: 445 }),
      ]);
      const smb = r.core.snapshot().settings.essentials.find((e) => e.id === 'system-smb-192')!;
      expect(smb).toMatchObject({ direction: 'out', remotePort: 445, enabled: true });

      // Someone on the Wi-Fi sends from port 445 to the kernel's discovery listener: Windows Firewall's inbound
      // default block stands.
      const fromPort445 = sim.connect(inbound('System', 5357, 445));
      expect(fromPort445.action).toBe('block');
      // And the rule for port 445 does not lift Windows Firewall's inbound block either: it is soft.
      expect(sim.connect(inbound('System', 445, 50123)).action).toBe('block');
      // The outbound half of file sharing still works in Enforce: opening another computer's shared folder.
      expect(sim.connect(outbound('System', '192.168.1.20', 445)).action).toBe('permit');
    },
  );
});

describe('permits are soft', () => {
  it.each(['enforce', 'monitor'] as const)(
    'in %s, an allowed packaged app is still held by app isolation',
    async (mode) => {
      const r = await startCore();
      await r.core.handlers['mode.set']({ mode });
      expect(sim.connect(packaged('Notes', NOTES)).action).toBe('block');
      await eventsIn(r.core, 1);
      const notesKey = `package:${NOTES.toUpperCase()}`;
      const app = await appSeen(r, notesKey);
      // In Monitor the isolation filter is what drops it; in Enforce our default block drops it as well.
      if (mode === 'monitor')
        expect(app).toMatchObject({ blockedBy: 'windows-firewall', blockedByFilter: 'Block Outbound Default Rule' });
      expect(app.canOverrideWindowsFirewall).toBeUndefined();

      await r.core.handlers['rules.create']({
        appKey: notesKey,
        action: 'allow',
        direction: 'out',
        duration: { kind: 'forever' },
      });
      expect(sim.connect(packaged('Notes', NOTES)).action).toBe('block');
      // Nor can the user make it hard: Portcullis does not lift a packaged app's isolation.
      await expect(
        r.core.handlers['rules.create']({
          appKey: notesKey,
          action: 'allow',
          direction: 'out',
          overridesWindowsFirewall: true,
          duration: { kind: 'forever' },
        }),
      ).rejects.toThrow(/packaged app/);
      await expect(
        r.core.handlers['apps.decide']({ appKeys: [notesKey], decision: 'allow', overrideWindowsFirewall: true }),
      ).rejects.toThrow(/packaged app/);

      // A package that has the capability goes out once allowed, but not to this computer (loopback isolation), though
      // the loopback essential permits loopback to every app.
      sim.connect(packaged('Weather', WEATHER));
      const weatherKey = `package:${WEATHER.toUpperCase()}`;
      await appSeen(r, weatherKey).catch(() => undefined);
      if (mode === 'enforce') {
        await r.core.handlers['rules.create']({
          appKey: weatherKey,
          action: 'allow',
          direction: 'out',
          duration: { kind: 'forever' },
        });
      }
      expect(sim.connect(packaged('Weather', WEATHER)).action).toBe('permit');
      expect(sim.connect(packaged('Weather', WEATHER, '127.0.0.1')).action).toBe('block');
      expect(sim.connect(outbound('C:\\Apps\\dev-tool.exe', '127.0.0.1', 8080)).action).toBe('permit');
    },
  );

  it.each([
    ['enforce', false],
    ['enforce', true],
    ['monitor', false],
  ] as const)('in %s, an allowed app is still held by a VPN kill switch (hard blocks: %s)', async (mode, hard) => {
    const r = await startCore();
    await r.core.handlers['mode.set']({ mode });
    const CHAT = 'C:\\Apps\\chat.exe';
    await r.core.handlers['rules.create']({
      appKey: `path:${CHAT.toLowerCase()}`,
      action: 'allow',
      direction: 'both',
      duration: { kind: 'forever' },
    });
    expect(sim.connect(outbound(CHAT)).action).toBe('permit');
    sim.setKillSwitch(true, hard);
    const held = sim.connect(outbound(CHAT));
    expect(held.action).toBe('block');
    await eventsIn(r.core, 1);
    const app = await appSeen(r, `path:${CHAT.toLowerCase()}`);
    expect(app).toMatchObject({ blockedBy: 'other', blockedByFilter: 'Block all' });
    // Not Windows Firewall's block: nothing to offer an override for.
    expect(app.canOverrideWindowsFirewall).toBeUndefined();
    await expect(
      r.core.handlers['apps.decide']({
        appKeys: [`path:${CHAT.toLowerCase()}`],
        decision: 'allow',
        overrideWindowsFirewall: true,
      }),
    ).rejects.toThrow(/not blocked by a Windows Defender Firewall rule/);
    // The tunnel itself and loopback pass, as the VPN wants.
    expect(sim.connect(outbound(CHAT, '127.0.0.1', 8080)).action).toBe('permit');
    sim.setKillSwitch(false, hard);
    expect(sim.connect(outbound(CHAT)).action).toBe('permit');
  });
});

describe('inbound decisions', () => {
  it('an app blocked inbound and allowed with one click gets an inbound rule, and connects once the user overrides Windows Firewall', async () => {
    const r = await startCore();
    // Windows Firewall's inbound default block drops a connection to server.exe's port 8080.
    expect(sim.connect(inbound(SERVER, 8080, 51234)).action).toBe('block');
    await eventsIn(r.core, 1);
    const app = await appSeen(r, SERVER_KEY);
    expect(app).toMatchObject({
      blockedBy: 'windows-firewall',
      blockedDirection: 'in',
      canOverrideWindowsFirewall: true,
    });
    // The port worth naming is this computer's, not the sender's ephemeral one.
    expect(app.endpoints[0]).toMatchObject({ address: LAN_HOST, port: 8080, inbound: true });
    expect(app.ports).toEqual([8080]);

    // One click: an inbound rule (it was an outbound one), soft, so Windows Firewall's block still stands.
    const plain = await r.core.handlers['apps.decide']({ appKeys: [SERVER_KEY], decision: 'allow' });
    expect(plain.rules[0]).toMatchObject({ direction: 'in', action: 'allow' });
    expect(sim.connect(inbound(SERVER, 8080, 51300)).action).toBe('block');
    // The explicit choice on this rule: a hard permit, and the next connection gets through.
    const hard = await r.core.handlers['apps.decide']({
      appKeys: [SERVER_KEY],
      decision: 'allow',
      overrideWindowsFirewall: true,
    });
    expect(hard.rules[0]).toMatchObject({ id: plain.rules[0]!.id, direction: 'in', overridesWindowsFirewall: true });
    expect(sim.connect(inbound(SERVER, 8080, 51400)).action).toBe('permit');
  });

  it('a port-scoped decision on an inbound drop names the listening port, so it matches the next sender too', async () => {
    const r = await startCore();
    await r.core.handlers['settings.update']({ patch: { decideRoutineBlocks: true } });
    sim.connect(inbound(SERVER, 8080, 51234));
    await waitFor(() => r.core.snapshot().decisions.length === 1, 5_000, 'the decision');
    const decision = r.core.snapshot().decisions[0]!;
    expect(decision).toMatchObject({ direction: 'in', canOverrideWindowsFirewall: true });
    expect(decision.endpoints[0]).toMatchObject({ port: 8080, inbound: true });
    const rule = await r.core.handlers['decisions.resolve']({
      decisionId: decision.id,
      action: 'allow',
      scope: 'appAndPort',
      duration: 'forever',
      overrideWindowsFirewall: true,
    });
    expect(rule).toMatchObject({ direction: 'in', localPort: 8080, protocol: 6, overridesWindowsFirewall: true });
    expect(rule.remotePort).toBeUndefined();
    expect(sim.connect(inbound(SERVER, 8080, 60001)).action).toBe('permit');
    expect(sim.connect(inbound(SERVER, 9090, 8080)).action).toBe('block');
  });
});

describe('services that connect under another token', () => {
  const USER = 'S-1-5-21-1004336348-1177238915-682003330-1001';
  const bits = (remotePort: number, impersonating: boolean): SimConnection => ({
    ...outbound(SVCHOST, '13.107.4.50', remotePort),
    userSid: 'S-1-5-18',
    token: {
      groupSids: [serviceSid('BITS')],
      ...(impersonating ? { impersonate: { userSid: USER, groupSids: ['S-1-5-32-545', 'S-1-5-11'] } } : {}),
    },
  });

  it('BITS downloading while impersonating the user stays online in Enforce', async () => {
    const r = await startCore();
    await r.core.handlers['mode.set']({ mode: 'enforce' });
    expect(sim.connect(bits(443, true)).action).toBe('permit');
    expect(sim.connect(bits(80, true)).action).toBe('permit');
    // Why the HTTP(S) essentials name no service: a rule on the BITS service SID misses it while it impersonates.
    await r.core.handlers['rules.create']({
      appKey: 'service:bits',
      action: 'allow',
      direction: 'out',
      protocol: 6,
      remotePort: 8443,
      duration: { kind: 'forever' },
    });
    expect(sim.connect(bits(8443, false)).action).toBe('permit');
    expect(sim.connect(bits(8443, true)).action).toBe('block');
    // The event names the account, not a service: "svchost (service unknown)", and no one-click allow for it.
    await waitFor(() => r.core.snapshot().apps.some((a) => a.identity.kind === 'svchost-unknown'), 5_000, 'svchost');
    const svchost = r.core.snapshot().apps.find((a) => a.identity.kind === 'svchost-unknown')!;
    expect(svchost.identity.displayName).toBe('svchost (service unknown)');
    await expect(
      r.core.handlers['apps.decide']({ appKeys: [svchost.identity.key], decision: 'allow' }),
    ).rejects.toThrow(/every service in svchost/);
  });
});

describe('an upgrade from the version whose sublayer had weight 0xFFFF', () => {
  /** What that version left in WFP in Enforce: its sublayer, persistent, and its default block in it. */
  async function earlierVersionInEnforce(): Promise<void> {
    const engine = await WfpEngine.open(lib, { name: 'earlier version' });
    try {
      await createFilterManager(engine).ensureProviderAndSublayer(); // the provider, the same then and now
      const sublayer = {
        subLayerKey: guidToStruct(PORTCULLIS_LEGACY_SUBLAYER_KEY),
        displayData: { name: 'Portcullis', description: 'Portcullis firewall rules' },
        flags: FWPM_SUBLAYER_FLAG_PERSISTENT,
        providerKey: guidToStruct(PORTCULLIS_PROVIDER_KEY),
        providerData: { size: 0, data: null },
        weight: 0xffff,
      };
      check('FwpmSubLayerAdd0', lib.fn.FwpmSubLayerAdd0(engine.handle, sublayer, null) as number);
      const conditions = conditionsFor(defaultBlockSpec, undefined, validateSpec(defaultBlockSpec));
      for (const target of layersFor(defaultBlockSpec)) {
        const filter = filterObject({
          spec: defaultBlockSpec,
          target,
          conditions,
          providerKey: PORTCULLIS_PROVIDER_KEY,
          subLayerKey: PORTCULLIS_LEGACY_SUBLAYER_KEY,
          persistent: true,
        });
        check('FwpmFilterAdd0', lib.fn.FwpmFilterAdd0(engine.handle, filter, null, [0]) as number);
      }
    } finally {
      await engine.close();
    }
  }

  it('starting in Enforce, an allowed app connects: the earlier default block is gone with its sublayer', async () => {
    // The data folder of that version: Enforce, and an allow rule for the browser.
    const first = await startCore();
    await first.core.handlers['settings.update']({ patch: { closeToTray: false } }); // writes settings.json
    await first.core.stop();
    const dataDir = first.dataDir;
    const settingsPath = join(dataDir, 'settings.json');
    writeFileSync(settingsPath, JSON.stringify({ ...JSON.parse(readFileSync(settingsPath, 'utf8')), mode: 'enforce' }));
    const browser = 'C:\\Apps\\browser.exe';
    const allowBrowser = {
      id: 'browser-out',
      app: { key: `path:${browser.toLowerCase()}`, kind: 'path', displayName: 'Browser', path: browser },
      action: 'allow',
      direction: 'out',
      duration: { kind: 'forever' },
      created: 1,
      source: 'user',
    };
    writeFileSync(
      join(dataDir, 'rules.json'),
      JSON.stringify({ schemaVersion: 1, rules: [allowBrowser], ignored: [] }),
    );
    await earlierVersionInEnforce();
    expect(sim.connect(outbound(browser)).action).toBe('block');

    const r = await startCore(dataDir);
    expect(r.core.status().mode).toBe('enforce');
    // Sublayers are evaluated from the highest weight, and no soft permit lifts a block of a higher one: had the
    // earlier default block stayed at 0xFFFF, nothing allowed would connect.
    expect(sim.connect(outbound(browser)).action).toBe('permit');
    // Apps without a rule are still blocked, now by the default block in our sublayer.
    expect(sim.connect(outbound('C:\\Apps\\other.exe')).action).toBe('block');
    const probe = await WfpEngine.open(lib, { dynamic: true, name: 'probe' });
    try {
      const out: unknown[] = [null];
      const code = lib.fn.FwpmSubLayerGetByKey0(probe.handle, guidToStruct(PORTCULLIS_LEGACY_SUBLAYER_KEY), out);
      expect(new WfpError('', code as number).symbol).toBe('FWP_E_SUBLAYER_NOT_FOUND');
    } finally {
      await probe.close();
    }
  });
});

describe('volumes renumbered', () => {
  const GAME = 'D:\\Games\\game.exe';

  it("a block rule still blocks after the program's volume got another number, once Portcullis starts again", async () => {
    sim.mapDrive('D:', '\\Device\\HarddiskVolume4');
    const first = await startCore();
    await first.core.ruleForPath(GAME, 'block');
    expect(sim.connect(outbound(GAME)).action).toBe('block');
    const [before] = (await enumerateOurs()).filters.filter((f) => f.appId?.startsWith('\\device\\harddiskvolume4\\'));
    expect(before?.appId).toBe('\\device\\harddiskvolume4\\games\\game.exe');
    await first.core.stop();

    // A partition added in front of it: after the reboot the same D: is another volume number.
    sim.mapDrive('D:', '\\Device\\HarddiskVolume5');
    expect(sim.connect(outbound(GAME)).action).toBe('permit');

    await startCore(first.dataDir);
    expect(sim.connect(outbound(GAME)).action).toBe('block');
    const ids = (await enumerateOurs()).filters.map((f) => f.appId).filter((id) => id?.includes('game.exe'));
    expect(new Set(ids)).toEqual(new Set(['\\device\\harddiskvolume5\\games\\game.exe']));
  });

  it('a rule for a program on a drive that is not there at start keeps its filter', async () => {
    sim.mapDrive('D:', '\\Device\\HarddiskVolume4');
    const first = await startCore();
    await first.core.ruleForPath(GAME, 'block');
    const before = (await enumerateOurs()).filters.filter((f) => f.appId?.includes('game.exe'));
    expect(before.length).toBeGreaterThan(0);
    await first.core.stop();

    sim.mapDrive('D:', null); // the USB drive is unplugged
    await startCore(first.dataDir);
    const after = (await enumerateOurs()).filters.filter((f) => f.appId?.includes('game.exe'));
    expect(after.map((f) => f.filterId).sort()).toEqual(before.map((f) => f.filterId).sort());
    sim.mapDrive('D:', '\\Device\\HarddiskVolume4');
    expect(sim.connect(outbound(GAME)).action).toBe('block');
  });
});
