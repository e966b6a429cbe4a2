/* Net-event subscriptions and their delivery thread. Events wait in a bounded queue and are handed to
   callbacks one at a time from the simulator's own thread, as BFE's RPC thread does. */
#include <stdlib.h>
#include <string.h>

#include "sim.h"

#define DEFAULT_QUEUE_CAPACITY 65536u

typedef struct sim_sub {
  struct sim_sub *next;
  uint32_t id, sessionId, version; /* version: the FWPM_NET_EVENT<version> struct it receives */
  FWPM_NET_EVENT_CALLBACK cb;
  void *ctx;
  uint64_t firstSeq, lastSeq;
  int killed, closing, inCallback;
} sim_sub;

static plat_mutex *q_lock;
static plat_cond *q_work, *q_done;
static ev_rec *q_head, *q_tail;
static uint32_t q_count, q_capacity = DEFAULT_QUEUE_CAPACITY;
static uint64_t q_seq;
static int q_inFlight;
static uint64_t q_lost;
static sim_sub *q_subs;
static uint32_t q_nextSubId;
static plat_thread *q_thread;
static int q_stop;

void ev_rec_free(ev_rec *r) {
  free(r->appId);
  free(r->raw);
  free(r);
}

static ev_rec *rec_copy(const ev_rec *r) {
  ev_rec *c = malloc(sizeof *c);
  if (!c) return NULL;
  *c = *r;
  c->next = NULL;
  c->appId = NULL;
  c->raw = NULL;
  if (r->appId && r->appIdBytes) {
    if (!(c->appId = malloc(r->appIdBytes))) goto fail;
    memcpy(c->appId, r->appId, r->appIdBytes);
  }
  if (r->raw && r->rawSize) {
    if (!(c->raw = malloc(r->rawSize))) goto fail;
    memcpy(c->raw, r->raw, r->rawSize);
  }
  return c;
fail:
  ev_rec_free(c);
  return NULL;
}

/* A subscription BFE dropped would have had this event: BFE counts it as lost (FwpmNetEventsLost0). */
static int missed_by_dead(const ev_rec *r) {
  for (const sim_sub *s = q_subs; s; s = s->next)
    if (s->killed && !s->closing && r->seq >= s->firstSeq &&
        (!r->rawVersion || r->rawVersion == s->version) &&
        !(r->classified && s->version < 2 && r->type != FWPM_NET_EVENT_TYPE_CLASSIFY_DROP))
      return 1;
  return 0;
}

static int eligible(const sim_sub *s, const ev_rec *r) {
  if (s->closing || s->killed || r->seq < s->firstSeq || s->lastSeq >= r->seq) return 0;
  if (r->rawVersion) return r->rawVersion == s->version;
  /* Subscribe0's FWPM_NET_EVENT1 has no member for allow/capability events: BFE does not send them */
  if (r->classified && s->version < 2 && r->type != FWPM_NET_EVENT_TYPE_CLASSIFY_DROP) return 0;
  return 1;
}

static void delivery_main(void *arg) {
  (void)arg;
  plat_mutex_lock(q_lock);
  for (;;) {
    while (!q_head && !q_stop) plat_cond_wait(q_work, q_lock);
    if (q_stop) break;
    ev_rec *r = q_head;
    q_head = r->next;
    if (!q_head) q_tail = NULL;
    q_count--;
    q_inFlight = 1;
    int reached = 0;
    for (;;) {
      sim_sub *s = q_subs;
      while (s && !eligible(s, r)) s = s->next;
      if (!s) break;
      s->lastSeq = r->seq;
      s->inCallback = 1;
      reached = 1;
      FWPM_NET_EVENT_CALLBACK cb = s->cb;
      void *ctx = s->ctx;
      uint32_t version = s->version;
      plat_mutex_unlock(q_lock);
      event_deliver(r, version, cb, ctx);
      plat_mutex_lock(q_lock);
      s->inCallback = 0; /* Unsubscribe waits for this before it frees s */
      plat_cond_broadcast(q_done);
    }
    if (!reached && missed_by_dead(r)) q_lost++;
    q_inFlight = 0;
    plat_cond_broadcast(q_done);
    /* Freed under the lock, which is then kept for the next event: letting go of it and taking it again for every
       event made this thread queue up behind the threads enqueuing attempts, a wait per event. */
    ev_rec_free(r);
  }
  plat_mutex_unlock(q_lock);
}

#ifndef _WIN32
/* The library is being unloaded (koffi unloads it as the process exits): the delivery thread must not be inside our
   code when its pages go. It is stopped and joined, unless it is inside a callback (then it waits for a JS thread
   that is exiting, and cannot be joined). On Windows the loader lock forbids joining here, and threads are already
   gone when a process exits. */
__attribute__((destructor)) static void events_unload(void) {
  if (!q_lock || !q_thread) return;
  plat_mutex_lock(q_lock);
  int busy = 0;
  for (sim_sub *s = q_subs; s; s = s->next) busy |= s->inCallback;
  q_stop = 1;
  plat_cond_broadcast(q_work);
  plat_mutex_unlock(q_lock);
  if (!busy && !plat_thread_is_current(q_thread)) plat_thread_join(q_thread);
}
#endif

static void ensure_thread_locked(void) {
  if (!q_thread) q_thread = plat_thread_start(delivery_main, NULL);
}

/* A filter other than `decider` that permits: what a flow-established allow names (that layer has filters of its
   own; the connect layer's decision is not repeated there). 0 when there is none. */
static uint64_t other_permit_filter(uint64_t decider) {
  uint64_t id = 0;
  plat_mutex_lock(g_sim.lock);
  for (sim_filter *f = g_sim.filters; f; f = f->next)
    if (f->id != decider && f->actionType == FWP_ACTION_PERMIT && !f->st.pendAdd && (!id || f->id < id)) id = f->id;
  plat_mutex_unlock(g_sim.lock);
  return id;
}

/* An attempt classified at an ALE auth layer, as Windows reports it: the runtime id of that layer; at the
   receive/accept layer msFwpDirection 0 (FWP_DIRECTION_OUTBOUND as the enum reads it), which is how inbound drops
   came to be shown as outbound (simplewall #474, #581, #935); and for an allowed one, a second allow at
   ALE_FLOW_ESTABLISHED once the flow is up. Returns that second event (or NULL). */
static ev_rec *as_windows_reports(ev_rec *r) {
  uint16_t fwps = r->layerId;
  uint16_t id = layer_runtime_id(fwps);
  if (!id) return NULL;
  int inbound = fwps == FWPS_LAYER_ALE_AUTH_RECV_ACCEPT_V4 || fwps == FWPS_LAYER_ALE_AUTH_RECV_ACCEPT_V6;
  r->layerId = id;
  if (inbound) r->msFwpDirection = 0;
  if (r->type != FWPM_NET_EVENT_TYPE_CLASSIFY_ALLOW) return NULL;
  ev_rec *flow = rec_copy(r);
  if (!flow) return NULL;
  flow->layerId = layer_id_of(LK_FLOW_ESTABLISHED, r->ipVersion == FWP_IP_VERSION_V6);
  flow->msFwpDirection = inbound ? FWP_DIRECTION_IN : FWP_DIRECTION_OUT;
  flow->filterId = other_permit_filter(r->filterId);
  return flow;
}

uint32_t events_enqueue(ev_rec *rec, uint32_t count) {
  if (!count) {
    ev_rec_free(rec);
    return 0;
  }
  if (rec->classified == 1) {
    ev_rec *flow = as_windows_reports(rec);
    if (flow) {
      flow->classified = 2; /* already as Windows reports it */
      uint32_t rc = events_enqueue(rec, count);
      return rc ? (ev_rec_free(flow), rc) : events_enqueue(flow, count);
    }
  }
  ev_rec *batch = NULL, *last = NULL;
  uint32_t made = 0;
  /* what does not fit in the queue is lost, as in BFE; copies are made outside the lock */
  plat_mutex_lock(q_lock);
  uint32_t room = q_capacity > q_count ? q_capacity - q_count : 0;
  plat_mutex_unlock(q_lock);
  uint32_t want = count < room ? count : room;
  for (uint32_t i = 0; i < want; i++) {
    ev_rec *c = i + 1 == want ? rec : rec_copy(rec);
    if (!c) break;
    if (last) last->next = c;
    else batch = c;
    last = c;
    made++;
  }
  if (made < want || !want) ev_rec_free(rec); /* rec itself is queued only as the last of a full batch */
  plat_mutex_lock(q_lock);
  q_lost += count - made;
  for (ev_rec *c = batch; c; c = c->next) c->seq = ++q_seq;
  if (batch) {
    if (q_tail) q_tail->next = batch;
    else q_head = batch;
    q_tail = last;
    q_count += made;
    ensure_thread_locked();
  }
  plat_mutex_unlock(q_lock);
  /* Woken after the lock is let go: woken inside it, the delivery thread would only wake to wait for the lock. */
  if (batch) plat_cond_broadcast(q_work);
  return 0;
}

/* ---- subscriptions ---- */

static HANDLE sub_handle(const sim_sub *s) { return (HANDLE)(uintptr_t)(SUB_HANDLE_BASE + ((uintptr_t)s->id << 4)); }

static uint32_t engine_check(HANDLE engine, uint32_t *sessionId) {
  plat_mutex_lock(g_sim.lock);
  sim_session *s = NULL;
  uint32_t rc = begin_call(engine, 0, &s);
  if (!rc && s->inTxn) rc = FWP_E_TXN_IN_PROGRESS;
  if (!rc) *sessionId = s->id;
  plat_mutex_unlock(g_sim.lock);
  return rc;
}

static DWORD subscribe(uint32_t version, HANDLE engine, const FWPM_NET_EVENT_SUBSCRIPTION0 *subscription,
                       FWPM_NET_EVENT_CALLBACK callback, void *context, HANDLE *eventsHandle) {
  if (!eventsHandle) return FWP_E_NULL_POINTER;
  *eventsHandle = NULL;
  if (!subscription || !callback) return FWP_E_NULL_POINTER;
  uint32_t sessionId = 0;
  uint32_t rc = engine_check(engine, &sessionId);
  if (rc) return rc;
  static const char *const NAMES[] = {"", "FwpmNetEventSubscribe0", "FwpmNetEventSubscribe1", "FwpmNetEventSubscribe2",
                                      "FwpmNetEventSubscribe3", "FwpmNetEventSubscribe4"};
  if ((rc = sim_fault(NAMES[version]))) return rc;
  sim_sub *s = calloc(1, sizeof *s);
  if (!s) return ERROR_NOT_ENOUGH_MEMORY;
  s->sessionId = sessionId;
  s->version = version;
  s->cb = callback;
  s->ctx = context;
  plat_mutex_lock(q_lock);
  s->id = ++q_nextSubId;
  s->firstSeq = q_seq + 1; /* only events that happen from now on */
  s->next = q_subs;
  q_subs = s;
  ensure_thread_locked();
  *eventsHandle = sub_handle(s);
  plat_mutex_unlock(q_lock);
  return 0;
}

SIM_API DWORD SIM_WINAPI FwpmNetEventSubscribe0(HANDLE e, const FWPM_NET_EVENT_SUBSCRIPTION0 *s,
                                               FWPM_NET_EVENT_CALLBACK cb, void *ctx, HANDLE *h) {
  return subscribe(1, e, s, cb, ctx, h);
}
SIM_API DWORD SIM_WINAPI FwpmNetEventSubscribe1(HANDLE e, const FWPM_NET_EVENT_SUBSCRIPTION0 *s,
                                               FWPM_NET_EVENT_CALLBACK cb, void *ctx, HANDLE *h) {
  return subscribe(2, e, s, cb, ctx, h);
}
SIM_API DWORD SIM_WINAPI FwpmNetEventSubscribe2(HANDLE e, const FWPM_NET_EVENT_SUBSCRIPTION0 *s,
                                               FWPM_NET_EVENT_CALLBACK cb, void *ctx, HANDLE *h) {
  return subscribe(3, e, s, cb, ctx, h);
}
SIM_API DWORD SIM_WINAPI FwpmNetEventSubscribe3(HANDLE e, const FWPM_NET_EVENT_SUBSCRIPTION0 *s,
                                               FWPM_NET_EVENT_CALLBACK cb, void *ctx, HANDLE *h) {
  return subscribe(4, e, s, cb, ctx, h);
}
SIM_API DWORD SIM_WINAPI FwpmNetEventSubscribe4(HANDLE e, const FWPM_NET_EVENT_SUBSCRIPTION0 *s,
                                               FWPM_NET_EVENT_CALLBACK cb, void *ctx, HANDLE *h) {
  return subscribe(5, e, s, cb, ctx, h);
}

/* Blocks while the subscription's callback is running, like the real one: calling it on the thread the
   callback is waiting for (koffi's JS thread) deadlocks, exactly as on Windows. */
SIM_API DWORD SIM_WINAPI FwpmNetEventUnsubscribe0(HANDLE engineHandle, HANDLE eventsHandle) {
  uint32_t sessionId = 0;
  uint32_t rc = engine_check(engineHandle, &sessionId);
  if (!rc) rc = sim_fault("FwpmNetEventUnsubscribe0");
  if (rc) return rc;
  plat_mutex_lock(q_lock);
  sim_sub **pp = &q_subs;
  while (*pp && !(sub_handle(*pp) == eventsHandle && (*pp)->sessionId == sessionId && !(*pp)->closing))
    pp = &(*pp)->next;
  sim_sub *s = *pp;
  if (!s) {
    plat_mutex_unlock(q_lock);
    return ERROR_INVALID_HANDLE;
  }
  s->closing = 1;
  while (s->inCallback) plat_cond_wait(q_done, q_lock);
  pp = &q_subs;
  while (*pp != s) pp = &(*pp)->next;
  *pp = s->next;
  free(s);
  plat_mutex_unlock(q_lock);
  return 0;
}

void events_unsubscribe_session(uint32_t sessionId) {
  plat_mutex_lock(q_lock);
  for (sim_sub *s = q_subs; s; s = s->next)
    if (s->sessionId == sessionId) s->closing = 1;
  for (;;) {
    int busy = 0;
    for (sim_sub *s = q_subs; s; s = s->next)
      if (s->sessionId == sessionId && s->inCallback) busy = 1;
    if (!busy) break;
    plat_cond_wait(q_done, q_lock);
  }
  sim_sub **pp = &q_subs;
  while (*pp) {
    if ((*pp)->sessionId == sessionId) {
      sim_sub *s = *pp;
      *pp = s->next;
      free(s);
    } else {
      pp = &(*pp)->next;
    }
  }
  plat_mutex_unlock(q_lock);
}

SIM_API DWORD SIM_WINAPI FwpmNetEventsLost0(HANDLE engineHandle, UINT32 *value) {
  if (!value) return FWP_E_NULL_POINTER;
  plat_mutex_lock(g_sim.lock);
  sim_session *s = NULL;
  uint32_t rc = begin_call(engineHandle, 0, &s);
  plat_mutex_unlock(g_sim.lock);
  if (rc) return rc;
  plat_mutex_lock(q_lock);
  *value = q_lost > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)q_lost;
  plat_mutex_unlock(q_lock);
  return 0;
}

/* ---- control ---- */

void events_init(void) {
  q_lock = plat_mutex_new();
  q_work = plat_cond_new();
  q_done = plat_cond_new();
}

void events_reset(void) {
  plat_mutex_lock(q_lock);
  ev_rec *r = q_head;
  q_head = q_tail = NULL;
  q_count = 0;
  q_lost = 0;
  q_capacity = DEFAULT_QUEUE_CAPACITY;
  plat_mutex_unlock(q_lock);
  while (r) {
    ev_rec *n = r->next;
    ev_rec_free(r);
    r = n;
  }
}

SIM_API uint32_t sim_pending_events(void) {
  plat_mutex_lock(q_lock);
  uint32_t n = q_count + (uint32_t)q_inFlight;
  plat_mutex_unlock(q_lock);
  return n;
}

SIM_API uint32_t sim_kill_subscriptions(void) {
  plat_mutex_lock(q_lock);
  for (sim_sub *s = q_subs; s; s = s->next) s->killed = 1;
  plat_mutex_unlock(q_lock);
  return 0;
}

void events_engine_restarted(void) {
  plat_mutex_lock(q_lock);
  for (sim_sub *s = q_subs; s; s = s->next) s->killed = 1;
  plat_mutex_unlock(q_lock);
}

SIM_API uint32_t sim_add_lost_events(uint32_t n) {
  plat_mutex_lock(q_lock);
  q_lost += n;
  plat_mutex_unlock(q_lock);
  return 0;
}

SIM_API uint32_t sim_subscription_count(void) {
  plat_mutex_lock(q_lock);
  uint32_t n = 0;
  for (sim_sub *s = q_subs; s; s = s->next)
    if (!s->closing) n++;
  plat_mutex_unlock(q_lock);
  return n;
}

SIM_API uint32_t sim_set_queue_capacity(uint32_t capacity) {
  if (!capacity) return ERROR_INVALID_PARAMETER;
  plat_mutex_lock(q_lock);
  q_capacity = capacity;
  plat_mutex_unlock(q_lock);
  return 0;
}
