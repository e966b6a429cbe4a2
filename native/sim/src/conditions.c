#include <stdlib.h>
#include <string.h>

#include "sim.h"

/* The four ALE layers the simulator classifies; other layers do not exist here (FWP_E_LAYER_NOT_FOUND). */
uint16_t layer_info(const GUID *layer, int *v6, int *inbound) {
  static GUID connect4, connect6, accept4, accept6;
  static int ready;
  if (!ready) {
    connect4 = guid_parse("c38d57d1-05a7-4c33-904f-7fbceee60e82");
    connect6 = guid_parse("4a72393b-319f-44bc-84c3-ba54dcb3b6b4");
    accept4 = guid_parse("e1cd9fe7-f4b5-4273-96c0-592e487b8650");
    accept6 = guid_parse("a3b42c97-9f04-4672-b87e-cee9c483257f");
    ready = 1;
  }
  int a = 0, b = 0;
  uint16_t id = 0;
  if (guid_eq(layer, &connect4)) id = FWPS_LAYER_ALE_AUTH_CONNECT_V4;
  else if (guid_eq(layer, &connect6)) id = FWPS_LAYER_ALE_AUTH_CONNECT_V6, a = 1;
  else if (guid_eq(layer, &accept4)) id = FWPS_LAYER_ALE_AUTH_RECV_ACCEPT_V4, b = 1;
  else if (guid_eq(layer, &accept6)) id = FWPS_LAYER_ALE_AUTH_RECV_ACCEPT_V6, a = 1, b = 1;
  if (v6) *v6 = a;
  if (inbound) *inbound = b;
  return id;
}

static const GUID *field_guid(int field) {
  static GUID g[CF_LAST + 1];
  static int ready;
  if (!ready) {
    g[CF_APP_ID] = guid_parse("d78e1e87-8644-4ea5-9437-d809ecefc971");
    g[CF_PROTOCOL] = guid_parse("3971ef2b-623e-4f9a-8cb1-6e79b806b9a7");
    g[CF_REMOTE_PORT] = guid_parse("c35a604d-d22b-4e1a-91b4-68f674ee674b");
    g[CF_REMOTE_ADDRESS] = guid_parse("b235ae9a-1d64-49b8-a44c-5ff3d9095045");
    g[CF_USER_ID] = guid_parse("af043a0a-b34d-4f86-979c-c90371af6e66");
    g[CF_PACKAGE_ID] = guid_parse("71bc78fa-f17c-4997-a602-6abb261f351c");
    /* windows-sys (fwpmu.h): FWPM_CONDITION_IP_LOCAL_PORT, _IP_LOCAL_ADDRESS, _FLAGS */
    g[CF_LOCAL_PORT] = guid_parse("0c1ba1af-5765-453f-af22-a8f791ac775b");
    g[CF_LOCAL_ADDRESS] = guid_parse("d9ee00de-c1ef-4617-bfe3-ffd8f5a08957");
    g[CF_FLAGS] = guid_parse("632ce23b-5167-435c-86d7-e903684aa80c");
    ready = 1;
  }
  return &g[field];
}

static int field_of(const GUID *key) {
  for (int f = CF_APP_ID; f <= CF_LAST; f++)
    if (guid_eq(key, field_guid(f))) return f;
  return 0;
}

static int v4_mask_ok(uint32_t mask) { return (mask & (~mask >> 1)) == 0 || mask == 0; }

static uint32_t import_range(const FWP_RANGE0 *r, uint32_t want, uint64_t max, sim_cond *out) {
  if (!r) return FWP_E_NULL_POINTER;
  if (r->valueLow.type != want || r->valueHigh.type != want) return FWP_E_TYPE_MISMATCH;
  uint64_t lo = want == FWP_UINT8 ? r->valueLow.uint8 : want == FWP_UINT16 ? r->valueLow.uint16 : r->valueLow.uint32;
  uint64_t hi = want == FWP_UINT8 ? r->valueHigh.uint8 : want == FWP_UINT16 ? r->valueHigh.uint16 : r->valueHigh.uint32;
  if (lo > hi || hi > max) return FWP_E_INVALID_RANGE;
  out->rangeType = want;
  out->lo = lo;
  out->hi = hi;
  return 0;
}

static uint32_t keep_bytes(sim_cond *out, const uint8_t *bytes, uint32_t size) {
  out->blob = malloc(size);
  if (!out->blob) return ERROR_NOT_ENOUGH_MEMORY;
  memcpy(out->blob, bytes, size);
  out->blobSize = size;
  return 0;
}

/* A SID condition value has no size: like Windows, read its 8-byte header, then as many sub-authorities as it
   says (at most 15). */
static uint32_t import_sid(const SID *sid, sim_cond *out) {
  if (!sid) return FWP_E_NULL_POINTER;
  const uint8_t *p = (const uint8_t *)sid;
  uint32_t len = sid_length(p, 8u + 4u * 15u);
  if (!len) return FWP_E_INVALID_PARAMETER;
  return keep_bytes(out, p, len);
}

uint32_t cond_import(const FWPM_FILTER_CONDITION0 *in, int v6Layer, sim_cond *out) {
  memset(out, 0, sizeof *out);
  out->field = field_of(&in->fieldKey);
  if (!out->field) return FWP_E_CONDITION_NOT_FOUND;
  out->match = in->matchType;
  out->type = in->conditionValue.type;
  const FWP_CONDITION_VALUE0 *v = &in->conditionValue;
  int equal = in->matchType == FWP_MATCH_EQUAL, range = in->matchType == FWP_MATCH_RANGE;
  switch (out->field) {
  case CF_APP_ID:
    if (v->type != FWP_BYTE_BLOB_TYPE) return FWP_E_TYPE_MISMATCH;
    if (!equal) return FWP_E_MATCH_TYPE_MISMATCH;
    if (!v->byteBlob || (!v->byteBlob->data && v->byteBlob->size)) return FWP_E_NULL_POINTER;
    if (v->byteBlob->size == 0) return FWP_E_INVALID_PARAMETER;
    return keep_bytes(out, v->byteBlob->data, v->byteBlob->size);
  case CF_USER_ID: {
    if (v->type != FWP_SECURITY_DESCRIPTOR_TYPE) return FWP_E_TYPE_MISMATCH;
    if (!equal) return FWP_E_MATCH_TYPE_MISMATCH;
    if (!v->sd || (!v->sd->data && v->sd->size)) return FWP_E_NULL_POINTER;
    uint32_t rc = sd_validate(v->sd->data, v->sd->size);
    return rc ? rc : keep_bytes(out, v->sd->data, v->sd->size);
  }
  case CF_PACKAGE_ID:
    if (v->type != FWP_SID) return FWP_E_TYPE_MISMATCH;
    /* NOT_EQUAL S-1-0-0 is how app isolation's default block names "any packaged app". */
    if (!equal && in->matchType != FWP_MATCH_NOT_EQUAL) return FWP_E_MATCH_TYPE_MISMATCH;
    return import_sid(v->sid, out);
  case CF_FLAGS:
    if (v->type != FWP_UINT32) return FWP_E_TYPE_MISMATCH;
    if (in->matchType != FWP_MATCH_FLAGS_ALL_SET && in->matchType != FWP_MATCH_FLAGS_ANY_SET &&
        in->matchType != FWP_MATCH_FLAGS_NONE_SET)
      return FWP_E_MATCH_TYPE_MISMATCH;
    out->lo = out->hi = v->uint32;
    return 0;
  case CF_PROTOCOL:
    if (v->type == FWP_UINT8) {
      if (!equal) return FWP_E_MATCH_TYPE_MISMATCH;
      out->lo = out->hi = v->uint8;
      return 0;
    }
    if (v->type == FWP_RANGE_TYPE) {
      if (!range) return FWP_E_MATCH_TYPE_MISMATCH;
      return import_range(v->rangeValue, FWP_UINT8, 0xFF, out);
    }
    return FWP_E_TYPE_MISMATCH;
  case CF_LOCAL_PORT:
  case CF_REMOTE_PORT:
    if (v->type == FWP_UINT16) {
      if (!equal) return FWP_E_MATCH_TYPE_MISMATCH;
      out->lo = out->hi = v->uint16;
      return 0;
    }
    if (v->type == FWP_RANGE_TYPE) {
      if (!range) return FWP_E_MATCH_TYPE_MISMATCH;
      return import_range(v->rangeValue, FWP_UINT16, 0xFFFF, out);
    }
    return FWP_E_TYPE_MISMATCH;
  case CF_LOCAL_ADDRESS:
  case CF_REMOTE_ADDRESS:
    if (!v6Layer) {
      if (v->type == FWP_UINT32) {
        if (!equal) return FWP_E_MATCH_TYPE_MISMATCH;
        out->lo = out->hi = v->uint32;
        return 0;
      }
      if (v->type == FWP_V4_ADDR_MASK) {
        if (!equal) return FWP_E_MATCH_TYPE_MISMATCH;
        if (!v->v4AddrMask) return FWP_E_NULL_POINTER;
        if (!v4_mask_ok(v->v4AddrMask->mask)) return FWP_E_INVALID_NET_MASK;
        out->mask4 = v->v4AddrMask->mask;
        out->lo = v->v4AddrMask->addr;
        return 0;
      }
      if (v->type == FWP_RANGE_TYPE) {
        if (!range) return FWP_E_MATCH_TYPE_MISMATCH;
        return import_range(v->rangeValue, FWP_UINT32, 0xFFFFFFFFu, out);
      }
      return FWP_E_TYPE_MISMATCH;
    }
    if (v->type == FWP_BYTE_ARRAY16_TYPE) {
      if (!equal) return FWP_E_MATCH_TYPE_MISMATCH;
      if (!v->byteArray16) return FWP_E_NULL_POINTER;
      memcpy(out->addr6, v->byteArray16->byteArray16, 16);
      out->prefix = 128;
      return 0;
    }
    if (v->type == FWP_V6_ADDR_MASK) {
      if (!equal) return FWP_E_MATCH_TYPE_MISMATCH;
      if (!v->v6AddrMask) return FWP_E_NULL_POINTER;
      if (v->v6AddrMask->prefixLength > 128) return FWP_E_INVALID_NET_MASK;
      memcpy(out->addr6, v->v6AddrMask->addr, 16);
      out->prefix = v->v6AddrMask->prefixLength;
      return 0;
    }
    return FWP_E_TYPE_MISMATCH;
  }
  return FWP_E_CONDITION_NOT_FOUND;
}

void cond_free(sim_cond *c) {
  free(c->blob);
  c->blob = NULL;
}

static void export_range(arena *a, const sim_cond *in, FWP_CONDITION_VALUE0 *out) {
  FWP_RANGE0 *r = arena_alloc(a, sizeof *r);
  r->valueLow.type = r->valueHigh.type = in->rangeType;
  if (in->rangeType == FWP_UINT8) r->valueLow.uint8 = (uint8_t)in->lo, r->valueHigh.uint8 = (uint8_t)in->hi;
  else if (in->rangeType == FWP_UINT16) r->valueLow.uint16 = (uint16_t)in->lo, r->valueHigh.uint16 = (uint16_t)in->hi;
  else r->valueLow.uint32 = (uint32_t)in->lo, r->valueHigh.uint32 = (uint32_t)in->hi;
  out->rangeValue = r;
}

void cond_export(arena *a, const sim_cond *in, FWPM_FILTER_CONDITION0 *out) {
  out->fieldKey = *field_guid(in->field);
  out->matchType = in->match;
  out->conditionValue.type = in->type;
  FWP_CONDITION_VALUE0 *v = &out->conditionValue;
  switch (in->type) {
  case FWP_BYTE_BLOB_TYPE:
  case FWP_SECURITY_DESCRIPTOR_TYPE: {
    FWP_BYTE_BLOB *b = arena_alloc(a, sizeof *b);
    b->size = in->blobSize;
    b->data = arena_alloc(a, in->blobSize);
    memcpy(b->data, in->blob, in->blobSize);
    if (in->type == FWP_BYTE_BLOB_TYPE) v->byteBlob = b;
    else v->sd = b;
    break;
  }
  case FWP_SID: {
    uint8_t *sid = arena_alloc(a, in->blobSize);
    memcpy(sid, in->blob, in->blobSize);
    v->sid = (SID *)sid;
    break;
  }
  case FWP_UINT8: v->uint8 = (uint8_t)in->lo; break;
  case FWP_UINT16: v->uint16 = (uint16_t)in->lo; break;
  case FWP_UINT32: v->uint32 = (uint32_t)in->lo; break;
  case FWP_RANGE_TYPE: export_range(a, in, v); break;
  case FWP_V4_ADDR_MASK: {
    FWP_V4_ADDR_AND_MASK *m = arena_alloc(a, sizeof *m);
    m->addr = (uint32_t)in->lo;
    m->mask = in->mask4;
    v->v4AddrMask = m;
    break;
  }
  case FWP_BYTE_ARRAY16_TYPE: {
    FWP_BYTE_ARRAY16 *b = arena_alloc(a, sizeof *b);
    memcpy(b->byteArray16, in->addr6, 16);
    v->byteArray16 = b;
    break;
  }
  case FWP_V6_ADDR_MASK: {
    FWP_V6_ADDR_AND_MASK *m = arena_alloc(a, sizeof *m);
    memcpy(m->addr, in->addr6, 16);
    m->prefixLength = in->prefix;
    v->v6AddrMask = m;
    break;
  }
  default: break;
  }
}

static int prefix_match(const uint8_t *a, const uint8_t *b, unsigned bits) {
  unsigned full = bits / 8, rest = bits % 8;
  if (memcmp(a, b, full) != 0) return 0;
  if (!rest) return 1;
  uint8_t mask = (uint8_t)(0xFF << (8 - rest));
  return (a[full] & mask) == (b[full] & mask);
}

static int address_match(const sim_cond *c, int has, int v6, uint32_t a4, const uint8_t *a6) {
  if (!has) return 0;
  if (!v6) {
    if (c->type == FWP_V4_ADDR_MASK) return (a4 & c->mask4) == ((uint32_t)c->lo & c->mask4);
    return a4 >= c->lo && a4 <= c->hi;
  }
  return prefix_match(a6, c->addr6, c->prefix);
}

int cond_match(const sim_cond *c, const conn_ctx *x) {
  switch (c->field) {
  case CF_APP_ID:
    return x->appId && x->appIdSize == c->blobSize && memcmp(x->appId, c->blob, c->blobSize) == 0;
  case CF_PROTOCOL:
    return x->protocol >= c->lo && x->protocol <= c->hi;
  /* The ports by what they are at the ALE layers: IP_LOCAL_PORT is this computer's port in both directions (the
     listening port on receive-accept), IP_REMOTE_PORT the other side's (on receive-accept, the sender's source
     port). For ICMP the local port field holds the type (fwpmu.h FWPM_CONDITION_ICMP_TYPE). */
  case CF_LOCAL_PORT:
    return x->localPort >= c->lo && x->localPort <= c->hi;
  case CF_REMOTE_PORT:
    return x->remotePort >= c->lo && x->remotePort <= c->hi;
  case CF_LOCAL_ADDRESS:
    return address_match(c, x->hasLocal, x->v6, x->local4, x->local6);
  case CF_REMOTE_ADDRESS:
    return address_match(c, x->hasRemote, x->v6, x->remote4, x->remote6);
  case CF_FLAGS:
    if (c->match == FWP_MATCH_FLAGS_ALL_SET) return (x->conditionFlags & c->lo) == c->lo;
    if (c->match == FWP_MATCH_FLAGS_ANY_SET) return (x->conditionFlags & c->lo) != 0;
    return (x->conditionFlags & c->lo) == 0;
  case CF_USER_ID:
    if (x->tokenSidCount)
      return sd_grants_token(c->blob, c->blobSize, x->tokenSids, x->tokenSidLens, x->tokenSidCount,
                             FWP_ACTRL_MATCH_FILTER);
    return sd_grants(c->blob, c->blobSize, x->userSid, x->userSidLen, FWP_ACTRL_MATCH_FILTER);
  case CF_PACKAGE_ID: {
    /* A process outside an app container has the NULL SID (S-1-0-0) as its package id. */
    static const uint8_t nullSid[12] = {1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    const uint8_t *sid = x->packageSid ? x->packageSid : nullSid;
    uint32_t len = x->packageSid ? x->packageSidLen : sizeof nullSid;
    int same = len == c->blobSize && memcmp(sid, c->blob, len) == 0;
    return c->match == FWP_MATCH_NOT_EQUAL ? !same : same;
  }
  }
  return 0;
}

/* WFP semantics: conditions on the same field are OR'ed, different fields AND'ed. */
int filter_matches(const sim_filter *f, const conn_ctx *x) {
  for (int field = CF_APP_ID; field <= CF_LAST; field++) {
    int seen = 0, any = 0;
    for (uint32_t i = 0; i < f->numConds; i++) {
      if (f->conds[i].field != field) continue;
      seen = 1;
      if (cond_match(&f->conds[i], x)) {
        any = 1;
        break;
      }
    }
    if (seen && !any) return 0;
  }
  return 1;
}
