#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

/* Every block handed to a caller (FwpmFilterGetById0, FwpmFilterEnum0, FwpmEngineGetOption0,
   FwpmGetAppIdFromFileName0 ...) is one arena: the caller's pointer is the first allocation, and
   FwpmFreeMemory0 on it releases everything the block points into. */

#define ARENA_MAGIC 0x3053454D4D505746ull /* "FWPMMES0" */
#define ARENA_DEAD 0x4441454444414544ull
#define FIRST_CAP 4096u

typedef struct chunk {
  struct chunk *next;
  size_t used, cap;
  _Alignas(16) uint8_t data[];
} chunk;

struct arena {
  _Alignas(16) uint64_t magic;
  chunk *more;
  size_t used, cap;
};

static size_t round16(size_t n) { return (n + 15) & ~(size_t)15; }

arena *arena_new(void) {
  arena *a = calloc(1, sizeof(arena) + FIRST_CAP);
  if (!a) return NULL;
  a->magic = ARENA_MAGIC;
  a->cap = FIRST_CAP;
  return a;
}

void *arena_root(arena *a) { return (uint8_t *)a + sizeof(arena); }

void *arena_alloc(arena *a, size_t n) {
  n = round16(n ? n : 1);
  if (a->used + n <= a->cap) {
    void *p = (uint8_t *)a + sizeof(arena) + a->used;
    a->used += n;
    return p;
  }
  if (a->more && a->more->used + n <= a->more->cap) {
    void *p = a->more->data + a->more->used;
    a->more->used += n;
    return p;
  }
  size_t cap = n > 16384 ? n : 16384;
  chunk *c = calloc(1, sizeof(chunk) + cap);
  if (!c) {
    fprintf(stderr, "wfpsim: out of memory\n");
    abort();
  }
  c->cap = cap;
  c->used = n;
  c->next = a->more;
  a->more = c;
  return c->data;
}

char16_t *arena_u16(arena *a, const char16_t *s) {
  if (!s) return NULL;
  size_t n = (u16_len(s) + 1) * sizeof(char16_t);
  char16_t *d = arena_alloc(a, n);
  memcpy(d, s, n);
  return d;
}

void arena_discard(arena *a) {
  if (!a) return;
  chunk *c = a->more;
  while (c) {
    chunk *n = c->next;
    free(c);
    c = n;
  }
  a->magic = ARENA_DEAD;
  free(a);
}

int arena_free_root(void *root) {
  arena *a = (arena *)((uint8_t *)root - sizeof(arena));
  if (a->magic != ARENA_MAGIC) return 0;
  arena_discard(a);
  return 1;
}
