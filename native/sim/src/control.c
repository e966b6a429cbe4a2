/* Library start-up and the machine-wide switches of the control API. */
#include <stdlib.h>
#include <string.h>

#include "sim.h"

void baseline_install(void);
void events_init(void);

#define FIRST_FILTER_ID 66000u

static void reset_options_locked(void) {
  for (int i = 0; i < FWPM_ENGINE_OPTION_MAX; i++) g_sim.options[i] = 0;
  g_sim.options[FWPM_ENGINE_COLLECT_NET_EVENTS] = 1;
  g_sim.options[FWPM_ENGINE_NAME_CACHE] = 1;
}

void sim_init_once(void) {
  static int done;
  if (done) return;
  done = 1;
  g_sim.lock = plat_mutex_new();
  g_sim.txnFree = plat_cond_new();
  events_init();
  scenario_init();
  g_sim.nextFilterId = FIRST_FILTER_ID;
  g_sim.elevated = 1;
  reset_options_locked();
  paths_reset();
  baseline_install();
  const char *elevated = getenv("PORTCULLIS_SIM_ELEVATED");
  if (elevated && elevated[0] == '0') g_sim.elevated = 0; /* a separate process started "not elevated" */
  plat_mutex_lock(g_sim.lock);
  state_init_locked();
  plat_mutex_unlock(g_sim.lock);
}

/* Runs when the library is loaded (dlopen / LoadLibrary), before any export can be called. */
__attribute__((constructor)) static void sim_load(void) { sim_init_once(); }

SIM_API uint32_t sim_stop_scenario(void);
#ifndef _WIN32
SIM_API uint32_t sim_audit_reset(void);
#endif
static void faults_reset_locked(void);

SIM_API uint32_t sim_reset(void) {
  sim_stop_scenario();
  plat_mutex_lock(g_sim.lock);
  objects_clear_all();
  for (sim_session *s = g_sim.sessions; s; s = s->next) s->inTxn = 0;
  g_sim.txnOwner = 0;
  plat_cond_broadcast(g_sim.txnFree);
  reset_options_locked();
  g_sim.elevated = 1;
  g_sim.bfeUnavailable = 0;
  faults_reset_locked();
  paths_reset();
  plat_mutex_unlock(g_sim.lock);
  events_reset();
#ifndef _WIN32
  sim_audit_reset(); /* the audit policy is the machine's too: back to Windows' default */
#endif
  baseline_install(); /* filter ids keep counting up: a runtime id is never reused */
  plat_mutex_lock(g_sim.lock);
  state_publish_locked();
  plat_mutex_unlock(g_sim.lock);
  return 0;
}

SIM_API uint32_t sim_set_elevated(int32_t elevated) {
  plat_mutex_lock(g_sim.lock);
  g_sim.elevated = elevated != 0;
  plat_mutex_unlock(g_sim.lock);
  return 0;
}

SIM_API uint32_t sim_set_bfe_unavailable(uint32_t attempts) {
  plat_mutex_lock(g_sim.lock);
  g_sim.bfeUnavailable = attempts;
  plat_mutex_unlock(g_sim.lock);
  return 0;
}

/* ---- failures on request: what Windows does rarely, on demand ---- */

#define MAX_FAULTS 8

typedef struct fault {
  char function[48];
  uint32_t code, times;
} fault;

static fault g_faults[MAX_FAULTS];

SIM_API uint32_t sim_fail_next_call(const char *function, uint32_t code, uint32_t times) {
  if (!function || !function[0] || strlen(function) >= sizeof g_faults[0].function) return ERROR_INVALID_PARAMETER;
  plat_mutex_lock(g_sim.lock);
  fault *slot = NULL;
  for (int i = 0; i < MAX_FAULTS && !slot; i++)
    if (!strcmp(g_faults[i].function, function)) slot = &g_faults[i];
  for (int i = 0; i < MAX_FAULTS && !slot; i++)
    if (!g_faults[i].times) slot = &g_faults[i];
  uint32_t rc = 0;
  if (!slot) {
    rc = ERROR_NOT_ENOUGH_MEMORY;
  } else {
    strcpy(slot->function, function);
    slot->code = code;
    slot->times = code ? times : 0;
  }
  plat_mutex_unlock(g_sim.lock);
  return rc;
}

uint32_t sim_fault(const char *function) {
  plat_mutex_lock(g_sim.lock);
  uint32_t code = 0;
  for (int i = 0; i < MAX_FAULTS; i++)
    if (g_faults[i].times && !strcmp(g_faults[i].function, function)) {
      code = g_faults[i].code;
      g_faults[i].times--;
    }
  plat_mutex_unlock(g_sim.lock);
  return code;
}

static void faults_reset_locked(void) { memset(g_faults, 0, sizeof g_faults); }

/* The Base Filtering Engine restarts (a crash, `net stop bfe`, an update): every open session is cut off (its
   calls fail with RPC_S_SERVER_UNAVAILABLE, as over a broken RPC link), subscriptions die silently, open
   transactions are aborted and dynamic sessions' objects vanish. Persistent objects stay, with new runtime filter
   ids, because BFE numbers them again as it loads them. The next `unavailableOpens` opens fail with
   EPT_S_NOT_REGISTERED while it starts. */
SIM_API uint32_t sim_restart_engine(uint32_t unavailableOpens) {
  plat_mutex_lock(g_sim.lock);
  for (sim_session *s = g_sim.sessions; s; s = s->next) {
    if (s->stale) continue;
    if (s->inTxn) {
      objects_txn_end(s->id, 0);
      s->inTxn = 0;
      state_txn_end_locked(0);
    }
    if (s->dynamic) objects_remove_owned(s->id);
    s->stale = 1;
  }
  g_sim.txnOwner = 0;
  plat_cond_broadcast(g_sim.txnFree);
  /* Only what was added persistently is in BFE's store when it starts again. */
  for (sim_filter **pp = &g_sim.filters; *pp;) {
    sim_filter *f = *pp;
    if (!(f->flags & FWPM_FILTER_FLAG_PERSISTENT)) *pp = f->next, filter_free(f);
    else pp = &f->next;
  }
  for (sim_sublayer **pp = &g_sim.sublayers; *pp;) {
    sim_sublayer *s = *pp;
    if (!(s->flags & FWPM_SUBLAYER_FLAG_PERSISTENT)) *pp = s->next, sublayer_free(s);
    else pp = &s->next;
  }
  for (sim_provider **pp = &g_sim.providers; *pp;) {
    sim_provider *p = *pp;
    if (!(p->flags & FWPM_PROVIDER_FLAG_PERSISTENT)) *pp = p->next, provider_free(p);
    else pp = &p->next;
  }
  for (sim_filter *f = g_sim.filters; f; f = f->next) f->id = g_sim.nextFilterId++;
  state_publish_locked();
  g_sim.bfeUnavailable = unavailableOpens;
  plat_mutex_unlock(g_sim.lock);
  events_engine_restarted();
  return 0;
}
