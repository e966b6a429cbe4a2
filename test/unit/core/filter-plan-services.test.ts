// Rules and essentials for svchost services and packaged apps become filters narrowed by a SID.
import { describe, expect, it } from 'vitest';
import { IdentityResolver, identityFromPath, SVCHOST_PATH } from '../../../electron/core/apps/identity';
import { serviceSid } from '../../../electron/core/apps/service-sids';
import { DEFAULT_ESSENTIALS, scopeEssentialsToServices } from '../../../electron/core/enforcement/essentials';
import { essentialSpecs, parseTag, planFilters, ruleSpec } from '../../../electron/core/enforcement/filter-plan';
import type { AppIdentity, Essential, Rule } from '../../../electron/core/model';

const identities = new IdentityResolver();
const PACKAGE_SID = 'S-1-15-2-3251537155-1984446955-2931258699-841473695-1938553385-934012149-2713786562';
const base = { protocol: undefined, duration: { kind: 'forever' }, created: 0, source: 'user' } as const;

function rule(app: AppIdentity, action: Rule['action'] = 'allow'): Rule {
  return { ...base, id: `r-${app.key}`, app, action, direction: 'out' };
}

const essential = (id: string): Essential => DEFAULT_ESSENTIALS.find((e) => e.id === id)!;

describe('filters for services and packages', () => {
  it('narrows a service rule to svchost.exe plus that service SID', () => {
    const spec = ruleSpec(rule(identities.serviceIdentity('Dnscache')))!;
    expect(spec.appPath).toBe(SVCHOST_PATH);
    expect(spec.serviceSid).toBe(serviceSid('dnscache'));
    expect(spec.serviceSid).toBe('S-1-5-80-859482183-879914841-863379149-1145462774-2388618682');
    expect(spec.packageSid).toBeUndefined();
  });

  it('keeps the svchost path of a service seen at another location (Windows not on C:)', () => {
    const app = identities.serviceIdentity('wuauserv', 'D:\\Windows\\System32\\svchost.exe');
    expect(ruleSpec(rule(app))).toMatchObject({
      appPath: 'D:\\Windows\\System32\\svchost.exe',
      serviceSid: serviceSid('wuauserv'),
    });
  });

  it('matches a packaged app by its package SID, not by its versioned WindowsApps path', () => {
    const app = identities.fromEvent({
      time: 0,
      type: 'drop',
      rawType: 3,
      flags: 0,
      appPath: 'C:\\Program Files\\WindowsApps\\Contoso.Weather_1.2.3.0_x64__8wekyb3d8bbwe\\Weather.exe',
      packageSid: PACKAGE_SID,
    });
    expect(app.kind).toBe('package');
    const spec = ruleSpec(rule(app, 'block'))!;
    expect(spec.packageSid).toBe(PACKAGE_SID);
    expect(spec.appPath).toBeUndefined();
    expect(spec.action).toBe('block');
  });

  it('leaves "svchost (service unknown)" executable-wide, because nothing finer is known', () => {
    const app = identities.fromEvent({ time: 0, type: 'drop', rawType: 3, flags: 0, appPath: SVCHOST_PATH });
    expect(app.displayName).toBe('svchost (service unknown)');
    const spec = ruleSpec(rule(app))!;
    expect(spec.appPath).toBe(SVCHOST_PATH);
    expect(spec.serviceSid).toBeUndefined();
  });

  it('gives a changed service a new tag, so reconciliation replaces its filter', () => {
    const a = ruleSpec({ ...rule(identities.serviceIdentity('bits')), id: 'same' })!;
    const b = ruleSpec({ ...rule(identities.serviceIdentity('dosvc')), id: 'same' })!;
    expect(a.tag).not.toBe(b.tag);
  });
});

describe('service-scoped essentials', () => {
  it('svchost essentials name their services, except those for services that impersonate; each service gets its own spec', () => {
    const svchostEntries = DEFAULT_ESSENTIALS.filter((e) => e.appPath === SVCHOST_PATH);
    expect(svchostEntries.length).toBeGreaterThan(0);
    // BITS, Windows Update and CryptSvc download while impersonating: no service SID is in that token.
    const whole = svchostEntries.filter((e) => e.services === undefined).map((e) => e.id);
    expect(whole.sort()).toEqual(['svchost-http', 'svchost-https']);
    for (const id of whole) expect(essential(id).description).toMatch(/impersonat/);

    const dns = essentialSpecs(essential('dns'));
    expect(dns).toHaveLength(1);
    expect(dns[0]).toMatchObject({ appPath: SVCHOST_PATH, serviceSid: serviceSid('dnscache'), remotePort: 53 });
    expect(parseTag(dns[0]!.tag)).toEqual({ kind: 'essential', id: 'dns' });
  });

  it('keeps essentials without services (loopback, System) as they were', () => {
    const loopback = essentialSpecs(essential('loopback'));
    expect(loopback).toHaveLength(1);
    // Loopback by the flag Windows sets, for every application, and soft.
    expect(loopback[0]).toMatchObject({ loopback: true, direction: 'both' });
    expect(loopback[0]!.remoteAddress).toBeUndefined();
    expect(loopback[0]!.hard).toBeUndefined();
    expect(loopback[0]!.appPath).toBeUndefined();
    expect(loopback[0]!.serviceSid).toBeUndefined();
    const smb = essentialSpecs(essential('system-smb-192'));
    expect(smb).toHaveLength(1);
    expect(smb[0]).toMatchObject({ appPath: 'System' });
    expect(smb[0]!.serviceSid).toBeUndefined();
  });

  it('Enforce plans no svchost filter without a service SID except the HTTP and HTTPS entries', () => {
    const plan = planFilters('enforce', [], DEFAULT_ESSENTIALS);
    const svchostSpecs = [...plan.values()].filter((s) => s.appPath === SVCHOST_PATH);
    expect(svchostSpecs.length).toBeGreaterThan(0);
    for (const s of svchostSpecs) {
      const id = parseTag(s.tag);
      if (id?.kind === 'essential' && (id.id === 'svchost-https' || id.id === 'svchost-http')) {
        expect(s.serviceSid).toBeUndefined();
        expect(s).toMatchObject({ protocol: 6, direction: 'out' });
      } else {
        expect(s.serviceSid, s.name).toMatch(/^S-1-5-80-/);
      }
    }
  });

  it('narrows svchost essentials saved before they named services, and leaves other entries alone', () => {
    const legacy = DEFAULT_ESSENTIALS.map(({ services: _services, ...rest }) => rest as Essential);
    const moved: Essential = { ...legacy.find((e) => e.id === 'time')!, appPath: 'D:\\Windows\\System32\\svchost.exe' };
    const custom: Essential = { ...legacy.find((e) => e.id === 'dns')!, id: 'my-dns' };
    const repointed: Essential = { ...legacy.find((e) => e.id === 'mdns')!, appPath: 'C:\\Tools\\responder.exe' };
    const scoped = scopeEssentialsToServices([
      ...legacy.filter((e) => e.id !== 'time' && e.id !== 'mdns'),
      moved,
      custom,
      repointed,
    ]);
    expect(scoped.find((e) => e.id === 'dns')!.services).toEqual(['dnscache']);
    expect(scoped.find((e) => e.id === 'svchost-http')!.services).toBeUndefined();
    expect(scoped.find((e) => e.id === 'loopback')!.services).toBeUndefined();
    // Windows on another drive: still svchost, still narrowed.
    expect(scoped.find((e) => e.id === 'time')!.services).toEqual(['w32time']);
    // Pointed at another program by the user: a service SID would make no sense there.
    expect(scoped.find((e) => e.id === 'mdns')!.services).toBeUndefined();
    expect(scoped.find((e) => e.id === 'my-dns')!.services).toBeUndefined();
    // Already scoped: unchanged.
    expect(scopeEssentialsToServices(DEFAULT_ESSENTIALS)).toEqual(DEFAULT_ESSENTIALS);
  });
});

describe('on a PC whose Windows is not in C:\\Windows', () => {
  it('the essentials and service rules match svchost.exe and lsass.exe where Windows is; a user rule stays put', () => {
    const plan = [...planFilters('enforce', [], DEFAULT_ESSENTIALS, { windowsFolder: 'D:\\WINNT' }).values()];
    const paths = new Set(plan.map((spec) => spec.appPath).filter((p) => p !== undefined && p !== 'System'));
    expect(paths).toEqual(new Set(['D:\\WINNT\\System32\\svchost.exe', 'D:\\WINNT\\System32\\lsass.exe']));
    // The DNS Client's essential, in particular: without it Enforce would leave this PC without names.
    const dns = plan.find((spec) => spec.serviceSid === serviceSid('Dnscache'));
    expect(dns?.appPath).toBe('D:\\WINNT\\System32\\svchost.exe');

    expect(ruleSpec(rule(identities.serviceIdentity('BITS')), { windowsFolder: 'D:\\WINNT' })?.appPath).toBe(
      'D:\\WINNT\\System32\\svchost.exe',
    );
    // A program the user named under C:\Windows is that program: on such a PC that folder is anyone's.
    const own = identityFromPath('C:\\Windows\\System32\\tool.exe');
    expect(ruleSpec(rule(own), { windowsFolder: 'D:\\WINNT' })?.appPath).toBe('C:\\Windows\\System32\\tool.exe');
    // Where Windows is in C:\Windows, nothing changes, tags included.
    expect(planFilters('enforce', [], DEFAULT_ESSENTIALS, { windowsFolder: 'C:\\Windows' })).toEqual(
      planFilters('enforce', [], DEFAULT_ESSENTIALS),
    );
  });
});
