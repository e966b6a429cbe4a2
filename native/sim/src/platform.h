/* Threads, locks, time, guard pages and pages of memory behind one small interface: pthreads/mmap on
   Linux and macOS, Win32 on Windows (no winpthreads, so the DLL has no runtime dependency). */
#ifndef PORTCULLIS_SIM_PLATFORM_H
#define PORTCULLIS_SIM_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

typedef struct plat_mutex plat_mutex;
typedef struct plat_cond plat_cond;
typedef struct plat_thread plat_thread;

plat_mutex *plat_mutex_new(void);
void plat_mutex_lock(plat_mutex *m);
void plat_mutex_unlock(plat_mutex *m);
void plat_mutex_free(plat_mutex *m);

plat_cond *plat_cond_new(void);
void plat_cond_wait(plat_cond *c, plat_mutex *m);
/* Returns 0 when signalled (or spuriously woken), 1 on timeout. */
int plat_cond_timedwait(plat_cond *c, plat_mutex *m, uint32_t ms);
void plat_cond_broadcast(plat_cond *c);
void plat_cond_free(plat_cond *c);

plat_thread *plat_thread_start(void (*fn)(void *), void *arg);
void plat_thread_join(plat_thread *t);
int plat_thread_is_current(const plat_thread *t);

uint64_t plat_monotonic_ms(void);
/* CPU time the calling thread has used (user + kernel), in ms. */
double plat_thread_cpu_ms(void);
/* Current time as FILETIME ticks (100 ns since 1601-01-01 UTC). */
uint64_t plat_filetime_now(void);

/* `size` bytes whose last byte is immediately followed by an inaccessible page, so reading one byte
   past the end faults. Returns the start of the bytes; free with plat_guarded_free(ptr, size). */
uint8_t *plat_guarded_alloc(size_t size);
void plat_guarded_free(uint8_t *ptr, size_t size);

/* Seed for generated GUIDs. */
uint64_t plat_entropy(void);

/* An exclusive lock between processes on the file `path` (created when missing), waited for up to timeoutMs.
   Returns an opaque handle (NULL on timeout or error); release with plat_file_unlock. */
void *plat_file_lock(const char *path, uint32_t timeoutMs);
void plat_file_unlock(void *lock);
/* Replaces `path` with `size` bytes, atomically (a temporary file renamed over it). Returns 0 on success. */
int plat_file_replace(const char *path, const uint8_t *bytes, size_t size);
uint32_t plat_process_id(void);

/* Windows only: the real kernel32 QueryDosDeviceW; returns 0 when absent or not mapped. */
uint32_t plat_query_dos_device(const uint16_t *drive, uint16_t *target, uint32_t max);

#endif
