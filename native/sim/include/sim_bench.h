/*
 * Benchmark-only export of the WFP simulator, kept apart from the control API (sim_control.h): nothing in the
 * application or its tests uses it. It lets `npm run bench` measure the two ceilings of the event path without the
 * simulator's queue in the way: how fast koffi relays callbacks from another thread to JS, and how fast JS decodes
 * an event with no thread hop at all.
 */
#ifndef PORTCULLIS_SIM_BENCH_H
#define PORTCULLIS_SIM_BENCH_H

#include "sim_control.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Builds the net event that `connection` would produce (a classify drop by filter `filterId`) in the layout of
   FWPM_NET_EVENT<version> (1..5), exactly as the delivery thread builds it (app id flush against a guard page),
   then calls `callback(context, event)` `count` times in a row on the calling thread, with the same event, valid
   until this function returns. Not classified, not queued, not counted. Called through koffi's `.async`, the calls
   come from a worker thread (each one a hop to the JS thread); called directly from JS, there is no hop.
   Returns 0, or ERROR_INVALID_PARAMETER (87) for a NULL callback or connection, a bad version or address. */
SIM_API uint32_t sim_bench_deliver(const SIM_CONNECTION *connection, uint64_t filterId, uint32_t version,
                                   void (*callback)(void *context, const void *event), void *context,
                                   uint32_t count);

/* A flood made by a thread of the simulator's own, as other processes and the network stack make attempts on
   Windows (none of that work runs in the subscriber's process there): `count` attempts, attempt i made `repeats[i]`
   times in a row, `ratePerSecond` attempts a second in all, queued every `tickMs`; each classified and its event
   queued for delivery exactly as sim_connect_repeat does. The attempts (and their strings) are copied before this
   returns; when all are made the thread waits for the stop. One flood at a time. Returns 0, ERROR_BUSY (170) while
   one runs, ERROR_INVALID_PARAMETER (87) for NULL arrays or a zero count, rate or tick, ERROR_NOT_ENOUGH_MEMORY. */
SIM_API uint32_t sim_bench_flood_start(const SIM_CONNECTION *attempts, const uint32_t *repeats, uint32_t count,
                                       uint32_t ratePerSecond, uint32_t tickMs);

/* Stops the flood and joins its thread; writes the attempts made, how many of them were not blocked, and the CPU the
   thread used (ms): the work that is the network's on Windows, to be left out of the subscriber's. Returns 0, or
   ERROR_INVALID_STATE (5023) when no flood runs. */
SIM_API uint32_t sim_bench_flood_stop(uint64_t *made, uint64_t *notBlocked, double *cpuMs);

#ifdef __cplusplus
}
#endif

#endif
