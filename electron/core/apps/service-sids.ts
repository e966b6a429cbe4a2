// A Windows service SID is S-1-5-80 followed by the SHA-1 of the upper-case UTF-16LE service name, read as five
// little-endian 32-bit numbers. Hashing the names we know lets an svchost event's user SID name its service.
import { createHash } from 'node:crypto';

/** Services that commonly run in svchost and reach the network. The real service list is added on Windows. */
export const KNOWN_SERVICES: readonly string[] = [
  'dnscache',
  'dhcp',
  'w32time',
  'wuauserv',
  'bits',
  'cryptsvc',
  'dosvc',
  'nlasvc',
  'netprofm',
  'iphlpsvc',
  'wlansvc',
  'dot3svc',
  'lanmanworkstation',
  'lanmanserver',
  'ssdpsrv',
  'fdrespub',
  'fdphost',
  'upnphost',
  'eventlog',
  'schedule',
  'winmgmt',
  'wersvc',
  'diagtrack',
  'usosvc',
  'waasmedicsvc',
  'installservice',
  'clipsvc',
  'licensemanager',
  'wpnservice',
  'cdpsvc',
  'cdpusersvc',
  'lfsvc',
  'mapsbroker',
  'storsvc',
  'remoteaccess',
  'rasman',
  'sstpsvc',
  'termservice',
  'winrm',
  'wecsvc',
  'wcmsvc',
  'ikeext',
  'policyagent',
  'bfe',
  'mpssvc',
  'sharedaccess',
  'lmhosts',
  'netlogon',
  'keyiso',
  'samss',
  'gpsvc',
  'sens',
  'bthserv',
  'spooler',
  'audiosrv',
  'themes',
  'trkwks',
  'ncsi',
  'ncasvc',
  'wdiservicehost',
  'wdisystemhost',
  'dps',
  'sysmain',
  'appxsvc',
  'tokenbroker',
  'onesyncsvc',
  'xblauthmanager',
  'xblgamesave',
  'xboxnetapisvc',
  'pushtoinstall',
  'smsrouter',
  'wisvc',
  'edgeupdate',
  'edgeupdatem',
  'sgrmbroker',
  'webclient',
  'w3svc',
  'msdtc',
  'seclogon',
  'securityhealthservice',
  'windefend',
  'wscsvc',
  'vmcompute',
  'hns',
  'sharedrealitysvc',
];

export function serviceSid(serviceName: string): string {
  const digest = createHash('sha1').update(Buffer.from(serviceName.toUpperCase(), 'utf16le')).digest();
  const parts: number[] = [];
  for (let i = 0; i < 20; i += 4) parts.push(digest.readUInt32LE(i));
  return `S-1-5-80-${parts.join('-')}`;
}

export function isServiceSid(sid: string): boolean {
  return /^S-1-5-80-\d+-\d+-\d+-\d+-\d+$/i.test(sid);
}

/** Maps service SIDs to names; built once, extendable with the machine's own service list. */
export class ServiceSidTable {
  private readonly bySid = new Map<string, string>();

  constructor(names: readonly string[] = KNOWN_SERVICES) {
    this.add(names);
  }

  add(names: readonly string[]): void {
    for (const name of names) this.bySid.set(serviceSid(name).toUpperCase(), name.toLowerCase());
  }

  lookup(sid: string): string | undefined {
    return this.bySid.get(sid.toUpperCase());
  }
}
