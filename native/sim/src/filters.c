/* Filters: add (with WFP's validation), delete, get by id, and enumeration. */
#include <stdlib.h>
#include <string.h>

#include "sim.h"

sim_filter *filter_find_id(uint64_t id, uint32_t sessionId) {
  for (sim_filter *f = g_sim.filters; f; f = f->next)
    if (f->id == id && obj_visible(&f->st, sessionId)) return f;
  return NULL;
}

static sim_filter *filter_find_key(const GUID *key, uint32_t sessionId) {
  for (sim_filter *f = g_sim.filters; f; f = f->next)
    if (guid_eq(&f->key, key) && obj_visible(&f->st, sessionId)) return f;
  return NULL;
}

static const GUID *default_sublayer(void) {
  static GUID universal;
  static int ready;
  if (!ready) {
    universal = guid_parse("eebecc03-ced4-4380-819a-2734397b2b74"); /* FWPM_SUBLAYER_UNIVERSAL */
    ready = 1;
  }
  return &universal;
}

static uint32_t check_lifetime(int persistent, const obj_state *ref, uint32_t refFlags, uint32_t persistentFlag,
                               uint32_t sid) {
  if (persistent && !(refFlags & persistentFlag)) return FWP_E_LIFETIME_MISMATCH;
  if (ref->owner && ref->owner != sid) return FWP_E_LIFETIME_MISMATCH;
  return 0;
}

uint32_t filter_add_locked(const FWPM_FILTER0 *in, sim_session *s, uint64_t *id) {
  uint32_t sid = s ? s->id : 0;
  if (!in) return FWP_E_NULL_POINTER;
  if (!in->displayData.name) return FWP_E_NULL_DISPLAY_NAME;
  int persistent = (in->flags & FWPM_FILTER_FLAG_PERSISTENT) != 0;
  if (persistent && (in->flags & FWPM_FILTER_FLAG_BOOTTIME)) return FWP_E_INVALID_FLAGS;
  if (persistent && s && s->dynamic) return FWP_E_DYNAMIC_SESSION_IN_PROGRESS;
  int v6 = 0;
  uint16_t layerId = layer_info(&in->layerKey, &v6, NULL);
  if (!layerId) return FWP_E_LAYER_NOT_FOUND;

  const GUID *subKey = guid_is_zero(&in->subLayerKey) ? default_sublayer() : &in->subLayerKey;
  sim_sublayer *sl = sublayer_find(subKey, sid);
  if (!sl) return FWP_E_SUBLAYER_NOT_FOUND;
  uint32_t rc = check_lifetime(persistent, &sl->st, sl->flags, FWPM_SUBLAYER_FLAG_PERSISTENT, sid);
  if (rc) return rc;
  if (in->providerKey) {
    sim_provider *p = provider_find(in->providerKey, sid);
    if (!p) return FWP_E_PROVIDER_NOT_FOUND;
    rc = check_lifetime(persistent, &p->st, p->flags, FWPM_PROVIDER_FLAG_PERSISTENT, sid);
    if (rc) return rc;
  }

  switch (in->action.type) {
  case FWP_ACTION_BLOCK:
  case FWP_ACTION_PERMIT:
    break;
  case FWP_ACTION_CALLOUT_TERMINATING:
  case FWP_ACTION_CALLOUT_INSPECTION:
  case FWP_ACTION_CALLOUT_UNKNOWN:
    return FWP_E_CALLOUT_NOT_FOUND; /* no callout drivers here */
  default:
    return FWP_E_INVALID_ACTION_TYPE;
  }

  uint64_t weight = 0;
  switch (in->weight.type) {
  case FWP_EMPTY: break;
  case FWP_UINT8:
    if (in->weight.uint8 > 15) return FWP_E_INVALID_WEIGHT;
    weight = in->weight.uint8;
    break;
  case FWP_UINT64:
    if (!in->weight.uint64) return FWP_E_NULL_POINTER;
    weight = *in->weight.uint64;
    break;
  default:
    return FWP_E_INVALID_WEIGHT;
  }

  if (in->numFilterConditions && !in->filterCondition) return FWP_E_NULL_POINTER;
  /* Only a key the caller chose can clash; a fresh random one cannot, and looking it up walked every filter, so
     that adding N filters cost N^2 (20,000 rules took minutes). */
  int chosen = !guid_is_zero(&in->filterKey);
  GUID key = chosen ? in->filterKey : guid_new();
  if (chosen && filter_find_key(&key, sid)) return FWP_E_ALREADY_EXISTS;

  sim_filter *f = calloc(1, sizeof *f);
  if (!f) return ERROR_NOT_ENOUGH_MEMORY;
  if (in->numFilterConditions) {
    f->conds = calloc(in->numFilterConditions, sizeof *f->conds);
    if (!f->conds) {
      free(f);
      return ERROR_NOT_ENOUGH_MEMORY;
    }
  }
  for (uint32_t i = 0; i < in->numFilterConditions; i++) {
    rc = cond_import(&in->filterCondition[i], v6, &f->conds[i]);
    f->numConds = i + 1; /* so filter_free releases what was imported so far */
    if (rc) {
      filter_free(f);
      return rc;
    }
  }
  obj_init_public(&f->st, s);
  f->key = key;
  f->name = u16_dup(in->displayData.name);
  f->description = u16_dup(in->displayData.description);
  f->flags = in->flags;
  if (in->providerKey) {
    f->hasProvider = 1;
    f->providerKey = *in->providerKey;
  }
  f->data = blob_dup(&in->providerData, &f->dataSize);
  f->layerKey = in->layerKey;
  f->subLayerKey = *subKey;
  f->weightType = in->weight.type;
  f->weightValue = weight;
  /* Explicit UINT64 weights are used as given; otherwise WFP fills the low bits itself, more
     conditions (more specific) first, and a UINT8 weight picks the top 4 bits. */
  uint64_t automatic = (uint64_t)f->numConds << 32;
  f->effectiveWeight = in->weight.type == FWP_UINT64 ? weight
                       : in->weight.type == FWP_UINT8 ? (weight << 60) | automatic
                                                       : automatic;
  f->actionType = in->action.type;
  f->actionGuid = in->action.filterType;
  memcpy(f->context, &in->providerContextKey, sizeof f->context);
  f->id = g_sim.nextFilterId++;
  f->layerId = layerId;
  f->next = g_sim.filters;
  g_sim.filters = f;
  if (id) *id = f->id;
  return 0;
}

SIM_API DWORD SIM_WINAPI FwpmFilterAdd0(HANDLE engineHandle, const FWPM_FILTER0 *filter, void *sd, UINT64 *id) {
  (void)sd;
  plat_mutex_lock(g_sim.lock);
  sim_session *s = NULL;
  uint32_t rc = begin_call(engineHandle, 1, &s);
  if (!rc) rc = filter_add_locked(filter, s, id);
  plat_mutex_unlock(g_sim.lock);
  return rc;
}

static uint32_t filter_delete_locked(sim_filter *f, sim_session *s) {
  if (!s->inTxn || f->st.pendAdd == s->id) {
    sim_filter **pp = &g_sim.filters;
    while (*pp != f) pp = &(*pp)->next;
    *pp = f->next;
    filter_free(f);
  } else {
    f->st.pendDel = s->id;
  }
  return 0;
}

SIM_API DWORD SIM_WINAPI FwpmFilterDeleteById0(HANDLE engineHandle, UINT64 id) {
  plat_mutex_lock(g_sim.lock);
  sim_session *s = NULL;
  uint32_t rc = begin_call(engineHandle, 1, &s);
  sim_filter *f = rc ? NULL : filter_find_id(id, s->id);
  if (!rc && !f) rc = FWP_E_FILTER_NOT_FOUND;
  if (!rc) rc = filter_delete_locked(f, s);
  plat_mutex_unlock(g_sim.lock);
  return rc;
}

SIM_API DWORD SIM_WINAPI FwpmFilterDeleteByKey0(HANDLE engineHandle, const GUID *key) {
  plat_mutex_lock(g_sim.lock);
  sim_session *s = NULL;
  uint32_t rc = begin_call(engineHandle, 1, &s);
  if (!rc && !key) rc = FWP_E_NULL_POINTER;
  sim_filter *f = rc ? NULL : filter_find_key(key, s->id);
  if (!rc && !f) rc = FWP_E_FILTER_NOT_FOUND;
  if (!rc) rc = filter_delete_locked(f, s);
  plat_mutex_unlock(g_sim.lock);
  return rc;
}

static void filter_export(arena *a, const sim_filter *f, FWPM_FILTER0 *o) {
  o->filterKey = f->key;
  o->displayData.name = arena_u16(a, f->name);
  o->displayData.description = arena_u16(a, f->description);
  o->flags = f->flags;
  if (f->hasProvider) {
    o->providerKey = arena_alloc(a, sizeof(GUID));
    *o->providerKey = f->providerKey;
  }
  blob_export(a, &o->providerData, f->data, f->dataSize);
  o->layerKey = f->layerKey;
  o->subLayerKey = f->subLayerKey;
  o->weight.type = f->weightType;
  if (f->weightType == FWP_UINT8) o->weight.uint8 = (uint8_t)f->weightValue;
  if (f->weightType == FWP_UINT64) {
    o->weight.uint64 = arena_alloc(a, sizeof(uint64_t));
    *o->weight.uint64 = f->weightValue;
  }
  o->numFilterConditions = f->numConds;
  if (f->numConds) {
    o->filterCondition = arena_alloc(a, f->numConds * sizeof(FWPM_FILTER_CONDITION0));
    for (uint32_t i = 0; i < f->numConds; i++) cond_export(a, &f->conds[i], &o->filterCondition[i]);
  }
  o->action.type = f->actionType;
  o->action.filterType = f->actionGuid;
  memcpy(&o->providerContextKey, f->context, sizeof f->context);
  o->reserved = NULL;
  o->filterId = f->id;
  o->effectiveWeight.type = FWP_UINT64;
  o->effectiveWeight.uint64 = arena_alloc(a, sizeof(uint64_t));
  *o->effectiveWeight.uint64 = f->effectiveWeight;
}

SIM_API DWORD SIM_WINAPI FwpmFilterGetById0(HANDLE engineHandle, UINT64 id, FWPM_FILTER0 **filter) {
  if (!filter) return FWP_E_NULL_POINTER;
  *filter = NULL;
  plat_mutex_lock(g_sim.lock);
  sim_session *s = NULL;
  uint32_t rc = begin_call(engineHandle, 0, &s);
  sim_filter *f = rc ? NULL : filter_find_id(id, s->id);
  if (!rc && !f) rc = FWP_E_FILTER_NOT_FOUND;
  if (!rc) {
    arena *a = arena_new();
    if (!a) {
      rc = ERROR_NOT_ENOUGH_MEMORY;
    } else {
      FWPM_FILTER0 *o = arena_alloc(a, sizeof *o);
      filter_export(a, f, o);
      *filter = o;
    }
  }
  plat_mutex_unlock(g_sim.lock);
  return rc;
}

/* ---- enumeration: a snapshot of matching ids taken when the handle is created ---- */

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

static int template_matches(const FWPM_FILTER_ENUM_TEMPLATE0 *t, const sim_filter *f) {
  if (!t) return 1;
  if (t->providerKey && !(f->hasProvider && guid_eq(&f->providerKey, t->providerKey))) return 0;
  if (!guid_is_zero(&t->layerKey) && !guid_eq(&t->layerKey, &f->layerKey)) return 0;
  if (t->actionMask != 0xFFFFFFFFu && !(f->actionType & t->actionMask)) return 0;
  return 1;
}

static sim_enum *enum_from_handle(HANDLE h, uint32_t sessionId) {
  uintptr_t v = (uintptr_t)h;
  if (v < ENUM_HANDLE_BASE || ((v - ENUM_HANDLE_BASE) & 0xF)) return NULL;
  uint32_t id = (uint32_t)((v - ENUM_HANDLE_BASE) >> 4);
  for (sim_enum *e = g_sim.enums; e; e = e->next)
    if (e->id == id && e->sessionId == sessionId) return e;
  return NULL;
}

SIM_API DWORD SIM_WINAPI FwpmFilterCreateEnumHandle0(HANDLE engineHandle, const FWPM_FILTER_ENUM_TEMPLATE0 *enumTemplate,
                                                    HANDLE *enumHandle) {
  if (!enumHandle) return FWP_E_NULL_POINTER;
  *enumHandle = NULL;
  plat_mutex_lock(g_sim.lock);
  sim_session *s = NULL;
  uint32_t rc = begin_call(engineHandle, 0, &s);
  if (!rc && enumTemplate && !guid_is_zero(&enumTemplate->layerKey) && !layer_info(&enumTemplate->layerKey, NULL, NULL))
    rc = FWP_E_LAYER_NOT_FOUND;
  sim_enum *e = NULL;
  if (!rc) {
    e = calloc(1, sizeof *e);
    uint32_t n = 0;
    for (sim_filter *f = g_sim.filters; f; f = f->next) n++;
    if (e && n) e->ids = malloc(n * sizeof *e->ids);
    if (!e || (n && !e->ids)) {
      free(e);
      rc = ERROR_NOT_ENOUGH_MEMORY;
    }
  }
  if (!rc) {
    for (sim_filter *f = g_sim.filters; f; f = f->next)
      if (obj_visible(&f->st, s->id) && template_matches(enumTemplate, f)) e->ids[e->count++] = f->id;
    if (e->count) qsort(e->ids, e->count, sizeof *e->ids, cmp_u64);
    e->id = ++g_sim.nextEnumId;
    e->sessionId = s->id;
    e->next = g_sim.enums;
    g_sim.enums = e;
    *enumHandle = (HANDLE)(uintptr_t)(ENUM_HANDLE_BASE + ((uintptr_t)e->id << 4));
  }
  plat_mutex_unlock(g_sim.lock);
  return rc;
}

SIM_API DWORD SIM_WINAPI FwpmFilterEnum0(HANDLE engineHandle, HANDLE enumHandle, UINT32 numEntriesRequested,
                                        FWPM_FILTER0 ***entries, UINT32 *numEntriesReturned) {
  if (!entries || !numEntriesReturned) return FWP_E_NULL_POINTER;
  *entries = NULL;
  *numEntriesReturned = 0;
  plat_mutex_lock(g_sim.lock);
  sim_session *s = NULL;
  uint32_t rc = begin_call(engineHandle, 0, &s);
  sim_enum *e = rc ? NULL : enum_from_handle(enumHandle, s->id);
  if (!rc && !e) rc = ERROR_INVALID_HANDLE;
  if (!rc && numEntriesRequested) {
    uint32_t want = numEntriesRequested;
    if (want > e->count - e->pos) want = e->count - e->pos;
    arena *a = want ? arena_new() : NULL;
    if (want && !a) rc = ERROR_NOT_ENOUGH_MEMORY;
    if (a) {
      FWPM_FILTER0 **list = arena_alloc(a, want * sizeof *list);
      uint32_t got = 0;
      while (got < want && e->pos < e->count) {
        sim_filter *f = filter_find_id(e->ids[e->pos++], s->id);
        if (!f) continue; /* deleted since the snapshot */
        list[got] = arena_alloc(a, sizeof(FWPM_FILTER0));
        filter_export(a, f, list[got]);
        got++;
      }
      if (got) {
        *entries = list;
        *numEntriesReturned = got;
      } else {
        arena_discard(a);
      }
    }
  }
  plat_mutex_unlock(g_sim.lock);
  return rc;
}

SIM_API DWORD SIM_WINAPI FwpmFilterDestroyEnumHandle0(HANDLE engineHandle, HANDLE enumHandle) {
  plat_mutex_lock(g_sim.lock);
  sim_session *s = NULL;
  uint32_t rc = begin_call(engineHandle, 0, &s);
  sim_enum *e = rc ? NULL : enum_from_handle(enumHandle, s->id);
  if (!rc && !e) rc = ERROR_INVALID_HANDLE;
  if (!rc) {
    sim_enum **pp = &g_sim.enums;
    while (*pp != e) pp = &(*pp)->next;
    *pp = e->next;
    free(e->ids);
    free(e);
  }
  plat_mutex_unlock(g_sim.lock);
  return rc;
}
