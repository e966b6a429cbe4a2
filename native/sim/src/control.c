/* Library start-up and the machine-wide switches of the control API. */
#include <stdlib.h>

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
}

/* Runs when the library is loaded (dlopen / LoadLibrary), before any export can be called. */
__attribute__((constructor)) static void sim_load(void) { sim_init_once(); }

SIM_API uint32_t sim_stop_scenario(void);

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
  paths_reset();
  plat_mutex_unlock(g_sim.lock);
  events_reset();
  baseline_install(); /* filter ids keep counting up: a runtime id is never reused */
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
