/* sim_bench_flood_start / _stop (include/sim_bench.h): attempts made at a steady rate by a thread of the
   simulator's own, so that a benchmark of the subscriber's CPU does not run the network's work on its JS thread
   (its timer wakes, its allocations, its calls) and can leave the maker's thread out exactly. */
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "../include/sim_bench.h"

#ifndef ERROR_BUSY
#define ERROR_BUSY 170u
#endif
#ifndef ERROR_INVALID_STATE
#define ERROR_INVALID_STATE 5023u
#endif

typedef struct flood {
  SIM_CONNECTION *attempts;
  uint32_t *repeats;
  uint32_t count, rate, tickMs;
  plat_mutex *lock;
  plat_cond *wake;
  int stop;
  uint64_t made, notBlocked;
  double cpuMs;
  plat_thread *thread;
} flood;

static flood *g_flood;

static char *dup8(const char *s) {
  if (!s) return NULL;
  size_t n = strlen(s) + 1;
  char *c = malloc(n);
  if (c) memcpy(c, s, n);
  return c;
}

static void flood_free(flood *f) {
  if (!f) return;
  for (uint32_t i = 0; f->attempts && i < f->count; i++) {
    SIM_CONNECTION *c = &f->attempts[i];
    free((void *)c->appPath);
    free((void *)c->userSid);
    free((void *)c->packageSid);
    free((void *)c->localAddress);
    free((void *)c->remoteAddress);
  }
  free(f->attempts);
  free(f->repeats);
  plat_cond_free(f->wake);
  plat_mutex_free(f->lock);
  free(f);
}

/* A deep copy of `src`: 0 when a string could not be copied. */
static int copy_attempt(SIM_CONNECTION *dst, const SIM_CONNECTION *src) {
  *dst = *src;
  dst->appPath = u16_dup(src->appPath);
  dst->userSid = u16_dup(src->userSid);
  dst->packageSid = u16_dup(src->packageSid);
  dst->localAddress = dup8(src->localAddress);
  dst->remoteAddress = dup8(src->remoteAddress);
  return (!src->appPath || dst->appPath) && (!src->userSid || dst->userSid) &&
         (!src->packageSid || dst->packageSid) && (!src->localAddress || dst->localAddress) &&
         (!src->remoteAddress || dst->remoteAddress);
}

static void flood_main(void *arg) {
  flood *f = arg;
  double cpu0 = plat_thread_cpu_ms();
  uint64_t start = plat_monotonic_ms();
  uint32_t next = 0, leftOfNext = f->count ? f->repeats[0] : 0;
  plat_mutex_lock(f->lock);
  while (!f->stop) {
    plat_mutex_unlock(f->lock);
    uint64_t due = (plat_monotonic_ms() - start) * f->rate / 1000;
    while (f->made < due && next < f->count) {
      uint64_t want = due - f->made;
      uint32_t n = leftOfNext < want ? leftOfNext : (uint32_t)want;
      if (n) {
        uint64_t filterId = 0;
        if (sim_connect_repeat(&f->attempts[next], n, &filterId) != FWP_ACTION_BLOCK) f->notBlocked += n;
        f->made += n;
        leftOfNext -= n;
      }
      if (!leftOfNext && ++next < f->count) leftOfNext = f->repeats[next];
    }
    plat_mutex_lock(f->lock);
    if (!f->stop) plat_cond_timedwait(f->wake, f->lock, f->tickMs);
  }
  plat_mutex_unlock(f->lock);
  f->cpuMs = plat_thread_cpu_ms() - cpu0;
}

SIM_API uint32_t sim_bench_flood_start(const SIM_CONNECTION *attempts, const uint32_t *repeats, uint32_t count,
                                       uint32_t ratePerSecond, uint32_t tickMs) {
  if (!attempts || !repeats || !count || !ratePerSecond || !tickMs) return ERROR_INVALID_PARAMETER;
  if (g_flood) return ERROR_BUSY;
  flood *f = calloc(1, sizeof *f);
  if (!f) return ERROR_NOT_ENOUGH_MEMORY;
  f->attempts = calloc(count, sizeof *f->attempts);
  f->repeats = malloc(count * sizeof *f->repeats);
  if (!f->attempts || !f->repeats) goto fail;
  for (; f->count < count; f->count++)
    if (!copy_attempt(&f->attempts[f->count], &attempts[f->count])) {
      f->count++; /* its copied strings are freed with the rest */
      goto fail;
    }
  memcpy(f->repeats, repeats, count * sizeof *repeats);
  f->rate = ratePerSecond;
  f->tickMs = tickMs;
  if (!(f->lock = plat_mutex_new()) || !(f->wake = plat_cond_new())) goto fail;
  if (!(f->thread = plat_thread_start(flood_main, f))) goto fail;
  g_flood = f;
  return 0;
fail:
  flood_free(f);
  return ERROR_NOT_ENOUGH_MEMORY;
}

SIM_API uint32_t sim_bench_flood_stop(uint64_t *made, uint64_t *notBlocked, double *cpuMs) {
  flood *f = g_flood;
  if (!f) return ERROR_INVALID_STATE;
  plat_mutex_lock(f->lock);
  f->stop = 1;
  plat_cond_broadcast(f->wake);
  plat_mutex_unlock(f->lock);
  plat_thread_join(f->thread);
  g_flood = NULL;
  if (made) *made = f->made;
  if (notBlocked) *notBlocked = f->notBlocked;
  if (cpuMs) *cpuMs = f->cpuMs;
  flood_free(f);
  return 0;
}
