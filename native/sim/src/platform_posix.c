#ifndef _WIN32
#include "platform.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

struct plat_mutex { pthread_mutex_t m; };
struct plat_cond { pthread_cond_t c; };
struct plat_thread { pthread_t t; void (*fn)(void *); void *arg; };

plat_mutex *plat_mutex_new(void) {
  plat_mutex *m = calloc(1, sizeof *m);
  if (m) pthread_mutex_init(&m->m, NULL);
  return m;
}
void plat_mutex_lock(plat_mutex *m) { pthread_mutex_lock(&m->m); }
void plat_mutex_unlock(plat_mutex *m) { pthread_mutex_unlock(&m->m); }
void plat_mutex_free(plat_mutex *m) {
  if (!m) return;
  pthread_mutex_destroy(&m->m);
  free(m);
}

plat_cond *plat_cond_new(void) {
  plat_cond *c = calloc(1, sizeof *c);
  if (!c) return NULL;
#ifdef __APPLE__
  pthread_cond_init(&c->c, NULL);
#else
  pthread_condattr_t a;
  pthread_condattr_init(&a);
  pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
  pthread_cond_init(&c->c, &a);
  pthread_condattr_destroy(&a);
#endif
  return c;
}
void plat_cond_wait(plat_cond *c, plat_mutex *m) { pthread_cond_wait(&c->c, &m->m); }
int plat_cond_timedwait(plat_cond *c, plat_mutex *m, uint32_t ms) {
  struct timespec ts;
#ifdef __APPLE__
  clock_gettime(CLOCK_REALTIME, &ts);
#else
  clock_gettime(CLOCK_MONOTONIC, &ts);
#endif
  ts.tv_sec += ms / 1000;
  ts.tv_nsec += (long)(ms % 1000) * 1000000L;
  if (ts.tv_nsec >= 1000000000L) {
    ts.tv_sec++;
    ts.tv_nsec -= 1000000000L;
  }
  return pthread_cond_timedwait(&c->c, &m->m, &ts) != 0;
}
void plat_cond_broadcast(plat_cond *c) { pthread_cond_broadcast(&c->c); }
void plat_cond_free(plat_cond *c) {
  if (!c) return;
  pthread_cond_destroy(&c->c);
  free(c);
}

static void *thread_main(void *p) {
  plat_thread *t = p;
  t->fn(t->arg);
  return NULL;
}
plat_thread *plat_thread_start(void (*fn)(void *), void *arg) {
  plat_thread *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->fn = fn;
  t->arg = arg;
  if (pthread_create(&t->t, NULL, thread_main, t) != 0) {
    free(t);
    return NULL;
  }
  return t;
}
void plat_thread_join(plat_thread *t) {
  pthread_join(t->t, NULL);
  free(t);
}
int plat_thread_is_current(const plat_thread *t) { return t && pthread_equal(t->t, pthread_self()); }

double plat_thread_cpu_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}
uint64_t plat_monotonic_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}
uint64_t plat_filetime_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return ((uint64_t)ts.tv_sec + 11644473600ull) * 10000000ull + (uint64_t)ts.tv_nsec / 100u;
}

static size_t page_size(void) { return (size_t)sysconf(_SC_PAGESIZE); }

uint8_t *plat_guarded_alloc(size_t size) {
  size_t ps = page_size();
  size_t data_pages = (size + ps - 1) / ps;
  if (data_pages == 0) data_pages = 1;
  size_t total = (data_pages + 1) * ps;
  uint8_t *base = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
  if (base == MAP_FAILED) return NULL;
  if (mprotect(base + data_pages * ps, ps, PROT_NONE) != 0) {
    munmap(base, total);
    return NULL;
  }
  return base + data_pages * ps - size;
}
void plat_guarded_free(uint8_t *ptr, size_t size) {
  if (!ptr) return;
  size_t ps = page_size();
  size_t data_pages = (size + ps - 1) / ps;
  if (data_pages == 0) data_pages = 1;
  uint8_t *base = ptr + size - data_pages * ps;
  munmap(base, (data_pages + 1) * ps);
}

uint64_t plat_entropy(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return ((uint64_t)ts.tv_sec << 32) ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 16);
}

uint32_t plat_query_dos_device(const uint16_t *drive, uint16_t *target, uint32_t max) {
  (void)drive;
  (void)target;
  (void)max;
  return 0;
}
void *plat_file_lock(const char *path, uint32_t timeoutMs) {
  int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return NULL;
  uint64_t deadline = plat_monotonic_ms() + timeoutMs;
  while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (plat_monotonic_ms() >= deadline) {
      close(fd);
      return NULL;
    }
    usleep(2000);
  }
  return (void *)(intptr_t)(fd + 1);
}

void plat_file_unlock(void *lock) {
  if (!lock) return;
  int fd = (int)(intptr_t)lock - 1;
  flock(fd, LOCK_UN);
  close(fd);
}

int plat_file_replace(const char *path, const uint8_t *bytes, size_t size) {
  char tmp[4096];
  if (snprintf(tmp, sizeof tmp, "%s.tmp-%u", path, (unsigned)getpid()) >= (int)sizeof tmp) return -1;
  FILE *f = fopen(tmp, "wb");
  if (!f) return -1;
  int ok = fwrite(bytes, 1, size, f) == size;
  ok = fclose(f) == 0 && ok;
  if (!ok || rename(tmp, path) != 0) {
    remove(tmp);
    return -1;
  }
  return 0;
}

uint32_t plat_process_id(void) { return (uint32_t)getpid(); }

#endif
