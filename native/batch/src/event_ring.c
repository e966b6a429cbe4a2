/* See include/event_ring.h. One ring per subscription: WFP's delivery thread(s) write (a spin lock keeps two
   writers apart; WFP normally delivers from one thread), the JS thread reads. Positions only grow; a record never
   wraps: when it does not fit before the end, the rest of the buffer is skipped with a marker. */
#if defined(__linux__)
#define _POSIX_C_SOURCE 200809L
#endif
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "../include/event_ring.h"
#include "safe_copy.h"

#if defined(_WIN32)
#include <windows.h>
static void pause_1ms(void) { Sleep(1); }
#else
#include <time.h>
static void pause_1ms(void) {
  struct timespec t = {0, 1000000};
  nanosleep(&t, NULL);
}
#endif

#define WRAP_MARKER 0xFFFFFFFFu
#define RECORD_HEADER 8u
#define PC_SID_HEAD 8u
#define PC_SID_MAX_SUB_AUTHORITIES 15u
#define MIN_CAPACITY (128u * 1024u)

struct pc_ring {
  pc_ring_layout layout;
  uint8_t *buffer;
  uint64_t capacity;
  _Atomic uint64_t writePos;
  _Atomic uint64_t readPos;
  atomic_flag writing;
  _Atomic uint64_t accepted;
  _Atomic uint64_t dropped;
  uint32_t fullWaitMs;
  /* Set after a wait ran out (the reader is not reading): drop at once until there is room again. */
  atomic_int overflowing;
  atomic_int closed;
};

static uint32_t align8(uint32_t n) { return (n + 7u) & ~7u; }

static uint32_t read_u32(const uint8_t *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

static const uint8_t *read_ptr(const uint8_t *p) {
  const uint8_t *v;
  memcpy(&v, p, sizeof v);
  return v;
}

static void write_ptr(uint8_t *p, const void *v) { memcpy(p, &v, sizeof v); }

PC_API pc_ring *pc_ring_create(const pc_ring_layout *layout, uint32_t capacityBytes, uint32_t fullWaitMs) {
  if (!layout || layout->eventSize == 0 || layout->eventSize > 4096 || capacityBytes < MIN_CAPACITY) return NULL;
  pc_ring *ring = calloc(1, sizeof *ring);
  if (!ring) return NULL;
  ring->layout = *layout;
  ring->capacity = capacityBytes & ~7u;
  ring->buffer = malloc((size_t)ring->capacity);
  if (!ring->buffer) {
    free(ring);
    return NULL;
  }
  atomic_init(&ring->writePos, 0);
  atomic_init(&ring->readPos, 0);
  atomic_flag_clear(&ring->writing);
  atomic_init(&ring->accepted, 0);
  atomic_init(&ring->dropped, 0);
  atomic_init(&ring->overflowing, 0);
  atomic_init(&ring->closed, 0);
  ring->fullWaitMs = fullWaitMs;
  return ring;
}

PC_API void pc_ring_close(pc_ring *ring) {
  if (ring) atomic_store(&ring->closed, 1);
}

PC_API void pc_ring_destroy(pc_ring *ring) {
  if (!ring) return;
  free(ring->buffer);
  free(ring);
}

PC_API void *pc_ring_callback(void) { return (void *)(uintptr_t)&pc_ring_on_event; }

static uint32_t sid_bytes(const uint8_t *sid) {
  uint8_t head[PC_SID_HEAD];
  memcpy(head, sid, PC_SID_HEAD);
  /* The decoder reads 8 bytes, then the length they state if they are a SID. */
  if (head[0] != 1 || head[1] > PC_SID_MAX_SUB_AUTHORITIES) return PC_SID_HEAD;
  return PC_SID_HEAD + 4u * head[1];
}

PC_API void PC_CALLBACK pc_ring_on_event(void *context, const void *eventPtr) {
  pc_ring *ring = context;
  const uint8_t *event = eventPtr;
  if (!ring || !event) return;
  const pc_ring_layout *L = &ring->layout;

  uint32_t flags = read_u32(event + L->flagsOffset);
  uint32_t type = read_u32(event + L->typeOffset);
  const uint8_t *detail = read_ptr(event + L->unionOffset);
  uint32_t detailSize = type < PC_EVENT_TYPES && detail ? L->detailSize[type] : 0;

  const uint8_t *appId = NULL;
  uint32_t appIdSize = read_u32(event + L->appIdSizeOffset);
  uint32_t appIdCopy = 0;
  int appIdTooLarge = 0;
  if (flags & L->appIdFlag) {
    appId = read_ptr(event + L->appIdDataOffset);
    if (appId && appIdSize > L->maxAppIdBytes) appIdTooLarge = 1;
    else if (appId && appIdSize >= 2) appIdCopy = pc_utf16_extent(appId, appIdSize & ~1u);
  }
  const uint8_t *user = flags & L->userIdFlag ? read_ptr(event + L->userIdOffset) : NULL;
  const uint8_t *package =
      L->packageSidOffset != PC_NO_OFFSET && (flags & L->packageIdFlag) ? read_ptr(event + L->packageSidOffset) : NULL;
  uint32_t userSize = user ? sid_bytes(user) : 0;
  uint32_t packageSize = package ? sid_bytes(package) : 0;

  uint32_t eventBytes = align8(L->eventSize);
  uint32_t total = RECORD_HEADER + eventBytes + align8(detailSize) + align8(appIdCopy) + align8(userSize) +
                   align8(packageSize);

  uint64_t write, at, skip;
  for (uint32_t waited = 0;; waited++) {
    while (atomic_flag_test_and_set_explicit(&ring->writing, memory_order_acquire)) {
    }
    write = atomic_load_explicit(&ring->writePos, memory_order_relaxed);
    uint64_t read = atomic_load_explicit(&ring->readPos, memory_order_acquire);
    at = write % ring->capacity;
    skip = at + total > ring->capacity ? ring->capacity - at : 0;
    if (write - read + skip + total <= ring->capacity) {
      atomic_store(&ring->overflowing, 0);
      break;
    }
    atomic_flag_clear_explicit(&ring->writing, memory_order_release);
    /* Full: a burst waits a little for the reader (WFP keeps queueing meanwhile, and counts what it loses); a
       reader that does not come back, or a closing ring, means drop and count, never block for long. */
    if (waited >= ring->fullWaitMs || atomic_load(&ring->overflowing) || atomic_load(&ring->closed)) {
      if (waited >= ring->fullWaitMs) atomic_store(&ring->overflowing, 1);
      atomic_fetch_add_explicit(&ring->dropped, 1, memory_order_relaxed);
      return;
    }
    pause_1ms();
  }
  if (skip) {
    uint32_t marker = WRAP_MARKER;
    memcpy(ring->buffer + at, &marker, 4);
    at = 0;
  }
  uint8_t *record = ring->buffer + at;
  memcpy(record, &total, 4);
  /* Where the record lies in the ring: a reader that copies it out finds what its pointers lead to by this. */
  uint32_t where = (uint32_t)at;
  memcpy(record + 4, &where, 4);
  uint8_t *copy = record + RECORD_HEADER;
  memcpy(copy, event, L->eventSize);
  uint8_t *next = copy + eventBytes;

  /* Every pointer the decoder follows now leads into this record; the others are never read by it. */
  if (detailSize) {
    memcpy(next, detail, detailSize);
    write_ptr(copy + L->unionOffset, next);
    next += align8(detailSize);
  } else {
    write_ptr(copy + L->unionOffset, NULL); /* NULL stays NULL; other types' details the decoder never reads */
  }
  if (flags & L->appIdFlag) {
    if (appIdTooLarge) {
      write_ptr(copy + L->appIdDataOffset, copy); /* not NULL, never read: the decoder rejects the size first */
    } else if (appId && appIdSize >= 2) {
      uint32_t got = pc_safe_copy(next, appId, appIdCopy);
      memcpy(copy + L->appIdSizeOffset, &got, 4);
      write_ptr(copy + L->appIdDataOffset, next);
      next += align8(appIdCopy);
    } else if (appId) {
      write_ptr(copy + L->appIdDataOffset, copy); /* size 0 or 1: the decoder reads nothing */
    }
  }
  if (user) {
    memcpy(next, user, userSize);
    write_ptr(copy + L->userIdOffset, next);
    next += align8(userSize);
  }
  if (package) {
    memcpy(next, package, packageSize);
    write_ptr(copy + L->packageSidOffset, next);
  }
  atomic_store_explicit(&ring->writePos, write + skip + total, memory_order_release);
  atomic_flag_clear_explicit(&ring->writing, memory_order_release);
  atomic_fetch_add_explicit(&ring->accepted, 1, memory_order_relaxed);
}

PC_API uint32_t pc_ring_copy(pc_ring *ring, uint8_t *out, uint32_t outBytes, uint32_t max) {
  if (!ring || !out) return 0;
  uint64_t pos = atomic_load_explicit(&ring->readPos, memory_order_relaxed);
  uint64_t end = atomic_load_explicit(&ring->writePos, memory_order_acquire);
  uint32_t n = 0;
  uint32_t used = 0;
  while (pos < end && n < max) {
    uint64_t at = pos % ring->capacity;
    uint32_t length;
    memcpy(&length, ring->buffer + at, 4);
    if (length == WRAP_MARKER) {
      pos += ring->capacity - at;
      continue;
    }
    if (length > outBytes - used) break;
    memcpy(out + used, ring->buffer + at, length);
    used += length;
    n++;
    pos += length;
  }
  /* Copied out means done with: the writer may reuse the space at once. */
  atomic_store_explicit(&ring->readPos, pos, memory_order_release);
  return n;
}

PC_API uint64_t pc_ring_base(pc_ring *ring) { return ring ? (uint64_t)(uintptr_t)ring->buffer : 0; }

PC_API void pc_ring_stats(pc_ring *ring, uint64_t *out) {
  if (!ring || !out) return;
  out[0] = atomic_load_explicit(&ring->accepted, memory_order_relaxed);
  out[1] = atomic_load_explicit(&ring->dropped, memory_order_relaxed);
  out[2] = atomic_load_explicit(&ring->writePos, memory_order_acquire) -
           atomic_load_explicit(&ring->readPos, memory_order_acquire);
  out[3] = ring->capacity;
}
