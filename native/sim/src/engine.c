/* Engine handles, sessions, transactions, engine options and FwpmFreeMemory0. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

sim_state g_sim;

#define DEFAULT_TXN_WAIT_MS 15000u

sim_session *session_from_handle(HANDLE h) {
  uintptr_t v = (uintptr_t)h;
  if (v < SESSION_HANDLE_BASE || ((v - SESSION_HANDLE_BASE) & 0xF)) return NULL;
  uint32_t id = (uint32_t)((v - SESSION_HANDLE_BASE) >> 4);
  for (sim_session *s = g_sim.sessions; s; s = s->next)
    if (s->id == id) return s;
  return NULL;
}

static HANDLE session_handle(const sim_session *s) {
  return (HANDLE)(uintptr_t)(SESSION_HANDLE_BASE + ((uintptr_t)s->id << 4));
}

/* Opening a session needs no privilege (everyone may open the engine and classify); what a session may do is checked
   per call, and a process that is not elevated is refused with ERROR_ACCESS_DENIED at each one. */
uint32_t begin_call(HANDLE engine, int writes, sim_session **out) {
  if (!g_sim.elevated) return ERROR_ACCESS_DENIED;
  sim_session *s = session_from_handle(engine);
  if (!s) return ERROR_INVALID_HANDLE;
  if (s->stale) return RPC_S_SERVER_UNAVAILABLE;
  uint32_t rc = state_before_call_locked(s, writes);
  if (rc) return rc;
  if (writes && g_sim.txnOwner && g_sim.txnOwner != s->id) {
    /* BFE serialises writers: wait for the other session's transaction like txnWaitTimeoutInMSec says */
    uint32_t limit = s->txnTimeoutMs ? s->txnTimeoutMs : DEFAULT_TXN_WAIT_MS;
    uint64_t deadline = plat_monotonic_ms() + limit;
    uint32_t id = s->id;
    while (g_sim.txnOwner && g_sim.txnOwner != id) {
      uint64_t now = plat_monotonic_ms();
      if (limit != 0xFFFFFFFFu && now >= deadline) return FWP_E_TIMEOUT;
      uint32_t wait = limit == 0xFFFFFFFFu ? 1000u : (uint32_t)(deadline - now);
      plat_cond_timedwait(g_sim.txnFree, g_sim.lock, wait);
    }
    s = session_from_handle(engine); /* the handle may have been closed meanwhile */
    if (!s) return ERROR_INVALID_HANDLE;
  }
  *out = s;
  return 0;
}

SIM_API DWORD SIM_WINAPI FwpmEngineOpen0(const WCHAR *serverName, UINT32 authnService, void *authIdentity,
                                        const FWPM_SESSION0 *session, HANDLE *engineHandle) {
  (void)authIdentity;
  if (!engineHandle) return ERROR_INVALID_PARAMETER;
  *engineHandle = NULL;
  if (serverName && serverName[0]) return EPT_S_NOT_REGISTERED; /* remote BFE: not simulated */
  if (authnService != RPC_C_AUTHN_WINNT && authnService != RPC_C_AUTHN_DEFAULT) return RPC_S_UNKNOWN_AUTHN_SERVICE;
  plat_mutex_lock(g_sim.lock);
  if (g_sim.bfeUnavailable) {
    g_sim.bfeUnavailable--;
    plat_mutex_unlock(g_sim.lock);
    return EPT_S_NOT_REGISTERED;
  }
  sim_session *s = calloc(1, sizeof *s);
  if (!s) {
    plat_mutex_unlock(g_sim.lock);
    return ERROR_NOT_ENOUGH_MEMORY;
  }
  s->id = ++g_sim.nextSessionId;
  if (session) {
    s->dynamic = (session->flags & FWPM_SESSION_FLAG_DYNAMIC) != 0;
    s->txnTimeoutMs = session->txnWaitTimeoutInMSec;
    s->name = u16_dup(session->displayData.name);
  }
  s->next = g_sim.sessions;
  g_sim.sessions = s;
  *engineHandle = session_handle(s);
  plat_mutex_unlock(g_sim.lock);
  scenario_autostart();
  return 0;
}

static void enums_remove_session(uint32_t sessionId) {
  sim_enum **pp = &g_sim.enums;
  while (*pp) {
    sim_enum *e = *pp;
    if (e->sessionId == sessionId) {
      *pp = e->next;
      free(e->ids);
      free(e);
    } else {
      pp = &e->next;
    }
  }
}

static void txn_end_locked(sim_session *s, int commit) {
  objects_txn_end(s->id, commit);
  state_txn_end_locked(commit);
  s->inTxn = 0;
  if (g_sim.txnOwner == s->id) g_sim.txnOwner = 0;
  plat_cond_broadcast(g_sim.txnFree);
}

SIM_API DWORD SIM_WINAPI FwpmEngineClose0(HANDLE engineHandle) {
  plat_mutex_lock(g_sim.lock);
  sim_session *s = session_from_handle(engineHandle);
  if (!s) {
    plat_mutex_unlock(g_sim.lock);
    return ERROR_INVALID_HANDLE;
  }
  uint32_t id = s->id;
  plat_mutex_unlock(g_sim.lock);

  /* Like the real one: waits for callbacks of this engine's subscriptions that are running. */
  events_unsubscribe_session(id);

  plat_mutex_lock(g_sim.lock);
  sim_session **pp = &g_sim.sessions;
  while (*pp && (*pp)->id != id) pp = &(*pp)->next;
  if (!*pp) {
    plat_mutex_unlock(g_sim.lock);
    return ERROR_INVALID_HANDLE;
  }
  s = *pp;
  if (s->inTxn) txn_end_locked(s, 0);
  if (s->dynamic) objects_remove_owned(s->id);
  enums_remove_session(s->id);
  *pp = s->next;
  /* A session from before an engine restart: the client side is freed, the server is not reachable to say so. */
  uint32_t rc = s->stale ? RPC_S_SERVER_UNAVAILABLE : 0;
  free(s->name);
  free(s);
  plat_mutex_unlock(g_sim.lock);
  return rc;
}

SIM_API DWORD SIM_WINAPI FwpmTransactionBegin0(HANDLE engineHandle, UINT32 flags) {
  (void)flags;
  plat_mutex_lock(g_sim.lock);
  sim_session *s = NULL;
  state_begin_flag(1);
  uint32_t rc = begin_call(engineHandle, 1, &s);
  state_begin_flag(0);
  if (!rc && s->inTxn) rc = FWP_E_TXN_IN_PROGRESS;
  if (!rc) rc = state_txn_begin_locked(s);
  if (!rc) {
    s->inTxn = 1;
    g_sim.txnOwner = s->id;
  }
  plat_mutex_unlock(g_sim.lock);
  return rc;
}

static DWORD txn_finish(HANDLE engineHandle, int commit) {
  plat_mutex_lock(g_sim.lock);
  sim_session *s = NULL;
  uint32_t rc = begin_call(engineHandle, 0, &s);
  if (!rc && !s->inTxn) rc = FWP_E_NO_TXN_IN_PROGRESS;
  if (!rc) txn_end_locked(s, commit);
  plat_mutex_unlock(g_sim.lock);
  return rc;
}

SIM_API DWORD SIM_WINAPI FwpmTransactionCommit0(HANDLE engineHandle) { return txn_finish(engineHandle, 1); }
SIM_API DWORD SIM_WINAPI FwpmTransactionAbort0(HANDLE engineHandle) { return txn_finish(engineHandle, 0); }

SIM_API DWORD SIM_WINAPI FwpmEngineGetOption0(HANDLE engineHandle, UINT32 option, FWP_VALUE0 **value) {
  if (!value) return ERROR_INVALID_PARAMETER;
  *value = NULL;
  plat_mutex_lock(g_sim.lock);
  sim_session *s = NULL;
  uint32_t rc = begin_call(engineHandle, 0, &s);
  if (!rc && option >= FWPM_ENGINE_OPTION_MAX) rc = ERROR_INVALID_PARAMETER;
  if (!rc) {
    arena *a = arena_new();
    if (!a) {
      rc = ERROR_NOT_ENOUGH_MEMORY;
    } else {
      FWP_VALUE0 *v = arena_alloc(a, sizeof *v);
      v->type = FWP_UINT32;
      v->uint32 = g_sim.options[option];
      *value = v;
    }
  }
  plat_mutex_unlock(g_sim.lock);
  return rc;
}

SIM_API DWORD SIM_WINAPI FwpmEngineSetOption0(HANDLE engineHandle, UINT32 option, const FWP_VALUE0 *newValue) {
  plat_mutex_lock(g_sim.lock);
  sim_session *s = NULL;
  uint32_t rc = begin_call(engineHandle, 1, &s);
  if (!rc && option >= FWPM_ENGINE_OPTION_MAX) rc = ERROR_INVALID_PARAMETER;
  if (!rc && !newValue) rc = FWP_E_NULL_POINTER;
  if (!rc && s->dynamic) rc = FWP_E_DYNAMIC_SESSION_IN_PROGRESS;
  if (!rc && s->inTxn) rc = FWP_E_TXN_IN_PROGRESS;
  if (!rc && newValue->type != FWP_UINT32) rc = FWP_E_TYPE_MISMATCH;
  if (!rc && option == FWPM_ENGINE_COLLECT_NET_EVENTS && newValue->uint32 > 1) rc = ERROR_INVALID_PARAMETER;
  if (!rc) g_sim.options[option] = newValue->uint32;
  plat_mutex_unlock(g_sim.lock);
  return rc;
}

SIM_API void SIM_WINAPI FwpmFreeMemory0(void **p) {
  if (!p || !*p) return;
  if (!arena_free_root(*p))
    fprintf(stderr, "wfpsim: FwpmFreeMemory0 got a pointer the simulator did not hand out (or freed twice)\n");
  *p = NULL;
}
