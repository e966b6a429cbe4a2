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

/* ---- Windows' app isolation (AppContainer) ----
   Windows Defender Firewall's service hardening provider (FWPM_PROVIDER_MPSSVC_WSH) and sublayer
   (FWPM_SUBLAYER_MPSSVC_WSH) hold the network isolation of packaged apps: a "Block Outbound Default Rule" /
   "Block Inbound Default Rule" matching every package (FWPM_CONDITION_ALE_PACKAGE_ID not equal to S-1-0-0), and
   above it a permit per package for its capabilities ("InternetClient Default Rule"; `netsh wfp show filters`
   dumps in public threads show these names, provider, sublayer and the NOT_EQUAL S-1-0-0 condition), and a block
   of loopback for packages (loopback isolation: a packaged app reaches this computer only when exempted with
   CheckNetIsolation). The sublayer's weight is not documented; 0x8002 here is a guess. */
#define MPSSVC_WSH_PROVIDER "4b153735-1049-4480-aab4-d1b9bdc03710"
#define MPSSVC_WSH_SUBLAYER "b3cdd441-af90-41ba-a745-7c6008ff2300"
#define COND_PACKAGE_ID "71bc78fa-f17c-4997-a602-6abb261f351c"
#define COND_FLAGS "632ce23b-5167-435c-86d7-e903684aa80c"
#define COND_REMOTE_ADDRESS "b235ae9a-1d64-49b8-a44c-5ff3d9095045"

/* Packages with the internetClient capability: Contoso Weather and Contoso Photos. Contoso Notes
   (S-1-15-2-1001-2001-3001-4001-5001-6001-7001) declares none, so isolation blocks it. */
static const char16_t *const INTERNET_CLIENT_PACKAGES[] = {
    u"S-1-15-2-3251537155-1984446955-2931258699-841473695-1938553385-934012149-2713786562",
    u"S-1-15-2-1-2-3-4-5-6-7",
};

static void add_plain(const char16_t *name, const GUID *provider, const GUID *sublayer, const char *layer,
                      uint32_t action, uint32_t flags, uint8_t weight, FWPM_FILTER_CONDITION0 *conds, uint32_t n) {
  FWPM_FILTER0 f;
  memset(&f, 0, sizeof f);
  f.displayData.name = (WCHAR *)name;
  f.flags = flags;
  f.providerKey = (GUID *)provider;
  f.layerKey = guid_parse(layer);
  f.subLayerKey = *sublayer;
  f.weight.type = FWP_UINT8;
  f.weight.uint8 = weight;
  f.numFilterConditions = n;
  f.filterCondition = n ? conds : NULL;
  f.action.type = action;
  plat_mutex_lock(g_sim.lock);
  filter_add_locked(&f, NULL, NULL);
  plat_mutex_unlock(g_sim.lock);
}

static void package_condition(FWPM_FILTER_CONDITION0 *c, uint32_t match, uint8_t sid[68]) {
  memset(c, 0, sizeof *c);
  c->fieldKey = guid_parse(COND_PACKAGE_ID);
  c->matchType = match;
  c->conditionValue.type = FWP_SID;
  c->conditionValue.sid = (SID *)sid;
}

static void loopback_condition(FWPM_FILTER_CONDITION0 *c) {
  memset(c, 0, sizeof *c);
  c->fieldKey = guid_parse(COND_FLAGS);
  c->matchType = FWP_MATCH_FLAGS_ALL_SET;
  c->conditionValue.type = FWP_UINT32;
  c->conditionValue.uint32 = FWP_CONDITION_FLAG_IS_LOOPBACK;
}

static void app_isolation_install(void) {
  GUID provider = guid_parse(MPSSVC_WSH_PROVIDER), sublayer = guid_parse(MPSSVC_WSH_SUBLAYER);
  FWPM_PROVIDER0 p;
  memset(&p, 0, sizeof p);
  p.providerKey = provider;
  p.displayData.name = (WCHAR *)u"Microsoft Windows WFP Built-in MPSSVC WSH provider";
  p.flags = FWPM_PROVIDER_FLAG_PERSISTENT;
  p.serviceName = (WCHAR *)u"mpssvc";
  FWPM_SUBLAYER0 s;
  memset(&s, 0, sizeof s);
  s.subLayerKey = sublayer;
  s.displayData.name = (WCHAR *)u"Microsoft Windows WFP Built-in MPSSVC WSH sublayer";
  s.flags = FWPM_SUBLAYER_FLAG_PERSISTENT;
  s.providerKey = &provider;
  s.weight = 0x8002;
  plat_mutex_lock(g_sim.lock);
  provider_add_locked(&p, NULL);
  sublayer_add_locked(&s, NULL);
  plat_mutex_unlock(g_sim.lock);

  uint8_t nullSid[68];
  sid_from_string(u"S-1-0-0", nullSid);
  const char *connect[2] = {LAYER_CONNECT_V4, LAYER_CONNECT_V6}, *accept[2] = {LAYER_ACCEPT_V4, LAYER_ACCEPT_V6};
  for (int v6 = 0; v6 < 2; v6++) {
    FWPM_FILTER_CONDITION0 c[2];
    package_condition(&c[0], FWP_MATCH_NOT_EQUAL, nullSid);
    add_plain(u"Block Outbound Default Rule", &provider, &sublayer, connect[v6], FWP_ACTION_BLOCK,
              FWPM_FILTER_FLAG_PERSISTENT, 1, c, 1);
    add_plain(u"Block Inbound Default Rule", &provider, &sublayer, accept[v6], FWP_ACTION_BLOCK,
              FWPM_FILTER_FLAG_PERSISTENT, 1, c, 1);
    loopback_condition(&c[1]);
    add_plain(u"AppContainer Loopback", &provider, &sublayer, connect[v6], FWP_ACTION_BLOCK,
              FWPM_FILTER_FLAG_PERSISTENT, 12, c, 2);
    for (size_t i = 0; i < sizeof INTERNET_CLIENT_PACKAGES / sizeof *INTERNET_CLIENT_PACKAGES; i++) {
      uint8_t sid[68];
      sid_from_string(INTERNET_CLIENT_PACKAGES[i], sid);
      package_condition(&c[0], FWP_MATCH_EQUAL, sid);
      add_plain(u"InternetClient Default Rule", &provider, &sublayer, connect[v6], FWP_ACTION_PERMIT,
                FWPM_FILTER_FLAG_PERSISTENT, 8, c, 1);
    }
  }
}

/* ---- another product's VPN kill switch (sim_set_kill_switch) ----
   As wireguard-windows builds one (tunnel/firewall/blocker.go registerBaseObjects: own provider, sublayer weight
   ^uint16(0); rules.go: permitWireGuardService (hard), permitLoopback (FWPM_CONDITION_FLAGS), blockAll). */
#define KILL_SWITCH_PROVIDER "5a2f7e1c-0b4d-4e8a-9c61-7d3e2b1a0f11"
#define KILL_SWITCH_SUBLAYER "5a2f7e1c-0b4d-4e8a-9c61-7d3e2b1a0f12"

static void kill_switch_remove(void) {
  GUID provider = guid_parse(KILL_SWITCH_PROVIDER), sublayer = guid_parse(KILL_SWITCH_SUBLAYER);
  plat_mutex_lock(g_sim.lock);
  for (sim_filter **pp = &g_sim.filters; *pp;) {
    sim_filter *f = *pp;
    if (f->hasProvider && guid_eq(&f->providerKey, &provider)) {
      *pp = f->next;
      filter_free(f);
    } else {
      pp = &f->next;
    }
  }
  for (sim_sublayer **pp = &g_sim.sublayers; *pp;) {
    sim_sublayer *sl = *pp;
    if (guid_eq(&sl->key, &sublayer)) {
      *pp = sl->next;
      sublayer_free(sl);
    } else {
      pp = &sl->next;
    }
  }
  for (sim_provider **pp = &g_sim.providers; *pp;) {
    sim_provider *pr = *pp;
    if (guid_eq(&pr->key, &provider)) {
      *pp = pr->next;
      provider_free(pr);
    } else {
      pp = &pr->next;
    }
  }
  plat_mutex_unlock(g_sim.lock);
}

SIM_API uint32_t sim_set_kill_switch(int32_t on, int32_t hard) {
  sim_init_once();
  kill_switch_remove();
  if (!on) return 0;
  GUID provider = guid_parse(KILL_SWITCH_PROVIDER), sublayer = guid_parse(KILL_SWITCH_SUBLAYER);
  FWPM_PROVIDER0 p;
  memset(&p, 0, sizeof p);
  p.providerKey = provider;
  p.displayData.name = (WCHAR *)u"Contoso VPN";
  FWPM_SUBLAYER0 s;
  memset(&s, 0, sizeof s);
  s.subLayerKey = sublayer;
  s.displayData.name = (WCHAR *)u"Contoso VPN filters";
  s.providerKey = &provider;
  s.weight = 0xFFFF;
  plat_mutex_lock(g_sim.lock);
  provider_add_locked(&p, NULL);
  sublayer_add_locked(&s, NULL);
  plat_mutex_unlock(g_sim.lock);

  uint32_t size = 0;
  uint8_t *vpn = app_id_for_path(u"C:\\Program Files\\Contoso VPN\\vpn.exe", &size);
  if (!vpn) return ERROR_NOT_ENOUGH_MEMORY;
  FWP_BYTE_BLOB blob = {size, vpn};
  const char *layers[4] = {LAYER_CONNECT_V4, LAYER_ACCEPT_V4, LAYER_CONNECT_V6, LAYER_ACCEPT_V6};
  for (int i = 0; i < 4; i++) {
    FWPM_FILTER_CONDITION0 c;
    memset(&c, 0, sizeof c);
    c.fieldKey = guid_parse(COND_APP_ID);
    c.conditionValue.type = FWP_BYTE_BLOB_TYPE;
    c.conditionValue.byteBlob = &blob;
    add_plain(u"Permit unrestricted traffic for the VPN service", &provider, &sublayer, layers[i],
              FWP_ACTION_PERMIT, FWPM_FILTER_FLAG_CLEAR_ACTION_RIGHT, 15, &c, 1);
    loopback_condition(&c);
    add_plain(u"Permit loopback", &provider, &sublayer, layers[i], FWP_ACTION_PERMIT, 0, 13, &c, 1);
    if (i % 2 == 0 && i < 2) {
      memset(&c, 0, sizeof c);
      c.fieldKey = guid_parse(COND_REMOTE_ADDRESS);
      c.conditionValue.type = FWP_UINT32;
      c.conditionValue.uint32 = 0xC6336401u; /* 198.51.100.1, host order */
      add_plain(u"Permit the tunnel server", &provider, &sublayer, layers[i], FWP_ACTION_PERMIT, 0, 12, &c, 1);
    }
    add_plain(u"Block all", &provider, &sublayer, layers[i], FWP_ACTION_BLOCK,
              hard ? FWPM_FILTER_FLAG_CLEAR_ACTION_RIGHT : 0, 0, NULL, 0);
  }
  free(vpn);
  return 0;
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
  app_isolation_install();
}
