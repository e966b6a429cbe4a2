/* What a fresh Windows machine already has: Windows Defender Firewall's provider and sublayer with a few
   rules, and the universal sublayer that takes filters added without one. */
#include <stdlib.h>
#include <string.h>

#include "sim.h"

#define MPSSVC_WF_PROVIDER "decc16ca-3f33-4346-be1e-8fb4ae0f3d62" /* FWPM_PROVIDER_MPSSVC_WF */
#define MPSSVC_WF_SUBLAYER "b3cdd441-af90-41ba-a745-7c6008ff2301" /* FWPM_SUBLAYER_MPSSVC_WF */
#define UNIVERSAL_SUBLAYER "eebecc03-ced4-4380-819a-2734397b2b74" /* FWPM_SUBLAYER_UNIVERSAL */
#define LAYER_CONNECT_V4 "c38d57d1-05a7-4c33-904f-7fbceee60e82"
#define LAYER_CONNECT_V6 "4a72393b-319f-44bc-84c3-ba54dcb3b6b4"
#define LAYER_ACCEPT_V4 "e1cd9fe7-f4b5-4273-96c0-592e487b8650"
#define LAYER_ACCEPT_V6 "a3b42c97-9f04-4672-b87e-cee9c483257f"
#define COND_APP_ID "d78e1e87-8644-4ea5-9437-d809ecefc971"
#define COND_PROTOCOL "3971ef2b-623e-4f9a-8cb1-6e79b806b9a7"
#define COND_REMOTE_PORT "c35a604d-d22b-4e1a-91b4-68f674ee674b"

typedef struct baseline_rule {
  const char16_t *name;
  const char16_t *app;  /* NULL: every application */
  int inbound;
  uint32_t action;
  uint8_t weight;       /* FWP_UINT8 weight: blocks above allows above the default */
  uint8_t protocol;     /* 0: any */
  uint16_t portLow, portHigh; /* 0: any */
} baseline_rule;

static const baseline_rule RULES[] = {
    {u"Block Tool (outbound)", u"C:\\Apps\\tool.exe", 0, FWP_ACTION_BLOCK, 12, 0, 0, 0},
    {u"Block netprobe (outbound)", u"C:\\Users\\alex\\AppData\\Local\\Temp\\netprobe.exe", 0, FWP_ACTION_BLOCK, 12, 0,
     0, 0},
    {u"Contoso Telemetry: block HTTPS", u"C:\\Program Files\\Contoso\\Telemetry\\telemetry-agent.exe", 0,
     FWP_ACTION_BLOCK, 12, 6, 443, 443},
    {u"Contoso Browser (TCP-Out)", u"C:\\Program Files\\Contoso Browser\\browser.exe", 0, FWP_ACTION_PERMIT, 10, 6, 0,
     0},
    {u"Tailspin Games Launcher (UDP-In)", u"C:\\Program Files (x86)\\Tailspin Games\\Launcher\\launcher.exe", 1,
     FWP_ACTION_PERMIT, 10, 17, 27000, 27100},
    {u"Query User Default: block unsolicited inbound", NULL, 1, FWP_ACTION_BLOCK, 0, 0, 0, 0},
};

static void add_rule(const baseline_rule *r, const GUID *provider, const GUID *sublayer, int v6) {
  FWPM_FILTER_CONDITION0 conds[3];
  FWP_BYTE_BLOB app;
  FWP_RANGE0 range;
  uint32_t n = 0;
  uint8_t *appId = NULL;
  memset(conds, 0, sizeof conds);
  if (r->app) {
    uint32_t size = 0;
    appId = app_id_for_path(r->app, &size);
    if (!appId) return;
    app.size = size;
    app.data = appId;
    conds[n].fieldKey = guid_parse(COND_APP_ID);
    conds[n].conditionValue.type = FWP_BYTE_BLOB_TYPE;
    conds[n].conditionValue.byteBlob = &app;
    n++;
  }
  if (r->protocol) {
    conds[n].fieldKey = guid_parse(COND_PROTOCOL);
    conds[n].conditionValue.type = FWP_UINT8;
    conds[n].conditionValue.uint8 = r->protocol;
    n++;
  }
  if (r->portLow) {
    conds[n].fieldKey = guid_parse(COND_REMOTE_PORT);
    if (r->portLow == r->portHigh) {
      conds[n].conditionValue.type = FWP_UINT16;
      conds[n].conditionValue.uint16 = r->portLow;
    } else {
      conds[n].matchType = FWP_MATCH_RANGE;
      range.valueLow.type = range.valueHigh.type = FWP_UINT16;
      range.valueLow.uint16 = r->portLow;
      range.valueHigh.uint16 = r->portHigh;
      conds[n].conditionValue.type = FWP_RANGE_TYPE;
      conds[n].conditionValue.rangeValue = &range;
    }
    n++;
  }
  FWPM_FILTER0 f;
  memset(&f, 0, sizeof f);
  f.displayData.name = (WCHAR *)r->name;
  f.displayData.description = (WCHAR *)u"Windows Defender Firewall rule";
  f.flags = FWPM_FILTER_FLAG_PERSISTENT;
  f.providerKey = (GUID *)provider;
  f.layerKey = guid_parse(r->inbound ? (v6 ? LAYER_ACCEPT_V6 : LAYER_ACCEPT_V4) : (v6 ? LAYER_CONNECT_V6 : LAYER_CONNECT_V4));
  f.subLayerKey = *sublayer;
  f.weight.type = FWP_UINT8;
  f.weight.uint8 = r->weight;
  f.numFilterConditions = n;
  f.filterCondition = n ? conds : NULL;
  f.action.type = r->action;
  plat_mutex_lock(g_sim.lock);
  filter_add_locked(&f, NULL, NULL);
  plat_mutex_unlock(g_sim.lock);
  free(appId);
}

/* Called without the state lock: building app ids takes it. */
void baseline_install(void) {
  GUID provider = guid_parse(MPSSVC_WF_PROVIDER), sublayer = guid_parse(MPSSVC_WF_SUBLAYER);
  GUID universal = guid_parse(UNIVERSAL_SUBLAYER);

  FWPM_PROVIDER0 p;
  memset(&p, 0, sizeof p);
  p.providerKey = provider;
  p.displayData.name = (WCHAR *)u"Microsoft Windows WFP Built-in MPSSVC provider";
  p.displayData.description = (WCHAR *)u"Windows Defender Firewall";
  p.flags = FWPM_PROVIDER_FLAG_PERSISTENT;
  p.serviceName = (WCHAR *)u"mpssvc";

  FWPM_SUBLAYER0 s;
  memset(&s, 0, sizeof s);
  s.subLayerKey = sublayer;
  s.displayData.name = (WCHAR *)u"Microsoft Windows WFP Built-in MPSSVC WF sublayer";
  s.displayData.description = (WCHAR *)u"Windows Defender Firewall rules";
  s.flags = FWPM_SUBLAYER_FLAG_PERSISTENT;
  s.providerKey = &provider;
  s.weight = 0x8000;

  FWPM_SUBLAYER0 u;
  memset(&u, 0, sizeof u);
  u.subLayerKey = universal;
  u.displayData.name = (WCHAR *)u"Universal sublayer";
  u.displayData.description = (WCHAR *)u"Filters added without a sublayer";
  u.flags = FWPM_SUBLAYER_FLAG_PERSISTENT;
  u.weight = 0x4000;

  plat_mutex_lock(g_sim.lock);
  provider_add_locked(&p, NULL);
  sublayer_add_locked(&s, NULL);
  sublayer_add_locked(&u, NULL);
  plat_mutex_unlock(g_sim.lock);

  for (size_t i = 0; i < sizeof RULES / sizeof *RULES; i++) {
    for (int v6 = 0; v6 < 2; v6++) add_rule(&RULES[i], &provider, &sublayer, v6);
  }
}
