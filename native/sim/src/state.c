/* PORTCULLIS_SIM_STATE=<file>: one Base Filtering Engine for several processes. BFE is one service per machine:
   the app, `portcullis mode enforce` and `portcullis status` all talk to it and see the same providers, sublayers,
   filters and engine options, and what was added persistently survives them all. Here every process has its own
   copy of the simulator, so that state lives in a file: loaded when it changed, written when a change commits.

   BFE serialises writers machine-wide (one transaction at a time); so does this, with a lock on <file>.lock held from
   FwpmTransactionBegin0 to Commit/Abort (or around one write made outside a transaction), the state reloaded as the
   lock is taken. Objects of dynamic sessions stay in their process (they vanish with the session anyway).

   The structs are written whole, their pointer members replaced by what they point to (listed below): a pointer
   member added to sim_provider, sim_sublayer, sim_filter or sim_cond needs a line here too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

#define MAGIC "PCSIMST1"
#define DEFAULT_WAIT_MS 15000u

typedef struct file_header {
  char magic[8];
  uint64_t generation;
  uint64_t nextFilterId;
  uint32_t options[FWPM_ENGINE_OPTION_MAX];
  uint32_t providers, sublayers, filters;
  uint32_t structSizes[4]; /* provider, sublayer, filter, cond: a file from another build is not read */
} file_header;

static struct {
  const char *path;
  char lockPath[4096];
  void *lock;
  int implicitWrite; /* a write outside a transaction holds the lock until this process's next call */
  int inBegin;       /* FwpmTransactionBegin0 is taking the lock itself */
  uint64_t generation;
} g_state;

/* ---- writing ---- */

typedef struct buf {
  uint8_t *p;
  size_t len, cap;
  int failed;
} buf;

static void put(buf *b, const void *data, size_t n) {
  if (b->failed || !n) return;
  if (b->len + n > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 4096;
    while (cap < b->len + n) cap *= 2;
    uint8_t *p = realloc(b->p, cap);
    if (!p) {
      b->failed = 1;
      return;
    }
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->len, data, n);
  b->len += n;
}

static void put_u16s(buf *b, const char16_t *s) {
  uint32_t n = s ? (uint32_t)u16_len(s) + 1 : 0;
  put(b, &n, sizeof n);
  put(b, s, n * sizeof(char16_t));
}

static void put_blob(buf *b, const uint8_t *data, uint32_t size) {
  uint32_t n = data ? size : 0;
  put(b, &n, sizeof n);
  put(b, data, n);
}

static int shared(const obj_state *st) { return !st->owner && !st->pendAdd; }

static void state_save_locked(void) {
  file_header h;
  memset(&h, 0, sizeof h);
  memcpy(h.magic, MAGIC, 8);
  h.generation = g_state.generation + 1;
  h.nextFilterId = g_sim.nextFilterId;
  memcpy(h.options, g_sim.options, sizeof h.options);
  h.structSizes[0] = sizeof(sim_provider);
  h.structSizes[1] = sizeof(sim_sublayer);
  h.structSizes[2] = sizeof(sim_filter);
  h.structSizes[3] = sizeof(sim_cond);
  for (sim_provider *p = g_sim.providers; p; p = p->next) h.providers += shared(&p->st);
  for (sim_sublayer *s = g_sim.sublayers; s; s = s->next) h.sublayers += shared(&s->st);
  for (sim_filter *f = g_sim.filters; f; f = f->next) h.filters += shared(&f->st);
  buf b = {0};
  put(&b, &h, sizeof h);
  for (sim_provider *p = g_sim.providers; p; p = p->next) {
    if (!shared(&p->st)) continue;
    put(&b, p, sizeof *p);
    put_u16s(&b, p->name);
    put_u16s(&b, p->description);
    put_u16s(&b, p->serviceName);
    put_blob(&b, p->data, p->dataSize);
  }
  for (sim_sublayer *s = g_sim.sublayers; s; s = s->next) {
    if (!shared(&s->st)) continue;
    put(&b, s, sizeof *s);
    put_u16s(&b, s->name);
    put_u16s(&b, s->description);
    put_blob(&b, s->data, s->dataSize);
  }
  for (sim_filter *f = g_sim.filters; f; f = f->next) {
    if (!shared(&f->st)) continue;
    put(&b, f, sizeof *f);
    put_u16s(&b, f->name);
    put_u16s(&b, f->description);
    put_blob(&b, f->data, f->dataSize);
    for (uint32_t i = 0; i < f->numConds; i++) {
      put(&b, &f->conds[i], sizeof f->conds[i]);
      put_blob(&b, f->conds[i].blob, f->conds[i].blobSize);
    }
  }
  if (b.failed || plat_file_replace(g_state.path, b.p, b.len))
    fprintf(stderr, "wfpsim: could not write the shared state to %s\n", g_state.path);
  else
    g_state.generation = h.generation;
  free(b.p);
}

/* ---- reading ---- */

typedef struct cursor {
  const uint8_t *p, *end;
  int failed;
} cursor;

static void take(cursor *c, void *out, size_t n) {
  if (c->failed || (size_t)(c->end - c->p) < n) {
    c->failed = 1;
    memset(out, 0, n);
    return;
  }
  memcpy(out, c->p, n);
  c->p += n;
}

static uint8_t *take_bytes(cursor *c, uint32_t *size) {
  uint32_t n = 0;
  take(c, &n, sizeof n);
  *size = 0;
  if (c->failed || !n) return NULL;
  if ((size_t)(c->end - c->p) < n) {
    c->failed = 1;
    return NULL;
  }
  uint8_t *d = malloc(n);
  if (!d) {
    c->failed = 1;
    return NULL;
  }
  memcpy(d, c->p, n);
  c->p += n;
  *size = n;
  return d;
}

static char16_t *take_u16s(cursor *c) {
  uint32_t n = 0;
  take(c, &n, sizeof n);
  if (c->failed || !n) return NULL;
  if (n > (size_t)(c->end - c->p) / sizeof(char16_t)) {
    c->failed = 1;
    return NULL;
  }
  char16_t *s = malloc(n * sizeof(char16_t));
  if (!s) {
    c->failed = 1;
    return NULL;
  }
  memcpy(s, c->p, n * sizeof(char16_t));
  s[n - 1] = 0;
  c->p += n * sizeof(char16_t);
  return s;
}

static uint8_t *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  uint8_t *data = NULL;
  size_t len = 0, cap = 0;
  for (;;) {
    if (len == cap) {
      size_t ncap = cap ? cap * 2 : 65536;
      uint8_t *p = realloc(data, ncap);
      if (!p) {
        free(data);
        fclose(f);
        return NULL;
      }
      data = p;
      cap = ncap;
    }
    size_t n = fread(data + len, 1, cap - len, f);
    if (!n) break;
    len += n;
  }
  fclose(f);
  *size = len;
  return data;
}

static int header_of(const uint8_t *data, size_t size, file_header *h) {
  if (size < sizeof *h) return 0;
  memcpy(h, data, sizeof *h);
  return !memcmp(h->magic, MAGIC, 8) && h->structSizes[0] == sizeof(sim_provider) &&
         h->structSizes[1] == sizeof(sim_sublayer) && h->structSizes[2] == sizeof(sim_filter) &&
         h->structSizes[3] == sizeof(sim_cond);
}

#define APPEND(list, type, obj)               \
  do {                                        \
    type **pp_ = &(list);                     \
    while (*pp_) pp_ = &(*pp_)->next;         \
    *pp_ = (obj);                             \
  } while (0)

static void remove_shared_locked(void) {
  for (sim_filter **pp = &g_sim.filters; *pp;) {
    sim_filter *f = *pp;
    if (shared(&f->st)) *pp = f->next, filter_free(f);
    else pp = &f->next;
  }
  for (sim_sublayer **pp = &g_sim.sublayers; *pp;) {
    sim_sublayer *s = *pp;
    if (shared(&s->st)) *pp = s->next, sublayer_free(s);
    else pp = &s->next;
  }
  for (sim_provider **pp = &g_sim.providers; *pp;) {
    sim_provider *p = *pp;
    if (shared(&p->st)) *pp = p->next, provider_free(p);
    else pp = &p->next;
  }
}

/* Replaces this process's copy of the shared objects by the file's. 1: loaded; 0: no usable file (nothing changed). */
static int state_load_locked(const uint8_t *data, size_t size) {
  file_header h;
  if (!header_of(data, size, &h)) return 0;
  cursor c = {data + sizeof h, data + size, 0};
  /* Parsed in full before anything is replaced: a torn or foreign file changes nothing. */
  sim_provider *providers = NULL;
  sim_sublayer *sublayers = NULL;
  sim_filter *filters = NULL;
  for (uint32_t i = 0; i < h.providers && !c.failed; i++) {
    sim_provider *p = calloc(1, sizeof *p);
    if (!p) break;
    take(&c, p, sizeof *p);
    p->next = NULL;
    p->name = take_u16s(&c);
    p->description = take_u16s(&c);
    p->serviceName = take_u16s(&c);
    p->data = take_bytes(&c, &p->dataSize);
    memset(&p->st, 0, sizeof p->st);
    APPEND(providers, sim_provider, p);
  }
  for (uint32_t i = 0; i < h.sublayers && !c.failed; i++) {
    sim_sublayer *s = calloc(1, sizeof *s);
    if (!s) break;
    take(&c, s, sizeof *s);
    s->next = NULL;
    s->name = take_u16s(&c);
    s->description = take_u16s(&c);
    s->data = take_bytes(&c, &s->dataSize);
    memset(&s->st, 0, sizeof s->st);
    APPEND(sublayers, sim_sublayer, s);
  }
  for (uint32_t i = 0; i < h.filters && !c.failed; i++) {
    sim_filter *f = calloc(1, sizeof *f);
    if (!f) break;
    take(&c, f, sizeof *f);
    f->next = NULL;
    f->name = f->description = NULL;
    f->data = NULL;
    uint32_t n = f->numConds;
    f->numConds = 0;
    f->conds = NULL;
    memset(&f->st, 0, sizeof f->st);
    APPEND(filters, sim_filter, f);
    f->name = take_u16s(&c);
    f->description = take_u16s(&c);
    f->data = take_bytes(&c, &f->dataSize);
    if (n > 4096) c.failed = 1;
    if (!c.failed && n) {
      f->conds = calloc(n, sizeof *f->conds);
      if (!f->conds) c.failed = 1;
    }
    for (uint32_t k = 0; k < n && !c.failed; k++) {
      take(&c, &f->conds[k], sizeof f->conds[k]);
      f->conds[k].blob = NULL;
      f->numConds = k + 1;
      f->conds[k].blob = take_bytes(&c, &f->conds[k].blobSize);
    }
  }
  if (c.failed) {
    while (filters) { sim_filter *n = filters->next; filter_free(filters); filters = n; }
    while (sublayers) { sim_sublayer *n = sublayers->next; sublayer_free(sublayers); sublayers = n; }
    while (providers) { sim_provider *n = providers->next; provider_free(providers); providers = n; }
    fprintf(stderr, "wfpsim: %s is not a state file this simulator wrote; ignored\n", g_state.path);
    return 0;
  }
  remove_shared_locked();
  APPEND(g_sim.providers, sim_provider, providers);
  APPEND(g_sim.sublayers, sim_sublayer, sublayers);
  APPEND(g_sim.filters, sim_filter, filters);
  if (h.nextFilterId > g_sim.nextFilterId) g_sim.nextFilterId = h.nextFilterId;
  memcpy(g_sim.options, h.options, sizeof h.options);
  g_state.generation = h.generation;
  return 1;
}

/* Reloads when another process has written since we last read or wrote. */
static void refresh_locked(void) {
  size_t size = 0;
  uint8_t *data = read_file(g_state.path, &size);
  if (!data) return;
  file_header h;
  if (header_of(data, size, &h) && h.generation != g_state.generation) state_load_locked(data, size);
  free(data);
}

/* ---- hooks (g_sim.lock held) ---- */

int state_enabled(void) { return g_state.path != NULL; }

void state_init_locked(void) {
  const char *path = getenv("PORTCULLIS_SIM_STATE");
  if (!path || !path[0] || strlen(path) > sizeof g_state.lockPath - 8) return;
  g_state.path = path;
  snprintf(g_state.lockPath, sizeof g_state.lockPath, "%s.lock", path);
  void *lock = plat_file_lock(g_state.lockPath, DEFAULT_WAIT_MS);
  size_t size = 0;
  uint8_t *data = read_file(path, &size);
  int loaded = data && state_load_locked(data, size);
  free(data);
  if (!loaded) state_save_locked(); /* a fresh machine: this process's baseline becomes everyone's */
  plat_file_unlock(lock);
}

static void finish_implicit_locked(void) {
  if (!g_state.implicitWrite) return;
  g_state.implicitWrite = 0;
  state_save_locked();
  plat_file_unlock(g_state.lock);
  g_state.lock = NULL;
}

uint32_t state_before_call_locked(const sim_session *s, int writes) {
  if (!g_state.path) return 0;
  finish_implicit_locked();
  if (g_state.lock) return 0; /* a transaction of this process holds it: this process's copy is the truth */
  if (writes && !s->inTxn && !g_state.inBegin) {
    uint32_t wait = s->txnTimeoutMs ? s->txnTimeoutMs : DEFAULT_WAIT_MS;
    if (!(g_state.lock = plat_file_lock(g_state.lockPath, wait))) return FWP_E_TIMEOUT;
    g_state.implicitWrite = 1;
  }
  refresh_locked();
  return 0;
}

uint32_t state_txn_begin_locked(const sim_session *s) {
  if (!g_state.path) return 0;
  finish_implicit_locked();
  uint32_t wait = s->txnTimeoutMs ? s->txnTimeoutMs : DEFAULT_WAIT_MS;
  if (!(g_state.lock = plat_file_lock(g_state.lockPath, wait))) return FWP_E_TIMEOUT;
  refresh_locked();
  return 0;
}

void state_txn_end_locked(int commit) {
  if (!g_state.path || !g_state.lock) return;
  if (commit) state_save_locked();
  plat_file_unlock(g_state.lock);
  g_state.lock = NULL;
}

void state_begin_flag(int on) { g_state.inBegin = on; }

/* A change made outside the API (sim_reset, sim_restart_engine): written at once, under the lock. */
void state_publish_locked(void) {
  if (!g_state.path) return;
  finish_implicit_locked();
  if (g_state.lock) return; /* a transaction is open here: its commit writes */
  void *lock = plat_file_lock(g_state.lockPath, DEFAULT_WAIT_MS);
  state_save_locked();
  plat_file_unlock(lock);
}

/* Classification reads the machine's filters: take in what other processes committed. */
void state_refresh_locked(void) {
  if (!g_state.path) return;
  finish_implicit_locked();
  if (!g_state.lock) refresh_locked();
}

__attribute__((destructor)) static void state_exit(void) {
  if (!g_state.path || !g_sim.lock) return;
  plat_mutex_lock(g_sim.lock);
  finish_implicit_locked();
  plat_mutex_unlock(g_sim.lock);
}
