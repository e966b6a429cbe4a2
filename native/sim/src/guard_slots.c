/* App id blobs flush against a guard page, without a mapping per event. Mapping, protecting and unmapping pages for
   every event made the simulator's delivery dearer than the relay it feeds (munmap flushes the TLB of every CPU the
   process runs on). A few slots are mapped once and reused round-robin; a slot is taken for the duration of one
   callback, so it is reused only after that callback returned. Its bytes are poisoned on release: a reader that
   kept the pointer sees garbage, not the next event's path. Larger blobs, or all slots taken (callers on several
   threads), get a fresh mapping as before. */
#include <string.h>

#include "sim.h"

#define SLOT_COUNT 4u
#define SLOT_BYTES 8192u /* NT paths of up to 4,096 UTF-16 units; longer ones take the fresh-mapping path */
#define POISON 0xDB

typedef struct guard_slot {
  uint8_t *bytes; /* SLOT_BYTES bytes, the guard page right after them; NULL until first used */
  int busy;
} guard_slot;

static guard_slot g_slots[SLOT_COUNT];
static unsigned g_next;

uint8_t *guarded_copy(guarded_blob *g, const uint8_t *bytes, size_t size) {
  g->data = NULL;
  g->size = size;
  g->slot = -1;
  if (size <= SLOT_BYTES) {
    unsigned start = __atomic_fetch_add(&g_next, 1u, __ATOMIC_RELAXED);
    for (unsigned i = 0; i < SLOT_COUNT; i++) {
      unsigned k = (start + i) % SLOT_COUNT;
      guard_slot *s = &g_slots[k];
      if (__atomic_exchange_n(&s->busy, 1, __ATOMIC_ACQUIRE)) continue;
      if (!s->bytes) s->bytes = plat_guarded_alloc(SLOT_BYTES);
      if (!s->bytes) {
        __atomic_store_n(&s->busy, 0, __ATOMIC_RELEASE);
        break;
      }
      g->slot = (int)k;
      g->data = s->bytes + SLOT_BYTES - size;
      break;
    }
  }
  if (!g->data) g->data = plat_guarded_alloc(size);
  if (g->data && size) memcpy(g->data, bytes, size);
  return g->data;
}

void guarded_release(guarded_blob *g) {
  if (!g->data) return;
  if (g->slot < 0) {
    plat_guarded_free(g->data, g->size);
  } else {
    memset(g->data, POISON, g->size);
    __atomic_store_n(&g_slots[g->slot].busy, 0, __ATOMIC_RELEASE);
  }
  g->data = NULL;
}
