/*
 * The Security event log as far as Portcullis reads it: wevtapi's pull subscription (EvtSubscribe with a signal
 * event, EvtNext, EvtCreateRenderContext, EvtRender with EvtRenderEventValues, EvtClose) and the kernel32 event
 * objects it signals (CreateEventW, SetEvent, ResetEvent, WaitForSingleObject). Built on non-Windows platforms only;
 * sources in native/sim/FIDELITY.md ("Windows services behind svchost").
 *
 * The classifier calls audit_connection_blocked for every blocked attempt; while the "Filtering Platform
 * Connection" subcategory audits failures, that writes event 5157 ("The Windows Filtering Platform has blocked a
 * connection") with the fields of its manifest to each subscription whose query asks for it. Records become readable
 * sim_audit_set_delay ms after the attempt (the event log service writes them after the packet was dropped).
 */
#ifndef _WIN32
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_types.h"

#define ERROR_INVALID_HANDLE_CODE 6u
#define ERROR_ACCESS_DENIED_CODE 5u
#define ERROR_NOT_SUPPORTED_CODE 50u
#define ERROR_INVALID_PARAMETER_CODE 87u
#define ERROR_INSUFFICIENT_BUFFER_CODE 122u
#define ERROR_NO_MORE_ITEMS_CODE 259u
#define ERROR_EVT_INVALID_QUERY_CODE 15001u
#define ERROR_EVT_CHANNEL_NOT_FOUND_CODE 15007u
#define WAIT_OBJECT_0 0u
#define WAIT_TIMEOUT_CODE 0x102u
#define WAIT_FAILED_CODE 0xffffffffu
#define EVT_SUBSCRIBE_TO_FUTURE_EVENTS 1u
#define EVT_RENDER_CONTEXT_VALUES 0u
#define EVT_RENDER_EVENT_VALUES 0u
enum { EVT_VAR_NULL = 0, EVT_VAR_STRING = 1, EVT_VAR_UINT16 = 6, EVT_VAR_UINT32 = 8, EVT_VAR_UINT64 = 10,
       EVT_VAR_SIZET = 16, EVT_VAR_FILETIME = 17 };
enum { MAX_SUBS = 8, MAX_IDS = 8, QUEUE_CAP = 65536, MAX_PATHS = 32 };

#define KEVENT_MAGIC 0x4b455654u
#define SUB_MAGIC 0x45535542u
#define REC_MAGIC 0x45524543u
#define CTX_MAGIC 0x45435458u

typedef struct kevent {
  uint32_t magic;
  int manual, signaled;
} kevent;

typedef struct record {
  uint32_t magic;
  struct record *next;
  uint64_t visibleAt; /* monotonic ms */
  uint16_t eventId;
  uint64_t time; /* FILETIME */
  uint64_t pid, filterId, layerId;
  uint32_t protocol;
  char16_t application[260];
  char16_t direction[8], layerName[8];
  char16_t sourceAddress[48], sourcePort[8], destAddress[48], destPort[8];
} record;

typedef struct subscription {
  uint32_t magic;
  kevent *signal;
  uint16_t ids[MAX_IDS];
  int idCount; /* 0: every event */
  record *head, *tail;
  uint32_t queued, dropped;
} subscription;

/* Value paths a render context can name: fields of the record, in the manifest's names. */
enum { P_NONE, P_EVENT_ID, P_TIME, P_PID, P_APP, P_DIRECTION, P_SRC, P_SPORT, P_DST, P_DPORT, P_PROTOCOL,
       P_FILTER, P_LAYER_NAME, P_LAYER };
typedef struct render_ctx {
  uint32_t magic;
  uint32_t count;
  uint8_t paths[MAX_PATHS];
} render_ctx;

static plat_mutex *g_lock;
static plat_cond *g_cond;
static subscription *g_subs[MAX_SUBS];
static uint32_t g_delayMs;
static uint64_t g_written, g_openRecords;

__attribute__((constructor)) static void evt_init(void) {
  g_lock = plat_mutex_new();
  g_cond = plat_cond_new();
}

static void *fail_null(uint32_t code) {
  sim_set_last_error(code);
  return NULL;
}
static int32_t fail(uint32_t code) {
  sim_set_last_error(code);
  return 0;
}

/* ---- kernel32 event objects ---- */

SIM_API void *CreateEventW(void *security, int32_t manualReset, int32_t initialState, const char16_t *name) {
  (void)security;
  if (name) return fail_null(ERROR_NOT_SUPPORTED_CODE); /* named events: not simulated */
  kevent *e = calloc(1, sizeof *e);
  if (!e) return fail_null(8);
  e->magic = KEVENT_MAGIC;
  e->manual = manualReset != 0;
  e->signaled = initialState != 0;
  return e;
}

static kevent *kevent_of(void *h) {
  kevent *e = h;
  return e && e != (void *)-1 && e->magic == KEVENT_MAGIC ? e : NULL;
}

SIM_API int32_t SetEvent(void *h) {
  plat_mutex_lock(g_lock);
  kevent *e = kevent_of(h);
  if (e) e->signaled = 1;
  plat_cond_broadcast(g_cond);
  plat_mutex_unlock(g_lock);
  return e ? 1 : fail(ERROR_INVALID_HANDLE_CODE);
}

SIM_API int32_t ResetEvent(void *h) {
  plat_mutex_lock(g_lock);
  kevent *e = kevent_of(h);
  if (e) e->signaled = 0;
  plat_mutex_unlock(g_lock);
  return e ? 1 : fail(ERROR_INVALID_HANDLE_CODE);
}

SIM_API uint32_t WaitForSingleObject(void *h, uint32_t ms) {
  uint64_t until = plat_monotonic_ms() + ms;
  plat_mutex_lock(g_lock);
  kevent *e = kevent_of(h);
  if (!e) {
    plat_mutex_unlock(g_lock);
    sim_set_last_error(ERROR_INVALID_HANDLE_CODE);
    return WAIT_FAILED_CODE;
  }
  uint32_t rc = WAIT_TIMEOUT_CODE;
  for (;;) {
    if (e->signaled) {
      if (!e->manual) e->signaled = 0;
      rc = WAIT_OBJECT_0;
      break;
    }
    uint64_t now = plat_monotonic_ms();
    if (ms != 0xffffffffu && now >= until) break;
    uint64_t left = ms == 0xffffffffu ? 1000 : until - now;
    plat_cond_timedwait(g_cond, g_lock, left > 1000 ? 1000u : (uint32_t)left);
    e = kevent_of(h); /* closed while waiting: the wait fails, as on Windows the handle is gone */
    if (!e) {
      rc = WAIT_FAILED_CODE;
      break;
    }
  }
  plat_mutex_unlock(g_lock);
  return rc;
}

int32_t evt_close_kernel_handle(void *h) {
  if (audit_close_token(h)) return 1;
  plat_mutex_lock(g_lock);
  kevent *e = kevent_of(h);
  if (e) {
    e->magic = 0;
    for (int i = 0; i < MAX_SUBS; i++)
      if (g_subs[i] && g_subs[i]->signal == e) g_subs[i]->signal = NULL; /* the log stops signalling it */
    plat_cond_broadcast(g_cond);
  }
  plat_mutex_unlock(g_lock);
  if (!e) return 0;
  free(e);
  return 1;
}

/* ---- queries ---- */

/* The XPath subset Portcullis writes: "*" or "*[System[(EventID=5157 or EventID=5152)]]"; every EventID=N is
   collected, brackets must balance, and a query that is neither "*" nor names an EventID is refused. */
static int parse_query(const char16_t *q, uint16_t *ids, int *count) {
  *count = 0;
  if (!q || (q[0] == u'*' && q[1] == 0)) return 1;
  int depth = 0;
  for (const char16_t *p = q; *p; p++) {
    if (*p == u'[' || *p == u'(') depth++;
    if (*p == u']' || *p == u')') depth--;
    if (depth < 0) return 0;
    static const char16_t key[] = u"EventID";
    size_t k = 0;
    while (key[k] && p[k] == key[k]) k++;
    if (key[k]) continue;
    const char16_t *v = p + k;
    while (*v == u' ') v++;
    if (*v != u'=') return 0;
    v++;
    while (*v == u' ') v++;
    uint32_t n = 0;
    int digits = 0;
    while (*v >= u'0' && *v <= u'9' && digits < 6) n = n * 10 + (uint32_t)(*v++ - u'0'), digits++;
    if (!digits || n > 65535 || *count >= MAX_IDS) return 0;
    ids[(*count)++] = (uint16_t)n;
  }
  return depth == 0 && *count > 0;
}

SIM_API void *EvtSubscribe(void *session, void *signalEvent, const char16_t *channel, const char16_t *query,
                           void *bookmark, void *context, void *callback, uint32_t flags) {
  (void)context;
  if (session) return fail_null(ERROR_NOT_SUPPORTED_CODE); /* remote logs: not simulated */
  if ((signalEvent != NULL) == (callback != NULL)) return fail_null(ERROR_INVALID_PARAMETER_CODE);
  if (callback) return fail_null(ERROR_NOT_SUPPORTED_CODE); /* the push model: not simulated */
  if (bookmark || flags != EVT_SUBSCRIBE_TO_FUTURE_EVENTS) return fail_null(ERROR_NOT_SUPPORTED_CODE);
  if (!channel || !u16_ieq(channel, u"Security")) return fail_null(ERROR_EVT_CHANNEL_NOT_FOUND_CODE);
  /* The Security log's channel access grants reading to administrators (and Event Log Readers) only. */
  if (!g_sim.elevated) return fail_null(ERROR_ACCESS_DENIED_CODE);
  uint16_t ids[MAX_IDS];
  int idCount;
  if (!parse_query(query, ids, &idCount)) return fail_null(ERROR_EVT_INVALID_QUERY_CODE);
  plat_mutex_lock(g_lock);
  kevent *signal = kevent_of(signalEvent);
  int slot = -1;
  for (int i = 0; i < MAX_SUBS && slot < 0; i++)
    if (!g_subs[i]) slot = i;
  subscription *s = signal && slot >= 0 ? calloc(1, sizeof *s) : NULL;
  if (s) {
    s->magic = SUB_MAGIC;
    s->signal = signal;
    memcpy(s->ids, ids, sizeof ids);
    s->idCount = idCount;
    g_subs[slot] = s;
  }
  plat_mutex_unlock(g_lock);
  if (!signal) return fail_null(ERROR_INVALID_HANDLE_CODE);
  if (!s) return fail_null(8);
  sim_set_last_error(0);
  return s;
}

static int sub_index_locked(void *h) {
  for (int i = 0; i < MAX_SUBS; i++)
    if (g_subs[i] && (void *)g_subs[i] == h) return i;
  return -1;
}

SIM_API int32_t EvtNext(void *resultSet, uint32_t count, void **events, uint32_t timeout, uint32_t flags,
                        uint32_t *returned) {
  (void)timeout;
  if (!events || !returned || !count || flags) return fail(ERROR_INVALID_PARAMETER_CODE);
  *returned = 0;
  plat_mutex_lock(g_lock);
  int i = sub_index_locked(resultSet);
  if (i < 0) {
    plat_mutex_unlock(g_lock);
    return fail(ERROR_INVALID_HANDLE_CODE);
  }
  subscription *s = g_subs[i];
  uint64_t now = plat_monotonic_ms();
  uint32_t n = 0;
  while (n < count && s->head && s->head->visibleAt <= now) {
    record *r = s->head;
    s->head = r->next;
    if (!s->head) s->tail = NULL;
    s->queued--;
    r->next = NULL;
    events[n++] = r;
  }
  g_openRecords += n;
  plat_mutex_unlock(g_lock);
  *returned = n;
  if (!n) return fail(ERROR_NO_MORE_ITEMS_CODE);
  sim_set_last_error(0);
  return 1;
}

/* "Event/EventData/Data[@Name='ProcessID']" and the two System values Portcullis reads. */
static uint8_t path_of(const char16_t *p) {
  static const struct {
    const char16_t *path;
    uint8_t id;
  } known[] = {
      {u"Event/System/EventID", P_EVENT_ID},
      {u"Event/System/TimeCreated/@SystemTime", P_TIME},
      {u"Event/EventData/Data[@Name='ProcessID']", P_PID},
      {u"Event/EventData/Data[@Name='Application']", P_APP},
      {u"Event/EventData/Data[@Name='Direction']", P_DIRECTION},
      {u"Event/EventData/Data[@Name='SourceAddress']", P_SRC},
      {u"Event/EventData/Data[@Name='SourcePort']", P_SPORT},
      {u"Event/EventData/Data[@Name='DestAddress']", P_DST},
      {u"Event/EventData/Data[@Name='DestPort']", P_DPORT},
      {u"Event/EventData/Data[@Name='Protocol']", P_PROTOCOL},
      {u"Event/EventData/Data[@Name='FilterRTID']", P_FILTER},
      {u"Event/EventData/Data[@Name='LayerName']", P_LAYER_NAME},
      {u"Event/EventData/Data[@Name='LayerRTID']", P_LAYER},
  };
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
    const char16_t *a = known[i].path, *b = p;
    while (*a && *a == *b) a++, b++;
    if (!*a && !*b) return known[i].id;
  }
  return P_NONE; /* a path the event does not have renders as EvtVarTypeNull */
}

SIM_API void *EvtCreateRenderContext(uint32_t count, const char16_t **paths, uint32_t flags) {
  if (flags != EVT_RENDER_CONTEXT_VALUES) return fail_null(ERROR_NOT_SUPPORTED_CODE); /* System/User contexts */
  if (!count || !paths || count > MAX_PATHS) return fail_null(ERROR_INVALID_PARAMETER_CODE);
  render_ctx *c = calloc(1, sizeof *c);
  if (!c) return fail_null(8);
  c->magic = CTX_MAGIC;
  c->count = count;
  for (uint32_t i = 0; i < count; i++) {
    if (!paths[i]) {
      free(c);
      return fail_null(ERROR_INVALID_PARAMETER_CODE);
    }
    c->paths[i] = path_of(paths[i]);
  }
  sim_set_last_error(0);
  return c;
}

static const char16_t *string_of(const record *r, uint8_t p) {
  switch (p) {
  case P_APP: return r->application;
  case P_DIRECTION: return r->direction;
  case P_SRC: return r->sourceAddress;
  case P_SPORT: return r->sourcePort;
  case P_DST: return r->destAddress;
  case P_DPORT: return r->destPort;
  case P_LAYER_NAME: return r->layerName;
  default: return NULL;
  }
}

SIM_API int32_t EvtRender(void *context, void *fragment, uint32_t flags, uint32_t bufferSize, void *buffer,
                          uint32_t *bufferUsed, uint32_t *propertyCount) {
  render_ctx *c = context;
  record *r = fragment;
  if (!bufferUsed || !propertyCount) return fail(ERROR_INVALID_PARAMETER_CODE);
  if (flags != EVT_RENDER_EVENT_VALUES) return fail(ERROR_NOT_SUPPORTED_CODE); /* XML and bookmarks */
  if (!c || c->magic != CTX_MAGIC || !r || r->magic != REC_MAGIC) return fail(ERROR_INVALID_HANDLE_CODE);
  size_t need = c->count * sizeof(EVT_VARIANT);
  for (uint32_t i = 0; i < c->count; i++) {
    const char16_t *s = string_of(r, c->paths[i]);
    if (s) need += (u16_len(s) + 1) * sizeof(char16_t);
  }
  *bufferUsed = (uint32_t)need;
  *propertyCount = c->count;
  if (!buffer || bufferSize < need) return fail(ERROR_INSUFFICIENT_BUFFER_CODE);
  EVT_VARIANT *v = buffer;
  char16_t *strings = (char16_t *)(v + c->count);
  memset(v, 0, c->count * sizeof *v);
  for (uint32_t i = 0; i < c->count; i++) {
    const char16_t *s = string_of(r, c->paths[i]);
    switch (c->paths[i]) {
    case P_EVENT_ID: v[i].Type = EVT_VAR_UINT16, v[i].UInt16Val = r->eventId; break;
    case P_TIME: v[i].Type = EVT_VAR_FILETIME, v[i].UInt64Val = r->time; break;
    case P_PID: v[i].Type = EVT_VAR_SIZET, v[i].SizeTVal = (size_t)r->pid; break; /* win:Pointer */
    case P_PROTOCOL: v[i].Type = EVT_VAR_UINT32, v[i].UInt32Val = r->protocol; break;
    case P_FILTER: v[i].Type = EVT_VAR_UINT64, v[i].UInt64Val = r->filterId; break;
    case P_LAYER: v[i].Type = EVT_VAR_UINT64, v[i].UInt64Val = r->layerId; break;
    default:
      if (s) {
        size_t n = u16_len(s) + 1;
        memcpy(strings, s, n * sizeof *s);
        v[i].Type = EVT_VAR_STRING;
        v[i].StringVal = strings;
        strings += n;
      } else {
        v[i].Type = EVT_VAR_NULL;
      }
    }
  }
  sim_set_last_error(0);
  return 1;
}

static void free_records(record *r) {
  while (r) {
    record *next = r->next;
    r->magic = 0;
    free(r);
    r = next;
  }
}

SIM_API int32_t EvtClose(void *h) {
  if (!h) return fail(ERROR_INVALID_HANDLE_CODE);
  plat_mutex_lock(g_lock);
  int i = sub_index_locked(h);
  if (i >= 0) {
    subscription *s = g_subs[i];
    g_subs[i] = NULL;
    plat_mutex_unlock(g_lock);
    free_records(s->head);
    s->magic = 0;
    free(s);
    return 1;
  }
  uint32_t magic = *(uint32_t *)h;
  if (magic == REC_MAGIC) g_openRecords--;
  plat_mutex_unlock(g_lock);
  if (magic == REC_MAGIC) {
    ((record *)h)->magic = 0;
    free(h);
    return 1;
  }
  if (magic == CTX_MAGIC) {
    ((render_ctx *)h)->magic = 0;
    free(h);
    return 1;
  }
  return fail(ERROR_INVALID_HANDLE_CODE);
}

/* ---- the writer: the classifier's blocked attempts ---- */

static void ascii_to_u16(char16_t *dst, const char *src, size_t cap) {
  size_t n = 0;
  while (src[n] && n + 1 < cap) dst[n] = (char16_t)(unsigned char)src[n], n++;
  dst[n] = 0;
}

static void address_text(int v6, uint32_t v4, const uint8_t a6[16], int has, char16_t *out, size_t cap) {
  char text[INET6_ADDRSTRLEN] = "0.0.0.0";
  if (has && v6) inet_ntop(AF_INET6, a6, text, sizeof text);
  else if (has) snprintf(text, sizeof text, "%u.%u.%u.%u", v4 >> 24, (v4 >> 16) & 255, (v4 >> 8) & 255, v4 & 255);
  else if (v6) strcpy(text, "::");
  ascii_to_u16(out, text, cap);
}

static void number_text(uint32_t n, char16_t *out, size_t cap) {
  char text[16];
  snprintf(text, sizeof text, "%u", n);
  ascii_to_u16(out, text, cap);
}

static int wants(const subscription *s, uint16_t id) {
  if (!s->idCount) return 1;
  for (int i = 0; i < s->idCount; i++)
    if (s->ids[i] == id) return 1;
  return 0;
}

void audit_connection_blocked(const conn_ctx *x, const SIM_CONNECTION *c, const verdict *v, uint32_t pid,
                              uint32_t count) {
  if (!(audit_subcategory_setting(&AUDIT_FILTERING_PLATFORM_CONNECTION) & POLICY_AUDIT_EVENT_FAILURE)) return;
  record proto;
  memset(&proto, 0, sizeof proto);
  proto.magic = REC_MAGIC;
  proto.eventId = 5157;
  proto.time = plat_filetime_now();
  proto.pid = pid ? pid : c->appPath ? sim_pid_of_app(c->appPath) : 4;
  proto.filterId = v->filterId;
  proto.layerId = v->layerId;
  proto.protocol = x->protocol;
  /* The application as the kernel names it: the NT device path in lower case, as in the net event's app id. */
  if (x->appId) {
    size_t n = x->appIdSize / 2;
    if (n > 259) n = 259;
    memcpy(proto.application, x->appId, n * 2);
    proto.application[n] = 0;
  } else if (c->appPath) {
    ascii_to_u16(proto.application, "System", 260);
  }
  /* %%14592 inbound, %%14593 outbound; layers %%14610 receive/accept, %%14611 connect (the event's message table).
     Source is this computer's end, destination the peer, in both directions. */
  ascii_to_u16(proto.direction, x->inbound ? "%%14592" : "%%14593", 8);
  ascii_to_u16(proto.layerName, x->inbound ? "%%14610" : "%%14611", 8);
  address_text(x->v6, x->local4, x->local6, x->hasLocal, proto.sourceAddress, 48);
  address_text(x->v6, x->remote4, x->remote6, x->hasRemote, proto.destAddress, 48);
  number_text(x->localPort, proto.sourcePort, 8);
  number_text(x->remotePort, proto.destPort, 8);
  plat_mutex_lock(g_lock);
  proto.visibleAt = plat_monotonic_ms() + g_delayMs;
  for (int i = 0; i < MAX_SUBS; i++) {
    subscription *s = g_subs[i];
    if (!s || !wants(s, proto.eventId)) continue;
    for (uint32_t k = 0; k < count; k++) {
      if (s->queued >= QUEUE_CAP) {
        s->dropped += count - k;
        break;
      }
      record *r = malloc(sizeof *r);
      if (!r) break;
      *r = proto;
      if (s->tail) s->tail->next = r;
      else s->head = r;
      s->tail = r;
      s->queued++;
    }
    if (s->signal) s->signal->signaled = 1;
  }
  g_written += count;
  plat_cond_broadcast(g_cond);
  plat_mutex_unlock(g_lock);
}

/* ---- control ---- */

/* Records become readable this many ms after the attempt (default 0). */
SIM_API uint32_t sim_audit_set_delay(uint32_t ms) {
  plat_mutex_lock(g_lock);
  g_delayMs = ms;
  plat_mutex_unlock(g_lock);
  return 0;
}

/* Audit records written since load, subscriptions open, and event handles EvtNext gave out that are not closed. */
SIM_API uint64_t sim_audit_written(void) {
  plat_mutex_lock(g_lock);
  uint64_t n = g_written;
  plat_mutex_unlock(g_lock);
  return n;
}
SIM_API uint32_t sim_audit_subscriptions(void) {
  plat_mutex_lock(g_lock);
  uint32_t n = 0;
  for (int i = 0; i < MAX_SUBS; i++) n += g_subs[i] != NULL;
  plat_mutex_unlock(g_lock);
  return n;
}
SIM_API uint64_t sim_audit_open_records(void) {
  plat_mutex_lock(g_lock);
  uint64_t n = g_openRecords;
  plat_mutex_unlock(g_lock);
  return n;
}
#endif
