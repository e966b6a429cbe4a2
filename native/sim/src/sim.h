/* Internal state and helpers shared by the simulator's files. Nothing here is exported. */
#ifndef PORTCULLIS_SIM_INTERNAL_H
#define PORTCULLIS_SIM_INTERNAL_H

#include "platform.h"
#include "wfp_types.h"

/* ---- util.c ---- */
size_t u16_len(const char16_t *s);
char16_t *u16_dup(const char16_t *s); /* NULL stays NULL */
char16_t *u16_from_ascii(const char *s);
char16_t u16_lower(char16_t c);
int u16_ieq(const char16_t *a, const char16_t *b);
int guid_eq(const GUID *a, const GUID *b);
int guid_is_zero(const GUID *g);
GUID guid_new(void);
GUID guid_parse(const char *text); /* "c38d57d1-05a7-4c33-904f-7fbceee60e82"; no validation: literals only */
/* String SID ("S-1-5-80-...") to its binary form; returns bytes written (0: not a SID). out holds 68. */
uint32_t sid_from_string(const char16_t *s, uint8_t out[68]);
/* "192.0.2.1" (v4, host order into *v4) or "2001:db8::1" (v6, network order); optional "%scope".
   Returns 4, 6 or 0 (not an address). */
int addr_parse(const char *s, uint32_t *v4, uint8_t v6[16], uint32_t *scope);

/* ---- arena.c: memory handed to the caller and released by FwpmFreeMemory0 ---- */
typedef struct arena arena;
arena *arena_new(void);
void *arena_root(arena *a);     /* the pointer the caller receives (first allocation) */
void *arena_alloc(arena *a, size_t n); /* zeroed, 16-aligned, never moves */
char16_t *arena_u16(arena *a, const char16_t *s);
void arena_discard(arena *a);
int arena_free_root(void *root); /* 0: not an arena root */

/* ---- objects ---- */
enum {
  CF_APP_ID = 1,
  CF_PROTOCOL,
  CF_REMOTE_PORT,
  CF_REMOTE_ADDRESS,
  CF_USER_ID,
  CF_PACKAGE_ID,
  CF_LOCAL_PORT,
  CF_LOCAL_ADDRESS,
  CF_FLAGS,
  CF_LAST = CF_FLAGS
};

typedef struct sim_cond {
  int field;
  uint32_t match;
  uint32_t type;     /* FWP_DATA_TYPE of the value as given */
  uint32_t rangeType; /* for FWP_RANGE_TYPE: type of low/high */
  uint64_t lo, hi;   /* integers and IPv4 (host order): [lo, hi] */
  uint8_t addr6[16];
  uint8_t prefix;    /* v6 prefix length, or v4 mask bits */
  uint32_t mask4;
  uint32_t blobSize;
  uint8_t *blob;     /* app id, security descriptor (self-relative) or SID bytes */
} sim_cond;

typedef struct obj_state {
  uint32_t owner;   /* dynamic session that created it (vanishes with it), 0 otherwise */
  uint32_t pendAdd; /* session whose open transaction added it (invisible to others) */
  uint32_t pendDel; /* session whose open transaction deleted it (invisible to that session only) */
} obj_state;

typedef struct sim_provider {
  struct sim_provider *next;
  obj_state st;
  GUID key;
  char16_t *name, *description, *serviceName;
  uint32_t flags;
  uint32_t dataSize;
  uint8_t *data;
} sim_provider;

typedef struct sim_sublayer {
  struct sim_sublayer *next;
  obj_state st;
  GUID key;
  char16_t *name, *description;
  uint32_t flags;
  int hasProvider;
  GUID providerKey;
  uint32_t dataSize;
  uint8_t *data;
  uint16_t weight;
} sim_sublayer;

typedef struct sim_filter {
  struct sim_filter *next;
  obj_state st;
  GUID key;
  char16_t *name, *description;
  uint32_t flags;
  int hasProvider;
  GUID providerKey;
  uint32_t dataSize;
  uint8_t *data;
  GUID layerKey, subLayerKey;
  uint32_t weightType; /* FWP_EMPTY, FWP_UINT8 or FWP_UINT64 as given */
  uint64_t weightValue;
  uint64_t effectiveWeight;
  uint32_t numConds;
  sim_cond *conds;
  uint32_t actionType;
  GUID actionGuid;
  uint8_t context[16]; /* rawContext / providerContextKey, as given */
  uint64_t id;
  uint16_t layerId;
} sim_filter;

typedef struct sim_session {
  struct sim_session *next;
  uint32_t id;
  int dynamic;
  uint32_t txnTimeoutMs;
  int inTxn;
  int stale; /* opened before the engine restarted (sim_restart_engine): every call fails as over a broken RPC link */
  char16_t *name;
} sim_session;

typedef struct sim_enum {
  struct sim_enum *next;
  uint32_t id, sessionId;
  uint64_t *ids;
  uint32_t count, pos;
} sim_enum;

typedef struct sim_state {
  plat_mutex *lock;
  plat_cond *txnFree;
  sim_session *sessions;
  sim_provider *providers;
  sim_sublayer *sublayers;
  sim_filter *filters;
  sim_enum *enums;
  uint32_t nextSessionId, nextEnumId, txnOwner;
  uint64_t nextFilterId;
  uint32_t options[FWPM_ENGINE_OPTION_MAX];
  int elevated;
  uint32_t bfeUnavailable;
} sim_state;

extern sim_state g_sim;
void sim_init_once(void); /* creates locks; safe to call from every entry point */

/* ---- state.c: PORTCULLIS_SIM_STATE, one engine state shared by processes (all with g_sim.lock held) ---- */
void state_init_locked(void);
int state_enabled(void);
/* Before a call that takes an engine handle: reload what others wrote; a write outside a transaction takes the lock. */
uint32_t state_before_call_locked(const sim_session *s, int writes);
uint32_t state_txn_begin_locked(const sim_session *s);
void state_txn_end_locked(int commit);
void state_begin_flag(int on);
void state_publish_locked(void);
void state_refresh_locked(void);

/* ---- control.c: failures a test asked for (sim_fail_next_call) ---- */
/* The code the next call of `function` must fail with, or 0; counts the failure down. */
uint32_t sim_fault(const char *function);

/* ---- layers.c: the ALE layers, their GUIDs (SDK) and runtime ids (not the FWPS_* constants) ---- */
enum {
  LK_AUTH_CONNECT, LK_AUTH_RECV_ACCEPT, LK_AUTH_LISTEN, LK_FLOW_ESTABLISHED, LK_RESOURCE_ASSIGNMENT,
  LK_RESOURCE_RELEASE, LK_ENDPOINT_CLOSURE, LK_CONNECT_REDIRECT, LK_BIND_REDIRECT, LK_COUNT
};
/* The runtime id of an ALE layer (kind LK_*, IPv4 or IPv6) on this simulated machine. */
uint16_t layer_id_of(int kind, int v6);
/* The runtime id of the layer an FWPS_LAYER_* constant of classify.c stands for; 0 when unknown. */
uint16_t layer_runtime_id(uint16_t fwpsLayer);

/* ---- engine.c ---- */
#define SESSION_HANDLE_BASE 0x5E550000u
#define ENUM_HANDLE_BASE 0x5E5E0000u
#define SUB_HANDLE_BASE 0x5E5B0000u
/* Looks the engine handle up with the lock held; NULL: invalid. */
sim_session *session_from_handle(HANDLE h);
/* With the lock held: checks elevation and the handle, and waits while another session's transaction
   holds the write lock. Returns 0 and *out, or an error code. */
uint32_t begin_call(HANDLE engine, int writes, sim_session **out);
int obj_visible(const obj_state *st, uint32_t sessionId);
void obj_init_public(obj_state *st, const sim_session *s);
void objects_remove_owned(uint32_t sessionId);
void objects_txn_end(uint32_t sessionId, int commit);
void objects_clear_all(void);

/* ---- objects ---- */
uint8_t *blob_dup(const FWP_BYTE_BLOB *b, uint32_t *size);
void blob_export(arena *a, FWP_BYTE_BLOB *out, const uint8_t *data, uint32_t size);
sim_provider *provider_find(const GUID *key, uint32_t sessionId);
sim_sublayer *sublayer_find(const GUID *key, uint32_t sessionId);
sim_filter *filter_find_id(uint64_t id, uint32_t sessionId);
void provider_free(sim_provider *p);
void sublayer_free(sim_sublayer *s);
void filter_free(sim_filter *f);
/* Adds without the API's checks' session context: used by the baseline. Lock held. */
uint32_t filter_add_locked(const FWPM_FILTER0 *filter, sim_session *session, uint64_t *id);
uint32_t provider_add_locked(const FWPM_PROVIDER0 *provider, sim_session *session);
uint32_t sublayer_add_locked(const FWPM_SUBLAYER0 *sublayer, sim_session *session);

/* ---- conditions.c ---- */
/* Known ALE layer: its runtime layer id and whether it is IPv6 / inbound; 0 when unknown. */
uint16_t layer_info(const GUID *layer, int *v6, int *inbound);
uint32_t cond_import(const FWPM_FILTER_CONDITION0 *in, int v6Layer, sim_cond *out);
void cond_export(arena *a, const sim_cond *in, FWPM_FILTER_CONDITION0 *out);
void cond_free(sim_cond *c);

typedef struct conn_ctx {
  int v6;
  int inbound;
  uint8_t protocol;
  uint16_t localPort, remotePort;
  int hasLocal, hasRemote;
  uint32_t local4, remote4;
  uint8_t local6[16], remote6[16];
  uint32_t scopeId;
  const uint8_t *appId; /* lower-case NT path with NUL */
  uint32_t appIdSize;
  const uint8_t *userSid, *packageSid; /* binary SIDs; NULL: not given */
  uint32_t userSidLen, packageSidLen;
  /* The token an ALE_USER_ID condition is checked against: the effective one (an impersonation token while the
     process impersonates), its user SID first, then its groups (service SIDs among them). n 0: userSid alone. */
  const uint8_t *const *tokenSids;
  const uint32_t *tokenSidLens;
  uint32_t tokenSidCount;
  uint32_t conditionFlags; /* FWP_CONDITION_FLAG_* (loopback) */
} conn_ctx;
int cond_match(const sim_cond *c, const conn_ctx *x);
int filter_matches(const sim_filter *f, const conn_ctx *x);

/* ---- security.c: bounds-checked SIDs and self-relative security descriptors ---- */
/* Length of the SID at p (8 + 4 * SubAuthorityCount) when it is one and fits in avail bytes; 0 otherwise. */
uint32_t sid_length(const uint8_t *p, uint32_t avail);
/* 0 when sd[0..size) is a well-formed self-relative descriptor, else FWP_E_INVALID_PARAMETER. */
uint32_t sd_validate(const uint8_t *sd, uint32_t size);
/* 1 when the descriptor's DACL grants `access` to the SID (see security.c for the rules). */
int sd_grants(const uint8_t *sd, uint32_t size, const uint8_t *sid, uint32_t sidLen, uint32_t access);
/* The same for a token of n SIDs (user first, then groups): the first ACE naming any of them decides. */
int sd_grants_token(const uint8_t *sd, uint32_t size, const uint8_t *const *sids, const uint32_t *lens, uint32_t n,
                    uint32_t access);

/* ---- paths.c ---- */
/* App id blob content for a DOS path: lower-case NT path with its NUL. Returns malloc'd bytes. */
uint8_t *app_id_for_path(const char16_t *dosPath, uint32_t *size);
int path_is_missing(const char16_t *dosPath);
void paths_reset(void);

/* ---- classify.c ---- */
typedef struct verdict {
  uint32_t action;
  uint64_t filterId;
  uint16_t layerId;
} verdict;
void classify_locked(const conn_ctx *x, verdict *out);

/* ---- events.c ---- */
typedef struct ev_rec ev_rec;
struct ev_rec {
  ev_rec *next;
  uint64_t seq;
  int classified; /* built from an attempt: flags trimmed to what each version can carry */
  uint32_t rawVersion; /* non-zero: raw bytes for FWPM_NET_EVENT<rawVersion> */
  uint32_t rawSize;
  uint8_t *raw;
  uint32_t type, flags;
  uint64_t timeStamp;
  uint32_t ipVersion;
  uint8_t ipProtocol;
  uint8_t localKind, remoteKind; /* 0 unset, 4 or 6 */
  uint32_t local4, remote4;
  uint8_t local6[16], remote6[16];
  uint16_t localPort, remotePort;
  uint32_t scopeId;
  uint8_t *appId;
  uint32_t appIdBytes, appIdDeclared;
  uint8_t userSid[68], packageSid[68];
  uint32_t userSidLen, packageSidLen;
  uint64_t filterId;
  uint16_t layerId;
  uint32_t msFwpDirection;
  int32_t isLoopback;
  uint32_t reauthReason;
};
/* Takes ownership of rec (and its appId/raw); copies it `count` times. Returns 0 or an error. */
uint32_t events_enqueue(ev_rec *rec, uint32_t count);
void events_unsubscribe_session(uint32_t sessionId);
/* The engine restarted: every subscription dies silently (its session is stale). */
void events_engine_restarted(void);
void events_reset(void);
void events_init(void);
void ev_rec_free(ev_rec *r);
void event_deliver(const ev_rec *r, uint32_t version, FWPM_NET_EVENT_CALLBACK cb, void *ctx);

/* ---- guard_slots.c ---- */
/* A copy of `size` bytes whose last byte is immediately followed by an inaccessible page. */
typedef struct guarded_blob {
  uint8_t *data;
  size_t size;
  int slot; /* -1: a mapping of its own */
} guarded_blob;
/* Returns g->data (NULL when out of memory); pair with guarded_release once the callback returned. */
uint8_t *guarded_copy(guarded_blob *g, const uint8_t *bytes, size_t size);
void guarded_release(guarded_blob *g);

/* ---- scenario.c ---- */
void scenario_autostart(void);
void scenario_init(void);

/* Classifies one attempt and queues its event(s); shared by sim_connect and the scenario player. */
uint32_t sim_attempt(const SIM_CONNECTION *c, uint32_t count, uint64_t *filterId);

#endif
