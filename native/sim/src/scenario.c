/* The scenario player: a thread that replays a file of connection attempts with their timing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files_types.h"
#include "scenario.h"

#define MAX_SCHEDULED 10000000u

typedef struct sc_item {
  uint64_t atMs;
  uint32_t entry;
} sc_item;

typedef struct scenario {
  sc_entry *entries;
  uint32_t numEntries;
  sc_item *items;
  uint32_t numItems;
  int loop;
  uint64_t periodMs;
  double speed;
} scenario;

static plat_mutex *sc_lock;
static plat_cond *sc_wake;
static plat_thread *sc_thread;
static int sc_stop;
static scenario *sc_current;

void scenario_init(void) {
  sc_lock = plat_mutex_new();
  sc_wake = plat_cond_new();
}

static void scenario_free(scenario *s) {
  if (!s) return;
  for (uint32_t i = 0; i < s->numEntries; i++) scenario_entry_free(&s->entries[i]);
  free(s->entries);
  free(s->items);
  free(s);
}

static int cmp_item(const void *pa, const void *pb) {
  const sc_item *a = pa, *b = pb;
  if (a->atMs != b->atMs) return a->atMs < b->atMs ? -1 : 1;
  return a->entry < b->entry ? -1 : a->entry > b->entry;
}

/* Reads and checks the whole file before anything plays: a bad line names its number. */
static uint32_t scenario_load(const char *path, scenario **out) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "wfpsim: cannot open scenario %s\n", path);
    return ERROR_FILE_NOT_FOUND;
  }
  scenario *s = calloc(1, sizeof *s);
  uint32_t cap = 0, rc = 0, lineNo = 0;
  uint64_t afterMs = 1000, lastMs = 0, total = 0;
  char line[8192];
  while (s && !rc && fgets(line, sizeof line, f)) {
    lineNo++;
    if (!strchr(line, '\n') && !feof(f)) {
      fprintf(stderr, "wfpsim: scenario %s line %u: longer than %u bytes\n", path, lineNo, (unsigned)sizeof line);
      rc = ERROR_INVALID_DATA;
      break;
    }
    sc_entry e;
    char err[160];
    if (!scenario_parse_line(line, &e, err, sizeof err)) {
      fprintf(stderr, "wfpsim: scenario %s line %u: %s\n", path, lineNo, err);
      rc = ERROR_INVALID_DATA;
      break;
    }
    if (e.kind == SC_BLANK) continue;
#ifndef _WIN32
    /* On Windows the real wintrust answers for real files; the demo's programs are named here. */
    if (e.hasSignature && e.app) sim_set_file_signature(e.app, e.signatureResult, e.signer);
    if (e.app) sim_files_add(e.app); /* the program exists on the simulated disk, in the case written here */
    if (e.kind == SC_ATTEMPT && e.pid && e.app) sim_set_process(e.pid, e.app);
    if (e.kind == SC_SERVICE) sim_set_service(e.serviceName, e.displayName, e.serviceType, e.pid);
#endif
    if (e.kind == SC_SERVICE) {
      scenario_entry_free(&e);
      continue;
    }
    if (e.kind == SC_LOOP) {
      s->loop = e.loop;
      if (e.hasAfter) afterMs = e.afterMs;
      continue;
    }
    if (s->numEntries == cap) {
      cap = cap ? cap * 2 : 64;
      sc_entry *grown = realloc(s->entries, cap * sizeof *grown);
      if (!grown) {
        scenario_entry_free(&e);
        rc = ERROR_NOT_ENOUGH_MEMORY;
        break;
      }
      s->entries = grown;
    }
    s->entries[s->numEntries++] = e;
    total += e.repeat;
    uint64_t end = e.atMs + (uint64_t)(e.repeat - 1) * e.everyMs;
    if (end > lastMs) lastMs = end;
  }
  fclose(f);
  if (!s) return ERROR_NOT_ENOUGH_MEMORY;
  if (!rc && total > MAX_SCHEDULED) {
    fprintf(stderr, "wfpsim: scenario %s schedules more than %u attempts\n", path, MAX_SCHEDULED);
    rc = ERROR_INVALID_DATA;
  }
  if (!rc && total) {
    s->items = malloc(total * sizeof *s->items);
    if (!s->items) rc = ERROR_NOT_ENOUGH_MEMORY;
  }
  if (rc) {
    scenario_free(s);
    return rc;
  }
  for (uint32_t i = 0; i < s->numEntries; i++)
    for (uint32_t k = 0; k < s->entries[i].repeat; k++)
      s->items[s->numItems++] = (sc_item){s->entries[i].atMs + (uint64_t)k * s->entries[i].everyMs, i};
  qsort(s->items, s->numItems, sizeof *s->items, cmp_item);
  s->periodMs = lastMs + afterMs;
  *out = s;
  return 0;
}

/* Waits until `target` (monotonic ms) or a stop request; returns 0 when asked to stop. */
static int wait_until(uint64_t target) {
  plat_mutex_lock(sc_lock);
  for (;;) {
    if (sc_stop) break;
    uint64_t now = plat_monotonic_ms();
    if (now >= target) break;
    uint64_t left = target - now;
    plat_cond_timedwait(sc_wake, sc_lock, left > 1000 ? 1000u : (uint32_t)left);
  }
  int go = !sc_stop;
  plat_mutex_unlock(sc_lock);
  return go;
}

static void player_main(void *arg) {
  scenario *s = arg;
  uint64_t start = plat_monotonic_ms();
  double speed = s->speed;
  do {
    for (uint32_t i = 0; i < s->numItems; i++) {
      uint64_t offset = speed > 0 ? (uint64_t)((double)s->items[i].atMs / speed) : 0;
      if (!wait_until(start + offset)) return;
      const sc_entry *e = &s->entries[s->items[i].entry];
#ifndef _WIN32
      if (e->dnsName) sim_dns_answer_for_app(e->app, e->dnsName, e->remote);
#endif
      SIM_CONNECTION c = {e->app, e->userSid, e->packageSid, e->local, e->remote, e->scopeId,
                          e->localPort, e->remotePort, e->protocol, e->direction};
      sim_attempt_pid(&c, e->pid, 1, NULL);
    }
    start += speed > 0 ? (uint64_t)((double)s->periodMs / speed) : 0;
    if (s->loop && !wait_until(start)) return;
  } while (s->loop);
}

SIM_API uint32_t sim_stop_scenario(void) {
  plat_mutex_lock(sc_lock);
  plat_thread *t = sc_thread;
  scenario *s = sc_current;
  sc_thread = NULL;
  sc_current = NULL;
  sc_stop = 1;
  plat_cond_broadcast(sc_wake);
  plat_mutex_unlock(sc_lock);
  if (t) plat_thread_join(t);
  scenario_free(s);
  return 0;
}

static int env_flag(const char *name) {
  const char *v = getenv(name);
  return v && *v && strcmp(v, "0") != 0 && strcmp(v, "false") != 0;
}

SIM_API uint32_t sim_play_scenario(const char *path, double speed) {
  if (!path || !*path || speed < 0) return ERROR_INVALID_PARAMETER;
  sim_stop_scenario();
  scenario *s = NULL;
  uint32_t rc = scenario_load(path, &s);
  if (rc) return rc;
  s->speed = speed;
  if (env_flag("PORTCULLIS_SIM_SCENARIO_LOOP")) s->loop = 1;
  plat_mutex_lock(sc_lock);
  sc_stop = 0;
  sc_current = s;
  sc_thread = plat_thread_start(player_main, s);
  if (!sc_thread) {
    sc_current = NULL;
    rc = ERROR_NOT_ENOUGH_MEMORY;
  }
  plat_mutex_unlock(sc_lock);
  if (rc) scenario_free(s);
  return rc;
}

void scenario_autostart(void) {
  static int started;
  plat_mutex_lock(sc_lock);
  int first = !started;
  started = 1;
  plat_mutex_unlock(sc_lock);
  if (!first) return;
  const char *path = getenv("PORTCULLIS_SIM_SCENARIO");
  if (!path || !*path) return;
  const char *sp = getenv("PORTCULLIS_SIM_SCENARIO_SPEED");
  double speed = sp && *sp ? strtod(sp, NULL) : 1.0;
  if (speed < 0) speed = 1.0;
  uint32_t rc = sim_play_scenario(path, speed);
  if (rc) fprintf(stderr, "wfpsim: PORTCULLIS_SIM_SCENARIO=%s not played (error %u)\n", path, rc);
}
