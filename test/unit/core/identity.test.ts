import { describe, expect, it } from 'vitest';
import { IdentityResolver, identityFromPath, pathKey } from '../../../electron/core/apps/identity';
import { serviceSid } from '../../../electron/core/apps/service-sids';
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

  it('shows every svchost event as "svchost (service unknown)", whatever user SID its header carries', () => {
    // Windows puts the account (S-1-5-18/19/20) in the header, never a service SID; even a service SID there names
    // nothing, so an allow made from the event cannot silently become a permit for every svchost by another name.
    const svchost = 'C:\\Windows\\System32\\svchost.exe';
    const fresh = new IdentityResolver();
    for (const userSid of [
      serviceSid('Dnscache'),
      serviceSid('wuauserv'),
      'S-1-5-18',
      'S-1-5-19',
      'S-1-5-20',
      undefined,
    ]) {
      const id = fresh.fromEvent({ ...base, appPath: svchost, ...(userSid ? { userSid } : {}) });
      expect(id).toMatchObject({ kind: 'svchost-unknown', displayName: 'svchost (service unknown)', path: svchost });
      expect(id.key).toBe(pathKey(svchost));
    }
  });

  it('still builds service identities for rules the user names a service in', () => {
    expect(resolver.serviceIdentity('Dnscache')).toMatchObject({
      key: 'service:dnscache',
      kind: 'service',
      serviceName: 'dnscache',
      displayName: 'svchost (dnscache)',
    });
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
