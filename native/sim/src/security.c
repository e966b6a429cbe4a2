/* SIDs and self-relative security descriptors as the ALE_USER_ID and ALE_PACKAGE_ID conditions carry them.
   Everything here reads caller bytes, so every read is checked against the size the bytes claim and the size
   they really have. Layouts (winnt.h, MS-DTYP 2.4.2 / 2.4.4 / 2.4.5 / 2.4.6), all little-endian except the
   SID's 6-byte big-endian identifier authority:
     SID                          u8 Revision(1) u8 SubAuthorityCount(<=15) u8[6] Authority u32 Sub[count]
     SECURITY_DESCRIPTOR_RELATIVE u8 Revision(1) u8 Sbz1 u16 Control u32 Owner u32 Group u32 Sacl u32 Dacl
     ACL                          u8 AclRevision(2|4) u8 Sbz1 u16 AclSize u16 AceCount u16 Sbz2
     ACE                          u8 AceType u8 AceFlags u16 AceSize, then (allowed/denied/audit) u32 Mask, SID */
#include <string.h>

#include "sim.h"

#define SE_DACL_PRESENT 0x0004u
#define SE_SACL_PRESENT 0x0010u
#define SE_SELF_RELATIVE 0x8000u
#define SD_HEADER 20u
#define ACL_HEADER 8u
#define ACE_HEADER 4u
#define ACCESS_ALLOWED_ACE_TYPE 0u
#define ACCESS_DENIED_ACE_TYPE 1u
#define SYSTEM_AUDIT_ACE_TYPE 2u
#define INHERIT_ONLY_ACE 0x08u
#define GENERIC_ALL 0x10000000u

static uint32_t rd16(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t rd32(const uint8_t *p) { return rd16(p) | rd16(p + 2) << 16; }

uint32_t sid_length(const uint8_t *p, uint32_t avail) {
  if (!p || avail < 8 || p[0] != 1 || p[1] > 15) return 0;
  uint32_t len = 8u + 4u * p[1];
  return len <= avail ? len : 0;
}

static int sid_equal(const uint8_t *a, uint32_t alen, const uint8_t *b, uint32_t blen) {
  return a && b && alen == blen && memcmp(a, b, alen) == 0;
}

/* S-1-1-0: in every token, so an ACE for it applies to every connection. */
static const uint8_t EVERYONE[12] = {1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};

/* The ACL at acl[0..avail): 1 when its header, every ACE and every SID in an ACE lie inside AclSize. */
static int acl_valid(const uint8_t *acl, uint32_t avail) {
  if (avail < ACL_HEADER || (acl[0] != 2 && acl[0] != 4)) return 0;
  uint32_t size = rd16(acl + 2), count = rd16(acl + 4);
  if (size < ACL_HEADER || size > avail || size % 4) return 0;
  uint32_t at = ACL_HEADER;
  for (uint32_t i = 0; i < count; i++) {
    if (size - at < ACE_HEADER) return 0;
    uint32_t type = acl[at], aceSize = rd16(acl + at + 2);
    if (aceSize < ACE_HEADER || aceSize % 4 || aceSize > size - at) return 0;
    if (type <= SYSTEM_AUDIT_ACE_TYPE && (aceSize < 8 || !sid_length(acl + at + 8, aceSize - 8))) return 0;
    at += aceSize;
  }
  return 1;
}

/* A non-zero component offset must point past the header and leave room for what is there. */
static int offset_ok(uint32_t off, uint32_t size) { return off >= SD_HEADER && off < size; }

uint32_t sd_validate(const uint8_t *sd, uint32_t size) {
  if (!sd || size < SD_HEADER || sd[0] != 1) return FWP_E_INVALID_PARAMETER;
  uint32_t control = rd16(sd + 2);
  if (!(control & SE_SELF_RELATIVE)) return FWP_E_INVALID_PARAMETER; /* absolute: pointers, not offsets */
  for (int i = 0; i < 2; i++) { /* owner, group */
    uint32_t off = rd32(sd + 4 + 4 * i);
    if (off && (!offset_ok(off, size) || !sid_length(sd + off, size - off))) return FWP_E_INVALID_PARAMETER;
  }
  uint32_t sacl = rd32(sd + 12), dacl = rd32(sd + 16);
  if ((control & SE_SACL_PRESENT) && sacl && (!offset_ok(sacl, size) || !acl_valid(sd + sacl, size - sacl)))
    return FWP_E_INVALID_PARAMETER;
  if ((control & SE_DACL_PRESENT) && dacl && (!offset_ok(dacl, size) || !acl_valid(sd + dacl, size - dacl)))
    return FWP_E_INVALID_PARAMETER;
  return 0;
}

/* AccessCheck reduced to what a filter condition needs: the ACEs of the DACL in order; the first allowed or
   denied ACE for the caller's SID (or Everyone) that names `access` decides. No DACL, or a NULL DACL, grants
   everything; an empty DACL grants nothing. Inherit-only ACEs do not apply to the object itself. */
int sd_grants(const uint8_t *sd, uint32_t size, const uint8_t *sid, uint32_t sidLen, uint32_t access) {
  const uint8_t *sids[1] = {sid};
  uint32_t lens[1] = {sidLen};
  return sd_grants_token(sd, size, sids, lens, sid ? 1 : 0, access);
}

static int token_has(const uint8_t *aceSid, uint32_t aceSidLen, const uint8_t *const *sids, const uint32_t *lens,
                     uint32_t n) {
  if (sid_equal(aceSid, aceSidLen, EVERYONE, sizeof EVERYONE)) return 1;
  for (uint32_t i = 0; i < n; i++)
    if (sid_equal(aceSid, aceSidLen, sids[i], lens[i])) return 1;
  return 0;
}

/* AccessCheck against a whole token (MS-DTYP 2.5.3.2, reduced): an ACE applies when its SID is the token's user
   or one of its groups; the first applicable ACE naming the access decides. A service's SID is a group of the
   service's token (its SID type unrestricted or restricted), so a filter on it matches that service and nothing
   else in the same svchost; while the service impersonates, the effective token is another's and does not hold
   it (MicrosoftDocs/windows-itpro-docs#8093, simplewall #677, #1318). */
int sd_grants_token(const uint8_t *sd, uint32_t size, const uint8_t *const *sids, const uint32_t *lens, uint32_t n,
                    uint32_t access) {
  if (sd_validate(sd, size)) return 0;
  uint32_t control = rd16(sd + 2), off = rd32(sd + 16);
  if (!(control & SE_DACL_PRESENT) || !off) return 1;
  const uint8_t *acl = sd + off;
  uint32_t aclSize = rd16(acl + 2), count = rd16(acl + 4), at = ACL_HEADER;
  for (uint32_t i = 0; i < count && at + ACE_HEADER <= aclSize; i++) {
    const uint8_t *ace = acl + at;
    uint32_t type = ace[0], flags = ace[1], aceSize = rd16(ace + 2);
    at += aceSize;
    if (type > ACCESS_DENIED_ACE_TYPE || (flags & INHERIT_ONLY_ACE)) continue;
    if (!(rd32(ace + 4) & (access | GENERIC_ALL))) continue;
    uint32_t aceSidLen = sid_length(ace + 8, aceSize - 8);
    if (!token_has(ace + 8, aceSidLen, sids, lens, n)) continue;
    return type == ACCESS_ALLOWED_ACE_TYPE;
  }
  return 0;
}
