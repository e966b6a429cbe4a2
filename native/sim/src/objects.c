/* Providers and sublayers, and what every object shares: visibility inside transactions, removal when
   a dynamic session closes, commit and abort. */
#include <stdlib.h>
#include <string.h>

#include "sim.h"

int obj_visible(const obj_state *st, uint32_t sessionId) {
  if (st->pendAdd && st->pendAdd != sessionId) return 0;
  if (st->pendDel && st->pendDel == sessionId) return 0;
  return 1;
}

void obj_init_public(obj_state *st, const sim_session *s) {
  st->owner = s && s->dynamic ? s->id : 0;
  st->pendAdd = s && s->inTxn ? s->id : 0;
  st->pendDel = 0;
}

/* 1: unlink and free now; 0: deletion stays pending until the transaction ends. */
static int obj_delete(obj_state *st, const sim_session *s) {
  if (!s->inTxn || st->pendAdd == s->id) return 1;
  st->pendDel = s->id;
  return 0;
}

uint8_t *blob_dup(const FWP_BYTE_BLOB *b, uint32_t *size) {
  *size = 0;
  if (!b || !b->size || !b->data) return NULL;
  uint8_t *d = malloc(b->size);
  if (d) {
    memcpy(d, b->data, b->size);
    *size = b->size;
  }
  return d;
}

void blob_export(arena *a, FWP_BYTE_BLOB *out, const uint8_t *data, uint32_t size) {
  out->size = size;
  out->data = NULL;
  if (size) {
    out->data = arena_alloc(a, size);
    memcpy(out->data, data, size);
  }
}

void provider_free(sim_provider *p) {
  free(p->name);
  free(p->description);
  free(p->serviceName);
  free(p->data);
  free(p);
}

void sublayer_free(sim_sublayer *s) {
  free(s->name);
  free(s->description);
  free(s->data);
  free(s);
}

void filter_free(sim_filter *f) {
  for (uint32_t i = 0; i < f->numConds; i++) cond_free(&f->conds[i]);
  free(f->conds);
  free(f->name);
  free(f->description);
  free(f->data);
  free(f);
}

sim_provider *provider_find(const GUID *key, uint32_t sessionId) {
  for (sim_provider *p = g_sim.providers; p; p = p->next)
    if (guid_eq(&p->key, key) && obj_visible(&p->st, sessionId)) return p;
  return NULL;
}

sim_sublayer *sublayer_find(const GUID *key, uint32_t sessionId) {
  for (sim_sublayer *s = g_sim.sublayers; s; s = s->next)
    if (guid_eq(&s->key, key) && obj_visible(&s->st, sessionId)) return s;
  return NULL;
}

/* Removing objects by predicate from the three lists, without repeating the list walking. */
#define REMOVE_WHERE(list, type, freefn, cond)                                                     \
  do {                                                                                             \
    type **pp_ = &(list);                                                                          \
    while (*pp_) {                                                                                 \
      type *o = *pp_;                                                                              \
      if (cond) {                                                                                  \
        *pp_ = o->next;                                                                            \
        freefn(o);                                                                                 \
      } else {                                                                                     \
        pp_ = &o->next;                                                                            \
      }                                                                                            \
    }                                                                                              \
  } while (0)

void objects_remove_owned(uint32_t id) {
  REMOVE_WHERE(g_sim.filters, sim_filter, filter_free, o->st.owner == id);
  REMOVE_WHERE(g_sim.sublayers, sim_sublayer, sublayer_free, o->st.owner == id);
  REMOVE_WHERE(g_sim.providers, sim_provider, provider_free, o->st.owner == id);
}

void objects_txn_end(uint32_t id, int commit) {
  if (commit) {
    REMOVE_WHERE(g_sim.filters, sim_filter, filter_free, o->st.pendDel == id);
    REMOVE_WHERE(g_sim.sublayers, sim_sublayer, sublayer_free, o->st.pendDel == id);
    REMOVE_WHERE(g_sim.providers, sim_provider, provider_free, o->st.pendDel == id);
  } else {
    REMOVE_WHERE(g_sim.filters, sim_filter, filter_free, o->st.pendAdd == id);
    REMOVE_WHERE(g_sim.sublayers, sim_sublayer, sublayer_free, o->st.pendAdd == id);
    REMOVE_WHERE(g_sim.providers, sim_provider, provider_free, o->st.pendAdd == id);
  }
  for (sim_filter *o = g_sim.filters; o; o = o->next) {
    if (o->st.pendAdd == id) o->st.pendAdd = 0;
    if (o->st.pendDel == id) o->st.pendDel = 0;
  }
  for (sim_sublayer *o = g_sim.sublayers; o; o = o->next) {
    if (o->st.pendAdd == id) o->st.pendAdd = 0;
    if (o->st.pendDel == id) o->st.pendDel = 0;
  }
  for (sim_provider *o = g_sim.providers; o; o = o->next) {
    if (o->st.pendAdd == id) o->st.pendAdd = 0;
    if (o->st.pendDel == id) o->st.pendDel = 0;
  }
}

void objects_clear_all(void) {
  REMOVE_WHERE(g_sim.filters, sim_filter, filter_free, 1);
  REMOVE_WHERE(g_sim.sublayers, sim_sublayer, sublayer_free, 1);
  REMOVE_WHERE(g_sim.providers, sim_provider, provider_free, 1);
}

/* ---- providers ---- */

uint32_t provider_add_locked(const FWPM_PROVIDER0 *in, sim_session *s) {
  uint32_t sid = s ? s->id : 0;
  if (!in) return FWP_E_NULL_POINTER;
  if (!in->displayData.name) return FWP_E_NULL_DISPLAY_NAME;
  if ((in->flags & FWPM_PROVIDER_FLAG_PERSISTENT) && s && s->dynamic) return FWP_E_DYNAMIC_SESSION_IN_PROGRESS;
  GUID key = guid_is_zero(&in->providerKey) ? guid_new() : in->providerKey;
  if (provider_find(&key, sid)) return FWP_E_ALREADY_EXISTS;
  sim_provider *p = calloc(1, sizeof *p);
  if (!p) return ERROR_NOT_ENOUGH_MEMORY;
  obj_init_public(&p->st, s);
  p->key = key;
  p->name = u16_dup(in->displayData.name);
  p->description = u16_dup(in->displayData.description);
  p->serviceName = u16_dup(in->serviceName);
  p->flags = in->flags;
  p->data = blob_dup(&in->providerData, &p->dataSize);
  p->next = g_sim.providers;
  g_sim.providers = p;
  return 0;
}

SIM_API DWORD SIM_WINAPI FwpmProviderAdd0(HANDLE engineHandle, const FWPM_PROVIDER0 *provider, void *sd) {
  (void)sd;
  plat_mutex_lock(g_sim.lock);
  sim_session *s = NULL;
  uint32_t rc = begin_call(engineHandle, 1, &s);
  if (!rc) rc = provider_add_locked(provider, s);
  plat_mutex_unlock(g_sim.lock);
  return rc;
}

SIM_API DWORD SIM_WINAPI FwpmProviderDeleteByKey0(HANDLE engineHandle, const GUID *key) {
  plat_mutex_lock(g_sim.lock);
  sim_session *s = NULL;
  uint32_t rc = begin_call(engineHandle, 1, &s);
  if (!rc && !key) rc = FWP_E_NULL_POINTER;
  sim_provider *p = rc ? NULL : provider_find(key, s->id);
  if (!rc && !p) rc = FWP_E_PROVIDER_NOT_FOUND;
  if (!rc) {
    for (sim_sublayer *o = g_sim.sublayers; o && !rc; o = o->next)
      if (o->hasProvider && guid_eq(&o->providerKey, key) && obj_visible(&o->st, s->id)) rc = FWP_E_IN_USE;
    for (sim_filter *o = g_sim.filters; o && !rc; o = o->next)
      if (o->hasProvider && guid_eq(&o->providerKey, key) && obj_visible(&o->st, s->id)) rc = FWP_E_IN_USE;
  }
  if (!rc && obj_delete(&p->st, s)) REMOVE_WHERE(g_sim.providers, sim_provider, provider_free, o == p);
  plat_mutex_unlock(g_sim.lock);
  return rc;
}

SIM_API DWORD SIM_WINAPI FwpmProviderGetByKey0(HANDLE engineHandle, const GUID *key, FWPM_PROVIDER0 **provider) {
  if (!provider) return FWP_E_NULL_POINTER;
  *provider = NULL;
  plat_mutex_lock(g_sim.lock);
  sim_session *s = NULL;
  uint32_t rc = begin_call(engineHandle, 0, &s);
  if (!rc && !key) rc = FWP_E_NULL_POINTER;
  sim_provider *p = rc ? NULL : provider_find(key, s->id);
  if (!rc && !p) rc = FWP_E_PROVIDER_NOT_FOUND;
  if (!rc) {
    arena *a = arena_new();
    if (!a) {
      rc = ERROR_NOT_ENOUGH_MEMORY;
    } else {
      FWPM_PROVIDER0 *o = arena_alloc(a, sizeof *o);
      o->providerKey = p->key;
      o->displayData.name = arena_u16(a, p->name);
      o->displayData.description = arena_u16(a, p->description);
      o->flags = p->flags;
      blob_export(a, &o->providerData, p->data, p->dataSize);
      o->serviceName = arena_u16(a, p->serviceName);
      *provider = o;
    }
  }
  plat_mutex_unlock(g_sim.lock);
  return rc;
}

/* ---- sublayers ---- */

uint32_t sublayer_add_locked(const FWPM_SUBLAYER0 *in, sim_session *s) {
  uint32_t sid = s ? s->id : 0;
  if (!in) return FWP_E_NULL_POINTER;
  if (!in->displayData.name) return FWP_E_NULL_DISPLAY_NAME;
  int persistent = (in->flags & FWPM_SUBLAYER_FLAG_PERSISTENT) != 0;
  if (persistent && s && s->dynamic) return FWP_E_DYNAMIC_SESSION_IN_PROGRESS;
  if (in->providerKey) {
    sim_provider *p = provider_find(in->providerKey, sid);
    if (!p) return FWP_E_PROVIDER_NOT_FOUND;
    if (persistent && !(p->flags & FWPM_PROVIDER_FLAG_PERSISTENT)) return FWP_E_LIFETIME_MISMATCH;
    if (p->st.owner && p->st.owner != sid) return FWP_E_LIFETIME_MISMATCH;
  }
  GUID key = guid_is_zero(&in->subLayerKey) ? guid_new() : in->subLayerKey;
  if (sublayer_find(&key, sid)) return FWP_E_ALREADY_EXISTS;
  sim_sublayer *o = calloc(1, sizeof *o);
  if (!o) return ERROR_NOT_ENOUGH_MEMORY;
  obj_init_public(&o->st, s);
  o->key = key;
  o->name = u16_dup(in->displayData.name);
  o->description = u16_dup(in->displayData.description);
  o->flags = in->flags;
  if (in->providerKey) {
    o->hasProvider = 1;
    o->providerKey = *in->providerKey;
  }
  o->data = blob_dup(&in->providerData, &o->dataSize);
  o->weight = in->weight;
  o->next = g_sim.sublayers;
  g_sim.sublayers = o;
  return 0;
}

SIM_API DWORD SIM_WINAPI FwpmSubLayerAdd0(HANDLE engineHandle, const FWPM_SUBLAYER0 *subLayer, void *sd) {
  (void)sd;
  plat_mutex_lock(g_sim.lock);
  sim_session *s = NULL;
  uint32_t rc = begin_call(engineHandle, 1, &s);
  if (!rc) rc = sublayer_add_locked(subLayer, s);
  plat_mutex_unlock(g_sim.lock);
  return rc;
}

SIM_API DWORD SIM_WINAPI FwpmSubLayerDeleteByKey0(HANDLE engineHandle, const GUID *key) {
  plat_mutex_lock(g_sim.lock);
  sim_session *s = NULL;
  uint32_t rc = begin_call(engineHandle, 1, &s);
  if (!rc && !key) rc = FWP_E_NULL_POINTER;
  sim_sublayer *sl = rc ? NULL : sublayer_find(key, s->id);
  if (!rc && !sl) rc = FWP_E_SUBLAYER_NOT_FOUND;
  for (sim_filter *o = g_sim.filters; o && !rc; o = o->next)
    if (guid_eq(&o->subLayerKey, key) && obj_visible(&o->st, s->id)) rc = FWP_E_IN_USE;
  if (!rc && obj_delete(&sl->st, s)) REMOVE_WHERE(g_sim.sublayers, sim_sublayer, sublayer_free, o == sl);
  plat_mutex_unlock(g_sim.lock);
  return rc;
}

SIM_API DWORD SIM_WINAPI FwpmSubLayerGetByKey0(HANDLE engineHandle, const GUID *key, FWPM_SUBLAYER0 **subLayer) {
  if (!subLayer) return FWP_E_NULL_POINTER;
  *subLayer = NULL;
  plat_mutex_lock(g_sim.lock);
  sim_session *s = NULL;
  uint32_t rc = begin_call(engineHandle, 0, &s);
  if (!rc && !key) rc = FWP_E_NULL_POINTER;
  sim_sublayer *sl = rc ? NULL : sublayer_find(key, s->id);
  if (!rc && !sl) rc = FWP_E_SUBLAYER_NOT_FOUND;
  if (!rc) {
    arena *a = arena_new();
    if (!a) {
      rc = ERROR_NOT_ENOUGH_MEMORY;
    } else {
      FWPM_SUBLAYER0 *o = arena_alloc(a, sizeof *o);
      o->subLayerKey = sl->key;
      o->displayData.name = arena_u16(a, sl->name);
      o->displayData.description = arena_u16(a, sl->description);
      o->flags = sl->flags;
      if (sl->hasProvider) {
        o->providerKey = arena_alloc(a, sizeof(GUID));
        *o->providerKey = sl->providerKey;
      }
      blob_export(a, &o->providerData, sl->data, sl->dataSize);
      o->weight = sl->weight;
      *subLayer = o;
    }
  }
  plat_mutex_unlock(g_sim.lock);
  return rc;
}
