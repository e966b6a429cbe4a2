// SIDs and self-relative security descriptors as bytes, for the conditions that match a user, service or package.
// WFP's FWPM_CONDITION_ALE_USER_ID takes a security descriptor (FWP_SECURITY_DESCRIPTOR_TYPE) and matches a
// connection when an access check of the process token against it grants FWP_ACTRL_MATCH_FILTER. Windows
// Defender Firewall scopes a rule to a service that way: "O:LSD:(A;;CC;;;S-1-5-80-...)" (CC is bit 0x1).
// Built here instead of ConvertStringSecurityDescriptorToSecurityDescriptorW so the same code runs everywhere
// and no LocalFree'd memory crosses into JavaScript. Layouts (winnt.h, MS-DTYP 2.4.2, 2.4.4, 2.4.5, 2.4.6):
//
//   SID                          Revision u8 (1) | SubAuthorityCount u8 | IdentifierAuthority u8[6], big-endian |
//                                SubAuthority u32[count], little-endian                     8 + 4 * count bytes
//   SECURITY_DESCRIPTOR_RELATIVE Revision u8 (1) | Sbz1 u8 | Control u16 | OffsetOwner u32 | OffsetGroup u32 |
//                                OffsetSacl u32 | OffsetDacl u32                            20 bytes, offsets from
//                                                                                           its start, 0 = absent
//   ACL                          AclRevision u8 (2) | Sbz1 u8 | AclSize u16 | AceCount u16 | Sbz2 u16    8 bytes
//   ACCESS_ALLOWED_ACE           AceType u8 (0) | AceFlags u8 | AceSize u16 | Mask u32 | SID           8 + SID
//
// Components follow the header in the order Windows writes them (SACL, DACL, owner, group); the order is free,
// only the offsets count. Every part's size is a multiple of 4, so every offset stays 4-byte aligned.
import { FWP_ACTRL_MATCH_FILTER } from './wfp/constants.js';

export const SID_REVISION = 1;
export const SECURITY_DESCRIPTOR_REVISION = 1;
export const ACL_REVISION = 2;
export const ACCESS_ALLOWED_ACE_TYPE = 0;
export const SE_DACL_PRESENT = 0x0004;
export const SE_SELF_RELATIVE = 0x8000;
/** S-1-5-18, the owner Windows Defender Firewall gives its descriptors ("O:LS"). */
export const LOCAL_SYSTEM_SID = 'S-1-5-18';

/** Byte offsets of the fixed parts (winnt.h names); test/unit checks them against the mingw-w64 headers. */
export const LAYOUT = {
  SID: { SubAuthorityCount: 1, IdentifierAuthority: 2, SubAuthority: 8 },
  SECURITY_DESCRIPTOR_RELATIVE: { size: 20, Control: 2, Owner: 4, Group: 8, Sacl: 12, Dacl: 16 },
  ACL: { size: 8, AclSize: 2, AceCount: 4 },
  ACCESS_ALLOWED_ACE: { AceFlags: 1, AceSize: 2, Mask: 4, SidStart: 8 },
} as const;
const SDR = LAYOUT.SECURITY_DESCRIPTOR_RELATIVE;
const ACE = LAYOUT.ACCESS_ALLOWED_ACE;
const MAX_SUB_AUTHORITIES = 15;
const MAX_AUTHORITY = 2 ** 48 - 1;
const SID_TEXT = /^S-1-(\d+|0x[0-9a-f]{12})((?:-\d+)*)$/i;

/** "S-1-5-80-..." -> SID bytes. Throws a TypeError naming the SID when it is not one. */
export function encodeSid(text: string): Uint8Array {
  const m = SID_TEXT.exec(text.trim());
  if (!m) throw new TypeError(`not a SID: "${text}" (expected S-1-<authority>-<sub-authority>...)`);
  const authorityText = m[1] as string;
  const authority = authorityText.toLowerCase().startsWith('0x') ? parseInt(authorityText, 16) : Number(authorityText);
  if (!Number.isSafeInteger(authority) || authority > MAX_AUTHORITY)
    throw new TypeError(`not a SID: "${text}" (identifier authority above 2^48)`);
  const subs = (m[2] as string).split('-').slice(1).map(Number);
  if (subs.length > MAX_SUB_AUTHORITIES)
    throw new TypeError(`not a SID: "${text}" (${subs.length} sub-authorities, at most ${MAX_SUB_AUTHORITIES})`);
  const bytes = Buffer.alloc(LAYOUT.SID.SubAuthority + 4 * subs.length);
  bytes[0] = SID_REVISION;
  bytes[LAYOUT.SID.SubAuthorityCount] = subs.length;
  bytes.writeUIntBE(authority, LAYOUT.SID.IdentifierAuthority, 6);
  subs.forEach((s, i) => {
    if (!(s <= 0xffffffff)) throw new TypeError(`not a SID: "${text}" (sub-authority ${s} above 2^32-1)`);
    bytes.writeUInt32LE(s, LAYOUT.SID.SubAuthority + 4 * i);
  });
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

export interface AllowEntry {
  readonly sid: string;
  readonly mask: number;
}

export interface DescriptorParts {
  /** Owner SID; absent: no owner. */
  readonly owner?: string;
  /** Primary group SID; absent: no group. */
  readonly group?: string;
  /** One ACCESS_ALLOWED_ACE each, in this order. */
  readonly allow: readonly AllowEntry[];
}

/** A self-relative security descriptor with SE_DACL_PRESENT and a DACL of ACCESS_ALLOWED_ACEs. */
export function buildSecurityDescriptor(parts: DescriptorParts): Uint8Array {
  const aces = parts.allow.map(({ sid, mask }) => {
    if (!(Number.isInteger(mask) && mask > 0 && mask <= 0xffffffff)) throw new TypeError(`bad access mask ${mask}`);
    const sidBytes = encodeSid(sid);
    const ace = Buffer.alloc(ACE.SidStart + sidBytes.length);
    ace[0] = ACCESS_ALLOWED_ACE_TYPE;
    ace[ACE.AceFlags] = 0; // no inheritance: a filter's descriptor has nothing to inherit into
    ace.writeUInt16LE(ace.length, ACE.AceSize);
    ace.writeUInt32LE(mask >>> 0, ACE.Mask);
    ace.set(sidBytes, ACE.SidStart);
    return ace;
  });
  const aclSize = LAYOUT.ACL.size + aces.reduce((n, a) => n + a.length, 0);
  if (aclSize > 0xffff) throw new TypeError('the DACL is larger than 64 KiB');
  const acl = Buffer.alloc(aclSize);
  acl[0] = ACL_REVISION;
  acl.writeUInt16LE(aclSize, LAYOUT.ACL.AclSize);
  acl.writeUInt16LE(aces.length, LAYOUT.ACL.AceCount);
  let at: number = LAYOUT.ACL.size;
  for (const ace of aces) {
    acl.set(ace, at);
    at += ace.length;
  }

  const owner = parts.owner !== undefined ? encodeSid(parts.owner) : undefined;
  const group = parts.group !== undefined ? encodeSid(parts.group) : undefined;
  const total = SDR.size + acl.length + (owner?.length ?? 0) + (group?.length ?? 0);
  const sd = Buffer.alloc(total);
  sd[0] = SECURITY_DESCRIPTOR_REVISION;
  sd.writeUInt16LE(SE_SELF_RELATIVE | SE_DACL_PRESENT, SDR.Control);
  // OffsetSacl stays 0: no SACL (auditing is no business of a filter condition).
  let offset: number = SDR.size;
  sd.writeUInt32LE(offset, SDR.Dacl);
  sd.set(acl, offset);
  offset += acl.length;
  if (owner) {
    sd.writeUInt32LE(offset, SDR.Owner);
    sd.set(owner, offset);
    offset += owner.length;
  }
  if (group) {
    sd.writeUInt32LE(offset, SDR.Group);
    sd.set(group, offset);
  }
  return new Uint8Array(sd.buffer, sd.byteOffset, sd.length);
}

/**
 * The descriptor for FWPM_CONDITION_ALE_USER_ID that matches connections of processes whose token holds `sid`
 * (a service SID for a service rule): what ConvertStringSecurityDescriptorToSecurityDescriptorW makes of
 * "O:LSD:(A;;CC;;;<sid>)", the form Windows Defender Firewall installs.
 */
export function matchFilterDescriptor(sid: string): Uint8Array {
  return buildSecurityDescriptor({ owner: LOCAL_SYSTEM_SID, allow: [{ sid, mask: FWP_ACTRL_MATCH_FILTER }] });
}
