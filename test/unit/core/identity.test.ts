import { describe, expect, it } from 'vitest';
import { IdentityResolver, identityFromPath, pathKey } from '../../../electron/core/apps/identity';
import { serviceSid, ServiceSidTable } from '../../../electron/core/apps/service-sids';
import { friendlyName } from '../../../electron/core/enrichment/friendly-name';
import type { NetEvent } from '../../../native/api';

const base: NetEvent = { time: 1, type: 'drop', rawType: 3, flags: 0 };
const resolver = new IdentityResolver();

describe('app identity', () => {
  it('computes service SIDs the way Windows does', () => {
    // Well-known: NT SERVICE\TrustedInstaller.
    expect(serviceSid('TrustedInstaller')).toBe('S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464');
    expect(serviceSid('trustedinstaller')).toBe(serviceSid('TRUSTEDINSTALLER'));
  });

  it('keys executables by their lower-case DOS path and keeps the spelling for display', () => {
    const a = resolver.fromEvent({ ...base, appPath: 'C:\\Program Files\\Mozilla Firefox\\firefox.exe' });
    const b = resolver.fromEvent({ ...base, appPath: 'c:/program files//mozilla firefox/FIREFOX.EXE' });
    expect(a.key).toBe(b.key);
    expect(a.key).toBe('path:c:\\program files\\mozilla firefox\\firefox.exe');
    expect(a.displayName).toBe('Firefox');
    expect(a.path).toBe('C:\\Program Files\\Mozilla Firefox\\firefox.exe');
    expect(pathKey('C:\\Apps\\Tool.exe')).toBe(identityFromPath('c:\\apps\\tool.exe').key);
  });

  it('tells svchost services apart by their service SID, and says so when it cannot', () => {
    const svchost = 'C:\\Windows\\System32\\svchost.exe';
    const dns = resolver.fromEvent({ ...base, appPath: svchost, userSid: serviceSid('Dnscache') });
    const wu = resolver.fromEvent({ ...base, appPath: svchost, userSid: serviceSid('wuauserv') });
    expect(dns).toMatchObject({ key: 'service:dnscache', kind: 'service', serviceName: 'dnscache', path: svchost });
    expect(wu.key).toBe('service:wuauserv');
    const unknownService = resolver.fromEvent({ ...base, appPath: svchost, userSid: serviceSid('SomeVendorSvc') });
    const noSid = resolver.fromEvent({ ...base, appPath: svchost, userSid: 'S-1-5-18' });
    for (const id of [unknownService, noSid]) {
      expect(id).toMatchObject({ kind: 'svchost-unknown', displayName: 'svchost (service unknown)' });
      expect(id.key).toBe(pathKey(svchost));
    }
    const extended = new IdentityResolver(new ServiceSidTable(['SomeVendorSvc']));
    expect(extended.fromEvent({ ...base, appPath: svchost, userSid: serviceSid('SomeVendorSvc') }).key).toBe(
      'service:somevendorsvc',
    );
  });

  it('names packaged apps by package SID and the kernel as System', () => {
    const pkg = resolver.fromEvent({
      ...base,
      appPath: 'C:\\Program Files\\WindowsApps\\Microsoft.Photos_1\\Photos.exe',
      packageSid: 's-1-15-2-1-2-3',
    });
    expect(pkg).toMatchObject({ key: 'package:S-1-15-2-1-2-3', kind: 'package', displayName: 'Photos' });
    expect(resolver.fromEvent({ ...base, appPath: 'System' })).toMatchObject({ key: 'system', displayName: 'System' });
    expect(resolver.fromEvent({ ...base }).key).toBe('unattributed');
  });

  it('keys a device path that maps to no drive by that path', () => {
    const id = resolver.fromEvent({ ...base, appId: '\\device\\vmsmb\\share\\tool.exe' });
    expect(id).toMatchObject({ key: 'path:\\device\\vmsmb\\share\\tool.exe', displayName: 'Tool' });
  });

  it('makes friendly names from file names', () => {
    expect(friendlyName('C:\\x\\chrome.exe')).toBe('Google Chrome');
    expect(friendlyName('C:\\x\\my-sync_tool.exe')).toBe('My Sync Tool');
    expect(friendlyName('C:\\x\\GameLauncher.exe')).toBe('Game Launcher');
  });
});
