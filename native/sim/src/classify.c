/* Classification the way WFP arbitrates at the ALE connect / recv-accept layers, and the attempt
   that turns a verdict into net events. */
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#ifndef _WIN32
#include "audit_types.h"
#endif

typedef struct candidate {
  sim_filter *f;
  uint16_t sublayerWeight;
} candidate;

static int cmp_candidate(const void *pa, const void *pb) {
  const candidate *a = pa, *b = pb;
  if (a->sublayerWeight != b->sublayerWeight) return a->sublayerWeight > b->sublayerWeight ? -1 : 1;
  int k = memcmp(&a->f->subLayerKey, &b->f->subLayerKey, sizeof(GUID));
  if (k) return k;
  if (a->f->effectiveWeight != b->f->effectiveWeight) return a->f->effectiveWeight > b->f->effectiveWeight ? -1 : 1;
  return a->f->id < b->f->id ? -1 : a->f->id > b->f->id;
}

/* Arbitration as learn.microsoft.com "Filter Arbitration" states it. Inside a sublayer, the matching filters are
   taken from the highest weight down and the first Permit or Block is the sublayer's decision. Across sublayers,
   from the highest weight down, every sublayer is evaluated; the result is the current action and whether it may
   still be overridden (FWPS_RIGHT_ACTION_WRITE, cleared by FWPM_FILTER_FLAG_CLEAR_ACTION_RIGHT):
     - a hard decision (right cleared) is final: a hard permit yields only to a callout's veto (none here);
     - over a soft decision, Block overrides Permit, and a hard Permit overrides a soft Block (the page's
       "soft block"; simplewall #689 saw a plain block of simplewall's lose to a hard permit in a sublayer
       of lower weight, and made its blocks hard for that reason).
   Sublayers of equal weight have no documented order; the simulator takes them by key (a guess).
   Nothing matching: permit, no filter. */
void classify_locked(const conn_ctx *x, verdict *out) {
  uint16_t layerId = x->inbound ? (x->v6 ? FWPS_LAYER_ALE_AUTH_RECV_ACCEPT_V6 : FWPS_LAYER_ALE_AUTH_RECV_ACCEPT_V4)
                                : (x->v6 ? FWPS_LAYER_ALE_AUTH_CONNECT_V6 : FWPS_LAYER_ALE_AUTH_CONNECT_V4);
  out->action = FWP_ACTION_PERMIT;
  out->filterId = 0;
  out->layerId = layerId;

  size_t n = 0;
  for (sim_filter *f = g_sim.filters; f; f = f->next) n++;
  candidate *c = n ? malloc(n * sizeof *c) : NULL;
  if (n && !c) return;
  size_t m = 0;
  for (sim_filter *f = g_sim.filters; f; f = f->next) {
    if (f->layerId != layerId || (f->flags & FWPM_FILTER_FLAG_DISABLED) || !obj_visible(&f->st, 0)) continue;
    sim_sublayer *sl = sublayer_find(&f->subLayerKey, 0);
    c[m].f = f;
    c[m].sublayerWeight = sl ? sl->weight : 0;
    m++;
  }
  qsort(c, m, sizeof *c, cmp_candidate);

  const sim_filter *current = NULL;
  int hard = 0;
  size_t i = 0;
  while (i < m && !hard) {
    const GUID *sub = &c[i].f->subLayerKey;
    const sim_filter *decision = NULL;
    size_t j = i;
    for (; j < m && guid_eq(&c[j].f->subLayerKey, sub); j++)
      if (!decision && filter_matches(c[j].f, x)) decision = c[j].f;
    i = j;
    if (!decision) continue;
    int decisionHard = (decision->flags & FWPM_FILTER_FLAG_CLEAR_ACTION_RIGHT) != 0;
    int block = decision->actionType == FWP_ACTION_BLOCK;
    if (!current || (block && current->actionType != FWP_ACTION_BLOCK) ||
        (!block && current->actionType == FWP_ACTION_BLOCK && decisionHard)) {
      current = decision;
      hard = decisionHard;
    } else if (decisionHard && decision->actionType == current->actionType) {
      hard = 1; /* the same action, now final */
    }
  }
  if (current) {
    out->action = current->actionType == FWP_ACTION_BLOCK ? FWP_ACTION_BLOCK : FWP_ACTION_PERMIT;
    out->filterId = current->id;
  }
  free(c);
}

static int is_loopback(const conn_ctx *x) {
  static const uint8_t v6lo[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  if (!x->hasRemote) return 0;
  return x->v6 ? memcmp(x->remote6, v6lo, 16) == 0 : (x->remote4 >> 24) == 127;
}

static const char16_t SYSTEM_APP[] = u"System";

/* A token's SIDs in binary: the effective token an ALE_USER_ID condition sees. */
typedef struct token_sids {
  uint8_t bytes[SIM_TOKEN_MAX_GROUPS + 1][68];
  const uint8_t *ptrs[SIM_TOKEN_MAX_GROUPS + 1];
  uint32_t lens[SIM_TOKEN_MAX_GROUPS + 1];
  uint32_t count;
} token_sids;

static void token_add(token_sids *t, const char16_t *sid) {
  if (!sid || t->count > SIM_TOKEN_MAX_GROUPS) return;
  uint32_t len = sid_from_string(sid, t->bytes[t->count]);
  if (!len) return;
  t->ptrs[t->count] = t->bytes[t->count];
  t->lens[t->count] = len;
  t->count++;
}

/* While the process impersonates, ALE checks the impersonation token; otherwise the process token. */
static uint32_t token_build(const SIM_CONNECTION *c, const SIM_TOKEN *tok, token_sids *t) {
  memset(t, 0, sizeof *t);
  if (!tok) return 0;
  int impersonating = tok->impersonatedUserSid != NULL;
  const char16_t *const *groups = impersonating ? tok->impersonatedGroupSids : tok->groupSids;
  uint32_t n = impersonating ? tok->impersonatedGroupCount : tok->groupCount;
  if (n > SIM_TOKEN_MAX_GROUPS || (n && !groups)) return ERROR_INVALID_PARAMETER;
  token_add(t, impersonating ? tok->impersonatedUserSid : c->userSid);
  for (uint32_t i = 0; i < n; i++) token_add(t, groups[i]);
  return 0;
}

static uint32_t attempt(const SIM_CONNECTION *c, const SIM_TOKEN *tok, uint32_t pid, uint32_t count,
                        uint64_t *filterId) {
  if (filterId) *filterId = 0;
  if (!c || c->direction > 1) return ERROR_INVALID_PARAMETER;
  conn_ctx x;
  memset(&x, 0, sizeof x);
  x.inbound = c->direction == 1;
  x.protocol = c->protocol;
  x.localPort = c->localPort;
  x.remotePort = c->remotePort;
  int lk = 0, rk = 0;
  uint32_t scope = 0;
  if (c->localAddress && !(lk = addr_parse(c->localAddress, &x.local4, x.local6, &scope))) return ERROR_INVALID_PARAMETER;
  if (c->remoteAddress && !(rk = addr_parse(c->remoteAddress, &x.remote4, x.remote6, &scope)))
    return ERROR_INVALID_PARAMETER;
  if (lk && rk && lk != rk) return ERROR_INVALID_PARAMETER;
  x.v6 = lk == 6 || rk == 6;
  x.hasLocal = lk != 0;
  x.hasRemote = rk != 0;
  x.scopeId = c->scopeId ? c->scopeId : scope;

  uint8_t *appId = NULL;
  uint32_t appIdSize = 0;
  if (c->appPath) {
    if (u16_ieq(c->appPath, SYSTEM_APP)) {
      appIdSize = sizeof SYSTEM_APP;
      appId = malloc(appIdSize);
      if (appId) memcpy(appId, SYSTEM_APP, appIdSize);
    } else {
      appId = app_id_for_path(c->appPath, &appIdSize);
    }
    if (!appId) return ERROR_NOT_ENOUGH_MEMORY;
  }
  x.appId = appId;
  x.appIdSize = appIdSize;
  /* A string that is no SID is left out, as if none had been given (the event says so by its flags). */
  uint8_t userSid[68], packageSid[68];
  if (c->userSid && (x.userSidLen = sid_from_string(c->userSid, userSid))) x.userSid = userSid;
  if (c->packageSid && (x.packageSidLen = sid_from_string(c->packageSid, packageSid))) x.packageSid = packageSid;
  token_sids token;
  uint32_t trc = token_build(c, tok, &token);
  if (trc) {
    free(appId);
    return trc;
  }
  if (tok) {
    x.tokenSids = token.ptrs;
    x.tokenSidLens = token.lens;
    x.tokenSidCount = token.count;
  }
  /* FWPM_CONDITION_FLAGS: Windows sets IS_LOOPBACK for traffic that stays on this computer. */
  if (is_loopback(&x)) x.conditionFlags |= FWP_CONDITION_FLAG_IS_LOOPBACK;

  verdict v;
  plat_mutex_lock(g_sim.lock);
  state_refresh_locked(); /* PORTCULLIS_SIM_STATE: the filters other processes committed */
  classify_locked(&x, &v);
  uint32_t collect = g_sim.options[FWPM_ENGINE_COLLECT_NET_EVENTS];
  uint32_t keywords = g_sim.options[FWPM_ENGINE_NET_EVENT_MATCH_ANY_KEYWORDS];
  plat_mutex_unlock(g_sim.lock);
  if (filterId) *filterId = v.filterId;
#ifndef _WIN32
  /* The Security log's 5157, while auditing of blocked connections is on (evt.c); independent of net events. */
  if (v.action == FWP_ACTION_BLOCK && count) audit_connection_blocked(&x, c, &v, pid, count);
#else
  (void)pid; /* on Windows the real Security log writes its own records */
#endif

  int wanted = collect && count &&
               (v.action == FWP_ACTION_BLOCK || (keywords & FWPM_NET_EVENT_KEYWORD_CLASSIFY_ALLOW));
  if (!wanted) {
    free(appId);
    return v.action;
  }
  ev_rec *r = calloc(1, sizeof *r);
  if (!r) {
    free(appId);
    return ERROR_NOT_ENOUGH_MEMORY;
  }
  r->classified = 1;
  r->type = v.action == FWP_ACTION_BLOCK ? FWPM_NET_EVENT_TYPE_CLASSIFY_DROP : FWPM_NET_EVENT_TYPE_CLASSIFY_ALLOW;
  r->timeStamp = plat_filetime_now();
  r->ipVersion = x.v6 ? FWP_IP_VERSION_V6 : FWP_IP_VERSION_V4;
  r->ipProtocol = x.protocol;
  r->flags = FWPM_NET_EVENT_FLAG_IP_VERSION_SET | FWPM_NET_EVENT_FLAG_IP_PROTOCOL_SET;
  if (lk) {
    r->flags |= FWPM_NET_EVENT_FLAG_LOCAL_ADDR_SET;
    r->localKind = (uint8_t)lk;
    r->local4 = x.local4;
    memcpy(r->local6, x.local6, 16);
  }
  if (rk) {
    r->flags |= FWPM_NET_EVENT_FLAG_REMOTE_ADDR_SET;
    r->remoteKind = (uint8_t)rk;
    r->remote4 = x.remote4;
    memcpy(r->remote6, x.remote6, 16);
  }
  if (x.localPort) r->flags |= FWPM_NET_EVENT_FLAG_LOCAL_PORT_SET, r->localPort = x.localPort;
  if (x.remotePort) r->flags |= FWPM_NET_EVENT_FLAG_REMOTE_PORT_SET, r->remotePort = x.remotePort;
  if (x.v6 && x.scopeId) r->flags |= FWPM_NET_EVENT_FLAG_SCOPE_ID_SET, r->scopeId = x.scopeId;
  if (appId) {
    r->flags |= FWPM_NET_EVENT_FLAG_APP_ID_SET;
    r->appId = appId;
    r->appIdBytes = r->appIdDeclared = appIdSize;
  }
  if (x.userSid) {
    r->flags |= FWPM_NET_EVENT_FLAG_USER_ID_SET;
    memcpy(r->userSid, x.userSid, x.userSidLen);
    r->userSidLen = x.userSidLen;
  }
  if (x.packageSid) {
    r->flags |= FWPM_NET_EVENT_FLAG_PACKAGE_ID_SET;
    memcpy(r->packageSid, x.packageSid, x.packageSidLen);
    r->packageSidLen = x.packageSidLen;
  }
  r->filterId = v.filterId;
  r->layerId = v.layerId;
  r->msFwpDirection = x.inbound ? FWP_DIRECTION_IN : FWP_DIRECTION_OUT;
  r->isLoopback = is_loopback(&x);
  uint32_t rc = events_enqueue(r, count);
  return rc ? rc : v.action;
}

uint32_t sim_attempt(const SIM_CONNECTION *c, uint32_t count, uint64_t *filterId) {
  return attempt(c, NULL, 0, count, filterId);
}

uint32_t sim_attempt_pid(const SIM_CONNECTION *c, uint32_t pid, uint32_t count, uint64_t *filterId) {
  return attempt(c, NULL, pid, count, filterId);
}

/* sim_connect from a given process id (the id the Security log's audit record names); token may be NULL. */
SIM_API uint32_t sim_connect_from(const SIM_CONNECTION *connection, uint32_t pid, const SIM_TOKEN *token,
                                  uint64_t *filterId) {
  return attempt(connection, token, pid, 1, filterId);
}

SIM_API uint32_t sim_connect(const SIM_CONNECTION *connection, uint64_t *filterId) {
  return attempt(connection, NULL, 0, 1, filterId);
}

SIM_API uint32_t sim_connect_as(const SIM_CONNECTION *connection, const SIM_TOKEN *token, uint64_t *filterId) {
  return attempt(connection, token, 0, 1, filterId);
}

SIM_API uint32_t sim_connect_repeat(const SIM_CONNECTION *connection, uint32_t count, uint64_t *filterId) {
  return sim_attempt(connection, count, filterId);
}
