/* The ALE layers: their keys (FWPM_LAYER_* GUIDs, as the Windows SDK's fwpmu.h defines them, checked against
   windows-sys' Win32::NetworkManagement::WindowsFilteringPlatform), and the runtime layer ids net events carry.
   Runtime ids are what the kernel numbers its layers on one machine; they are not constants a client may compile
   in (a client maps them back with FwpmLayerGetById0, as simplewall's log.c does). Here they are drawn at load time
   from a range no FWPS_LAYER_* constant uses, so code that compares them with constants fails here as it would on
   another Windows build. */
#include <string.h>

#include "sim.h"

typedef struct layer_def {
  const char *key;
  const char16_t *name;
} layer_def;

/* [kind][v6] */
static const layer_def LAYERS[LK_COUNT][2] = {
  [LK_AUTH_CONNECT] = {{"c38d57d1-05a7-4c33-904f-7fbceee60e82", u"ALE Connect v4 Layer"},
                       {"4a72393b-319f-44bc-84c3-ba54dcb3b6b4", u"ALE Connect v6 Layer"}},
  [LK_AUTH_RECV_ACCEPT] = {{"e1cd9fe7-f4b5-4273-96c0-592e487b8650", u"ALE Receive/Accept v4 Layer"},
                           {"a3b42c97-9f04-4672-b87e-cee9c483257f", u"ALE Receive/Accept v6 Layer"}},
  [LK_AUTH_LISTEN] = {{"88bb5dad-76d7-4227-9c71-df0a3ed7be7e", u"ALE Listen v4 Layer"},
                      {"7ac9de24-17dd-4814-b4bd-a9fbc95a321b", u"ALE Listen v6 Layer"}},
  [LK_FLOW_ESTABLISHED] = {{"af80470a-5596-4c13-9992-539e6fe57967", u"ALE Flow Established v4 Layer"},
                           {"7021d2b3-dfa4-406e-afeb-6afaf7e70efd", u"ALE Flow Established v6 Layer"}},
  [LK_RESOURCE_ASSIGNMENT] = {{"1247d66d-0b60-4a15-8d44-7155d0f53a0c", u"ALE Resource Assignment v4 Layer"},
                              {"55a650e1-5f0a-4eca-a653-88f53b26aa8c", u"ALE Resource Assignment v6 Layer"}},
  [LK_RESOURCE_RELEASE] = {{"74365cce-ccb0-401a-bfc1-b89934ad7e15", u"ALE Resource Release v4 Layer"},
                           {"f4e5ce80-edcc-4e13-8a2f-b91454bb057b", u"ALE Resource Release v6 Layer"}},
  [LK_ENDPOINT_CLOSURE] = {{"b4766427-e2a2-467a-bd7e-dbcd1bd85a09", u"ALE Endpoint Closure v4 Layer"},
                           {"bb536ccd-4755-4ba9-9ff7-f9edf8699c7b", u"ALE Endpoint Closure v6 Layer"}},
  [LK_CONNECT_REDIRECT] = {{"c6e63c8c-b784-4562-aa7d-0a67cfcaf9a3", u"ALE Connect Redirect v4 Layer"},
                           {"587e54a7-8046-42ba-a0aa-b716250fc7fd", u"ALE Connect Redirect v6 Layer"}},
  [LK_BIND_REDIRECT] = {{"66978cad-c704-42ac-86ac-7c1a231bd253", u"ALE Bind Redirect v4 Layer"},
                        {"bef02c9c-606b-4536-8c26-1c2fc7b631d4", u"ALE Bind Redirect v6 Layer"}},
};

static GUID g_keys[LK_COUNT][2];
static uint16_t g_ids[LK_COUNT][2];

static void layers_init(void) {
  static int ready;
  if (ready) return;
  /* FWPS_BUILTIN_LAYERS has fewer than 100 members in every SDK so far; start well above, at a random place. */
  uint16_t base = (uint16_t)(300 + plat_entropy() % 3000);
  for (int k = 0; k < LK_COUNT; k++)
    for (int v = 0; v < 2; v++) {
      g_keys[k][v] = guid_parse(LAYERS[k][v].key);
      g_ids[k][v] = (uint16_t)(base + 7 * (2 * k + v) + 3); /* not consecutive either */
    }
  ready = 1;
}

uint16_t layer_id_of(int kind, int v6) {
  layers_init();
  if (kind < 0 || kind >= LK_COUNT) return 0;
  return g_ids[kind][v6 ? 1 : 0];
}

uint16_t layer_runtime_id(uint16_t fwpsLayer) {
  switch (fwpsLayer) {
  case FWPS_LAYER_ALE_AUTH_CONNECT_V4: return layer_id_of(LK_AUTH_CONNECT, 0);
  case FWPS_LAYER_ALE_AUTH_CONNECT_V6: return layer_id_of(LK_AUTH_CONNECT, 1);
  case FWPS_LAYER_ALE_AUTH_RECV_ACCEPT_V4: return layer_id_of(LK_AUTH_RECV_ACCEPT, 0);
  case FWPS_LAYER_ALE_AUTH_RECV_ACCEPT_V6: return layer_id_of(LK_AUTH_RECV_ACCEPT, 1);
  default: return 0;
  }
}

static DWORD layer_export(int k, int v, FWPM_LAYER0 **layer) {
  arena *a = arena_new();
  if (!a) return ERROR_NOT_ENOUGH_MEMORY;
  FWPM_LAYER0 *out = arena_alloc(a, sizeof *out);
  out->layerKey = g_keys[k][v];
  out->displayData.name = arena_u16(a, LAYERS[k][v].name);
  out->layerId = g_ids[k][v];
  *layer = out;
  return 0;
}

static DWORD layer_get(HANDLE engineHandle, const GUID *key, uint32_t id, FWPM_LAYER0 **layer) {
  if (!layer) return FWP_E_NULL_POINTER;
  *layer = NULL;
  layers_init();
  plat_mutex_lock(g_sim.lock);
  sim_session *s = NULL;
  uint32_t rc = begin_call(engineHandle, 0, &s);
  plat_mutex_unlock(g_sim.lock);
  if (rc) return rc;
  for (int k = 0; k < LK_COUNT; k++)
    for (int v = 0; v < 2; v++)
      if (key ? guid_eq(key, &g_keys[k][v]) : id == g_ids[k][v]) return layer_export(k, v, layer);
  return FWP_E_LAYER_NOT_FOUND;
}

SIM_API DWORD SIM_WINAPI FwpmLayerGetById0(HANDLE engineHandle, UINT16 id, FWPM_LAYER0 **layer) {
  return layer_get(engineHandle, NULL, id, layer);
}

SIM_API DWORD SIM_WINAPI FwpmLayerGetByKey0(HANDLE engineHandle, const GUID *key, FWPM_LAYER0 **layer) {
  if (!key) return FWP_E_NULL_POINTER;
  return layer_get(engineHandle, key, 0, layer);
}
