// SIDs and the security descriptor of an ALE_USER_ID condition, byte for byte.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppFilterSpec } from '../../native/api.js';
import { conditionsFor, validateSpec } from '../../native/conditions.js';
import {
  ACCESS_ALLOWED_ACE_TYPE,
  ACL_REVISION,
  buildSecurityDescriptor,
  encodeSid,
  LAYOUT,
  matchFilterDescriptor,
  SE_DACL_PRESENT,
  SE_SELF_RELATIVE,
  SECURITY_DESCRIPTOR_REVISION,
  SID_REVISION,
} from '../../native/security-descriptor.js';
import { FWP_ACTRL_MATCH_FILTER, FWP_DATA_TYPE } from '../../native/wfp/constants.js';
import { FWPM_CONDITION, guidFromStruct } from '../../native/wfp/guids.js';

// NT SERVICE\Dnscache, as `sc showsid dnscache` prints it.
const DNSCACHE = 'S-1-5-80-859482183-879914841-863379149-1145462774-2388618682';
// Its 32 bytes: revision 1, 6 sub-authorities, authority 5 (big-endian), then 80, 859482183, ... little-endian.
const DNSCACHE_BYTES = '01 06 000000000005 50000000 47a83a33 596f7234 cd1e7633 f65f4644 ba6d5f8e'.replace(/ /g, '');
const LOCAL_SYSTEM_BYTES = '01 01 000000000005 12000000'.replace(/ /g, '');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('SIDs as bytes', () => {
  it('encodes well-known and service SIDs as winnt.h lays them out', () => {
    expect(hex(encodeSid('S-1-5-18'))).toBe(LOCAL_SYSTEM_BYTES);
    expect(hex(encodeSid(DNSCACHE))).toBe(DNSCACHE_BYTES);
    expect(hex(encodeSid('S-1-0-0'))).toBe('010100000000000000000000');
    // An identifier authority of 2^32 or more is written in hex.
    expect(hex(encodeSid('S-1-0x0000000F0000-7'))).toBe('0101' + '0000000f0000' + '07000000');
    // App container (package) SIDs: authority 15, sub-authority 2 and seven more.
    expect(encodeSid('S-1-15-2-1-2-3-4-5-6-7')).toHaveLength(8 + 8 * 4);
  });

  it('refuses what is not a SID, naming it', () => {
    for (const bad of ['', 'S-1', 'S-2-5-18', 'S-1-5-x', 'dnscache', 'S-1-5-4294967296', `S-1-5${'-1'.repeat(16)}`]) {
      expect(() => encodeSid(bad), bad).toThrow(TypeError);
    }
    expect(() => encodeSid('S-1-5-80-x')).toThrow(/not a SID: "S-1-5-80-x"/);
  });
});

describe('the ALE_USER_ID security descriptor', () => {
  it('is what ConvertStringSecurityDescriptorToSecurityDescriptorW makes of "O:LSD:(A;;CC;;;<service SID>)"', () => {
    const expected = [
      // SECURITY_DESCRIPTOR_RELATIVE: revision 1, Sbz1 0, Control 0x8004 (SELF_RELATIVE | DACL_PRESENT)
      '01 00 0480',
      // OffsetOwner 0x44 (20 + 48), OffsetGroup 0, OffsetSacl 0, OffsetDacl 0x14 (right after the header)
      '44000000 00000000 00000000 14000000',
      // ACL: revision 2, Sbz1 0, AclSize 0x30 (8 + 40), AceCount 1, Sbz2 0
      '02 00 3000 0100 0000',
      // ACCESS_ALLOWED_ACE: type 0, flags 0, AceSize 0x28 (8 + 32), Mask 0x1 ("CC" = FWP_ACTRL_MATCH_FILTER), SID
      '00 00 2800 01000000',
      DNSCACHE_BYTES,
      // Owner: S-1-5-18 ("LS")
      LOCAL_SYSTEM_BYTES,
    ]
      .join('')
      .replace(/ /g, '');
    const sd = matchFilterDescriptor(DNSCACHE);
    expect(hex(sd)).toBe(expected);
    expect(sd).toHaveLength(20 + 48 + 12);
  });

  it('leaves out owner and group unless asked, and places each where its offset says', () => {
    const dOnly = buildSecurityDescriptor({ allow: [{ sid: DNSCACHE, mask: FWP_ACTRL_MATCH_FILTER }] });
    // "D:(A;;CC;;;S-1-5-80-...)": no owner, no group.
    expect(hex(dOnly.subarray(0, 20))).toBe('01000480' + '00000000' + '00000000' + '00000000' + '14000000');
    expect(dOnly).toHaveLength(20 + 48);

    const full = Buffer.from(
      buildSecurityDescriptor({
        owner: 'S-1-5-18',
        group: 'S-1-5-32-544',
        allow: [
          { sid: DNSCACHE, mask: FWP_ACTRL_MATCH_FILTER },
          { sid: 'S-1-5-19', mask: 0x10000000 },
        ],
      }),
    );
    const dacl = full.readUInt32LE(16);
    const owner = full.readUInt32LE(4);
    const group = full.readUInt32LE(8);
    expect(full.readUInt32LE(12)).toBe(0); // no SACL
    expect(full.readUInt16LE(dacl + 2)).toBe(8 + 40 + 20); // AclSize
    expect(full.readUInt16LE(dacl + 4)).toBe(2); // AceCount
    expect(hex(full.subarray(dacl + 8 + 40 + 8, dacl + 8 + 40 + 20))).toBe(hex(encodeSid('S-1-5-19')));
    expect(full.readUInt32LE(dacl + 8 + 40 + 4)).toBe(0x10000000);
    expect(hex(full.subarray(owner, owner + 12))).toBe(LOCAL_SYSTEM_BYTES);
    expect(hex(full.subarray(group, group + 16))).toBe(hex(encodeSid('S-1-5-32-544')));
    expect(group + 16).toBe(full.length);
    for (const offset of [dacl, owner, group]) expect(offset % 4).toBe(0);
  });

  it('refuses an empty access mask and a bad SID', () => {
    expect(() => buildSecurityDescriptor({ allow: [{ sid: DNSCACHE, mask: 0 }] })).toThrow(/access mask/);
    expect(() => matchFilterDescriptor('NT SERVICE\\Dnscache')).toThrow(TypeError);
  });

  const cc = process.env['MINGW_CC'] ?? 'x86_64-w64-mingw32-gcc';
  const mingw = spawnSync(cc, ['--version'], { stdio: 'ignore' }).status === 0;
  it.runIf(mingw)('uses the offsets and values of the mingw-w64 winnt.h and fwptypes.h', () => {
    const L = LAYOUT;
    const asserts: [string, number][] = [
      ['SID_REVISION', SID_REVISION],
      ['SECURITY_DESCRIPTOR_REVISION', SECURITY_DESCRIPTOR_REVISION],
      ['ACL_REVISION', ACL_REVISION],
      ['ACCESS_ALLOWED_ACE_TYPE', ACCESS_ALLOWED_ACE_TYPE],
      ['SE_DACL_PRESENT', SE_DACL_PRESENT],
      ['SE_SELF_RELATIVE', SE_SELF_RELATIVE],
      ['FWP_ACTRL_MATCH_FILTER', FWP_ACTRL_MATCH_FILTER],
      ['offsetof(SID, SubAuthorityCount)', L.SID.SubAuthorityCount],
      ['offsetof(SID, IdentifierAuthority)', L.SID.IdentifierAuthority],
      ['offsetof(SID, SubAuthority)', L.SID.SubAuthority],
      ['sizeof(SECURITY_DESCRIPTOR_RELATIVE)', L.SECURITY_DESCRIPTOR_RELATIVE.size],
      ['offsetof(SECURITY_DESCRIPTOR_RELATIVE, Control)', L.SECURITY_DESCRIPTOR_RELATIVE.Control],
      ['offsetof(SECURITY_DESCRIPTOR_RELATIVE, Owner)', L.SECURITY_DESCRIPTOR_RELATIVE.Owner],
      ['offsetof(SECURITY_DESCRIPTOR_RELATIVE, Group)', L.SECURITY_DESCRIPTOR_RELATIVE.Group],
      ['offsetof(SECURITY_DESCRIPTOR_RELATIVE, Sacl)', L.SECURITY_DESCRIPTOR_RELATIVE.Sacl],
      ['offsetof(SECURITY_DESCRIPTOR_RELATIVE, Dacl)', L.SECURITY_DESCRIPTOR_RELATIVE.Dacl],
      ['sizeof(ACL)', L.ACL.size],
      ['offsetof(ACL, AclSize)', L.ACL.AclSize],
      ['offsetof(ACL, AceCount)', L.ACL.AceCount],
      ['offsetof(ACCESS_ALLOWED_ACE, Header.AceFlags)', L.ACCESS_ALLOWED_ACE.AceFlags],
      ['offsetof(ACCESS_ALLOWED_ACE, Header.AceSize)', L.ACCESS_ALLOWED_ACE.AceSize],
      ['offsetof(ACCESS_ALLOWED_ACE, Mask)', L.ACCESS_ALLOWED_ACE.Mask],
      ['offsetof(ACCESS_ALLOWED_ACE, SidStart)', L.ACCESS_ALLOWED_ACE.SidStart],
    ];
    const source = [
      '#include <stddef.h>',
      '#include <windows.h>',
      '#include <fwptypes.h>',
      ...asserts.map(([c, v], i) => `_Static_assert((${c}) == ${v}, "${i}: ${c} is not ${v}");`),
    ].join('\n');
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-sd-'));
    try {
      const file = join(dir, 'sd.c');
      writeFileSync(file, source);
      const r = spawnSync(cc, ['-fsyntax-only', file], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('conditions for a service or a package', () => {
  const base: AppFilterSpec = {
    appPath: 'C:\\Windows\\System32\\svchost.exe',
    action: 'permit',
    direction: 'out',
    name: 'Allow DNS client',
  };

  it('adds ALE_USER_ID with the descriptor for a service SID and ALE_PACKAGE_ID with the SID bytes', () => {
    const spec: AppFilterSpec = { ...base, serviceSid: DNSCACHE, packageSid: 'S-1-15-2-1-2-3-4-5-6-7', protocol: 17 };
    const list = conditionsFor(spec, new Uint8Array([1, 0]), validateSpec(spec)) as {
      fieldKey: Parameters<typeof guidFromStruct>[0];
      conditionValue: { type: number; u: { sd?: { size: number; data: Uint8Array }; sid?: Uint8Array } };
    }[];
    expect(list.map((c) => guidFromStruct(c.fieldKey))).toEqual([
      FWPM_CONDITION.ALE_APP_ID,
      FWPM_CONDITION.ALE_USER_ID,
      FWPM_CONDITION.ALE_PACKAGE_ID,
      FWPM_CONDITION.IP_PROTOCOL,
    ]);
    const user = list[1]!.conditionValue;
    expect(user.type).toBe(FWP_DATA_TYPE.SECURITY_DESCRIPTOR_TYPE);
    expect(user.u.sd!.size).toBe(user.u.sd!.data.length);
    expect(hex(user.u.sd!.data)).toBe(hex(matchFilterDescriptor(DNSCACHE)));
    const pkg = list[2]!.conditionValue;
    expect(pkg.type).toBe(FWP_DATA_TYPE.SID);
    expect(hex(pkg.u.sid!)).toBe(hex(encodeSid('S-1-15-2-1-2-3-4-5-6-7')));
  });

  it('rejects a spec whose service or package SID is not a SID before anything reaches WFP', () => {
    expect(() => validateSpec({ ...base, serviceSid: 'dnscache' })).toThrow(/not a SID: "dnscache"/);
    expect(() => validateSpec({ ...base, packageSid: 'S-1-15-2-' })).toThrow(TypeError);
  });
});
