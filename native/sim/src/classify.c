/* Classification the way WFP arbitrates at the ALE connect / recv-accept layers, and the attempt
   that turns a verdict into net events. */
#include <stdlib.h>
#include <string.h>

#include "sim.h"

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

/* Sublayers are evaluated from the highest weight down; inside each, the first matching filter with a
   terminating action (by effective weight) is that sublayer's decision. A block is final. A permit with
   CLEAR_ACTION_RIGHT (hard) is final too; a plain (soft) permit stands only if no lower sublayer blocks.
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

  const sim_filter *softPermit = NULL;
  size_t i = 0;
  while (i < m) {
    const GUID *sub = &c[i].f->subLayerKey;
    const sim_filter *decision = NULL;
    size_t j = i;
    for (; j < m && guid_eq(&c[j].f->subLayerKey, sub); j++)
      if (!decision && filter_matches(c[j].f, x)) decision = c[j].f;
    i = j;
    if (!decision) continue;
    if (decision->actionType == FWP_ACTION_BLOCK) {
      out->action = FWP_ACTION_BLOCK;
      out->filterId = decision->id;
      free(c);
      return;
    }
    if (decision->flags & FWPM_FILTER_FLAG_CLEAR_ACTION_RIGHT) {
      out->filterId = decision->id;
      free(c);
      return;
    }
    if (!softPermit) softPermit = decision;
  }
  if (softPermit) out->filterId = softPermit->id;
  free(c);
}

static int is_loopback(const conn_ctx *x) {
  static const uint8_t v6lo[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  if (!x->hasRemote) return 0;
  return x->v6 ? memcmp(x->remote6, v6lo, 16) == 0 : (x->remote4 >> 24) == 127;
}

static const char16_t SYSTEM_APP[] = u"System";

uint32_t sim_attempt(const SIM_CONNECTION *c, uint32_t count, uint64_t *filterId) {
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

  verdict v;
  plat_mutex_lock(g_sim.lock);
  state_refresh_locked(); /* PORTCULLIS_SIM_STATE: the filters other processes committed */
  classify_locked(&x, &v);
  uint32_t collect = g_sim.options[FWPM_ENGINE_COLLECT_NET_EVENTS];
  uint32_t keywords = g_sim.options[FWPM_ENGINE_NET_EVENT_MATCH_ANY_KEYWORDS];
  plat_mutex_unlock(g_sim.lock);
  if (filterId) *filterId = v.filterId;

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

SIM_API uint32_t sim_connect(const SIM_CONNECTION *connection, uint64_t *filterId) {
  return sim_attempt(connection, 1, filterId);
}

SIM_API uint32_t sim_connect_repeat(const SIM_CONNECTION *connection, uint32_t count, uint64_t *filterId) {
  return sim_attempt(connection, count, filterId);
}
