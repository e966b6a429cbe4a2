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

  it('lets an event from a service outside the built-in table be named', () => {
    const table = new ServiceSidTable();
    const before = new IdentityResolver(table);
    const event = { appPath: 'C:\\Windows\\System32\\svchost.exe', userSid: serviceSid('AcmeUpdater') };
    expect(before.fromEvent(event as never).displayName).not.toMatch(/AcmeUpdater/i);
    table.add(parseServiceKeys(REG_OUTPUT));
    expect(new IdentityResolver(table).fromEvent(event as never).displayName).toMatch(/AcmeUpdater/i);
  });
});
