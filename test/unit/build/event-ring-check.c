/* The event ring run the way WFP and the app run it: a second thread delivers events through pc_ring_on_event (as
   WFP's delivery thread does) while the main thread takes them with pc_ring_copy (as the app's drain does) and checks
   each one: order, the event's own bytes, and that what its pointers lead to (the detail struct, the application id
   up to its NUL, the user SID) is found intact inside the record copied out, at the distance from the record's start
   that pc_ring_base tells. Built from the ring's own sources for the host and for aarch64 (run under qemu-user), so
   that the arm64 build of the same C is run, not only compiled (event-ring-check.test.ts).

   Every application id lies within its first page: qemu-user has no process_vm_readv, the kernel copy that
   safe_copy.c uses past the first page (that path runs in the app's own tests, through the ring library). */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../native/batch/include/event_ring.h"

#define EVENTS 20000u
#define EVENT_SIZE 64u
#define DETAIL_TYPE 1u
#define DETAIL_SIZE 24u
#define SEQ_OFFSET 40u
#define PAGE 4096u
#define OUT_BYTES (512u * 1024u)

static const pc_ring_layout LAYOUT = {
    .eventSize = EVENT_SIZE,
    .flagsOffset = 0,
    .typeOffset = 4,
    .unionOffset = 8,
    .appIdSizeOffset = 16,
    .appIdDataOffset = 24,
    .userIdOffset = 32,
    .packageSidOffset = PC_NO_OFFSET,
    .appIdFlag = 1,
    .userIdFlag = 2,
    .packageIdFlag = 4,
    .maxAppIdBytes = 65536,
    .detailSize = {[DETAIL_TYPE] = DETAIL_SIZE},
};

/* What event i carries: its type, application id length in UTF-16 units (0: none), SID sub-authorities (0: none). */
static uint32_t type_of(uint32_t i) { return i % 3; }
static uint32_t app_units(uint32_t i) { return i % 7 == 0 ? 0 : 1 + (i * 37) % 1900; }
static uint32_t sub_authorities(uint32_t i) { return i % 5 == 0 ? 0 : 1 + i % 15; }
static uint8_t pattern(uint32_t i, uint32_t k) { return (uint8_t)(i * 31 + k * 7 + 1); }

static pc_ring *ring;

static void put_u32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put_ptr(uint8_t *p, const void *v) { memcpy(p, &v, sizeof v); }
static uint32_t get_u32(const uint8_t *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}
static uint64_t get_u64(const uint8_t *p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
}

static void *deliver(void *unused) {
  (void)unused;
  /* A page of its own for the application id, so that it never reaches past its first page (see above). */
  uint8_t *app = aligned_alloc(PAGE, PAGE);
  uint8_t event[EVENT_SIZE], detail[DETAIL_SIZE], sid[8 + 4 * 15];
  for (uint32_t i = 0; i < EVENTS; i++) {
    memset(event, 0, sizeof event);
    uint32_t flags = 0;
    put_u32(event + 4, type_of(i));
    for (uint32_t k = 0; k < DETAIL_SIZE; k++) detail[k] = pattern(i, k);
    put_ptr(event + 8, type_of(i) == DETAIL_TYPE ? detail : NULL);
    uint32_t units = app_units(i);
    if (units) {
      flags |= LAYOUT.appIdFlag;
      for (uint32_t k = 0; k < units; k++) {
        app[2 * k] = (uint8_t)('a' + (i + k) % 26);
        app[2 * k + 1] = 0;
      }
      app[2 * units] = app[2 * units + 1] = 0;
      /* Declared a little larger than the string, as WFP's blobs may be: the copy stops at the NUL. */
      put_u32(event + 16, 2 * units + 2 + (i % 2) * 6);
      memset(app + 2 * units + 2, 0x55, 6);
      put_ptr(event + 24, app);
    }
    uint32_t subs = sub_authorities(i);
    if (subs) {
      flags |= LAYOUT.userIdFlag;
      sid[0] = 1;
      sid[1] = (uint8_t)subs;
      for (uint32_t k = 2; k < 8 + 4 * subs; k++) sid[k] = pattern(i, k);
      put_ptr(event + 32, sid);
    }
    put_u32(event, flags);
    uint64_t seq = i;
    memcpy(event + SEQ_OFFSET, &seq, 8);
    pc_ring_on_event(ring, event);
  }
  free(app);
  return NULL;
}

static int fail(uint32_t i, const char *what) {
  fprintf(stderr, "event %u: %s\n", i, what);
  return 1;
}

/* The bytes a pointer of the copy leads to, within the record copied out (NULL when it leads anywhere else). */
static const uint8_t *in_record(const uint8_t *record, uint32_t length, uint32_t where, const uint8_t *at, uint32_t n) {
  uint64_t pointer = get_u64(at);
  uint64_t start = pc_ring_base(ring) + where;
  if (pointer < start || pointer + n > start + length) return NULL;
  return record + (pointer - start);
}

static int check(const uint8_t *record, uint32_t expected) {
  uint32_t length = get_u32(record), where = get_u32(record + 4);
  const uint8_t *copy = record + 8;
  if (get_u64(copy + SEQ_OFFSET) != expected) return fail(expected, "out of order");
  if (get_u32(copy + 4) != type_of(expected)) return fail(expected, "type changed");
  if (type_of(expected) == DETAIL_TYPE) {
    const uint8_t *detail = in_record(record, length, where, copy + 8, DETAIL_SIZE);
    if (!detail) return fail(expected, "detail pointer outside the record");
    for (uint32_t k = 0; k < DETAIL_SIZE; k++)
      if (detail[k] != pattern(expected, k)) return fail(expected, "detail bytes differ");
  }
  uint32_t units = app_units(expected);
  if (units) {
    if (get_u32(copy + 16) != 2 * units + 2) return fail(expected, "application id not cut at its NUL");
    const uint8_t *app = in_record(record, length, where, copy + 24, 2 * units + 2);
    if (!app) return fail(expected, "application id pointer outside the record");
    for (uint32_t k = 0; k < units; k++)
      if (app[2 * k] != 'a' + (expected + k) % 26 || app[2 * k + 1] != 0) return fail(expected, "application id differs");
  }
  uint32_t subs = sub_authorities(expected);
  if (subs) {
    const uint8_t *sid = in_record(record, length, where, copy + 32, 8 + 4 * subs);
    if (!sid || sid[0] != 1 || sid[1] != subs) return fail(expected, "user SID missing");
    for (uint32_t k = 2; k < 8 + 4 * subs; k++)
      if (sid[k] != pattern(expected, k)) return fail(expected, "user SID differs");
  }
  return 0;
}

int main(void) {
  /* Small, so that the writer wraps the ring many times and waits for the reader. */
  ring = pc_ring_create(&LAYOUT, 128u * 1024u, 5000);
  if (!ring) return fail(0, "pc_ring_create failed");
  uint8_t *out = malloc(OUT_BYTES);
  pthread_t writer;
  if (pthread_create(&writer, NULL, deliver, NULL) != 0) return fail(0, "no thread");
  uint32_t received = 0;
  while (received < EVENTS) {
    uint32_t n = pc_ring_copy(ring, out, OUT_BYTES, 1024);
    uint32_t at = 0;
    for (uint32_t r = 0; r < n; r++) {
      if (check(out + at, received)) return 1;
      at += get_u32(out + at);
      received++;
    }
  }
  pthread_join(writer, NULL);
  uint64_t stats[4];
  pc_ring_stats(ring, stats);
  if (stats[0] != EVENTS || stats[1] != 0 || stats[2] != 0) return fail(received, "stats differ");
  pc_ring_close(ring);
  pc_ring_destroy(ring);
  free(out);
  printf("event ring: %u events delivered and checked\n", received);
  return 0;
}
