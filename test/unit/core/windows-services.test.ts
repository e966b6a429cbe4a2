import { describe, expect, it } from 'vitest';
import { installedServiceNames, parseServiceKeys } from '../../../electron/core/apps/windows-services';
import { IdentityResolver } from '../../../electron/core/apps/identity';
import { serviceSid, ServiceSidTable } from '../../../electron/core/apps/service-sids';

const REG_OUTPUT = [
  '',
  'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\.NET CLR Data',
  'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\AcmeUpdater',
  'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Dnscache',
  'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Dnscache\\Parameters',
  'ERROR: something unrelated',
  '',
].join('\r\n');

describe('installed Windows services', () => {
  it('reads one name per Services subkey and nothing else', () => {
    expect(parseServiceKeys(REG_OUTPUT)).toEqual(['.NET CLR Data', 'AcmeUpdater', 'Dnscache']);
  });

  it('asks reg.exe by absolute path and falls back to nothing when it fails', async () => {
    const calls: string[] = [];
    const names = await installedServiceNames(async (file, args) => {
      calls.push([file, ...args].join(' '));
      return { code: 0, stdout: REG_OUTPUT, stderr: '' };
    }, 'C:\\Windows');
    expect(calls).toEqual(['C:\\Windows\\System32\\reg.exe query HKLM\\SYSTEM\\CurrentControlSet\\Services']);
    expect(names).toContain('AcmeUpdater');
    expect(await installedServiceNames(async () => ({ code: 1, stdout: '', stderr: 'Access is denied.' }))).toEqual([]);
  });

  it('names a service SID from the installed list, yet an svchost event never takes its name from the header', () => {
    const table = new ServiceSidTable();
    expect(table.lookup(serviceSid('AcmeUpdater'))).toBeUndefined();
    table.add(parseServiceKeys(REG_OUTPUT));
    expect(table.lookup(serviceSid('AcmeUpdater'))).toBe('acmeupdater');
    // The header's userId is the account (here a service SID that Windows would never put there): no name from it.
    const event = { appPath: 'C:\\Windows\\System32\\svchost.exe', userSid: serviceSid('AcmeUpdater') };
    expect(new IdentityResolver().fromEvent(event as never).displayName).toBe('svchost (service unknown)');
  });
});
