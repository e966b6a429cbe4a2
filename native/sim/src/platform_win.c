#ifdef _WIN32
#include "platform.h"

#include <stdlib.h>
#include <windows.h>

struct plat_mutex { SRWLOCK l; };
struct plat_cond { CONDITION_VARIABLE c; };
struct plat_thread { HANDLE h; DWORD id; void (*fn)(void *); void *arg; };

plat_mutex *plat_mutex_new(void) {
  plat_mutex *m = calloc(1, sizeof *m);
  if (m) InitializeSRWLock(&m->l);
  return m;
}
void plat_mutex_lock(plat_mutex *m) { AcquireSRWLockExclusive(&m->l); }
void plat_mutex_unlock(plat_mutex *m) { ReleaseSRWLockExclusive(&m->l); }

plat_cond *plat_cond_new(void) {
  plat_cond *c = calloc(1, sizeof *c);
  if (c) InitializeConditionVariable(&c->c);
  return c;
}
void plat_cond_wait(plat_cond *c, plat_mutex *m) { SleepConditionVariableSRW(&c->c, &m->l, INFINITE, 0); }
int plat_cond_timedwait(plat_cond *c, plat_mutex *m, uint32_t ms) {
  if (SleepConditionVariableSRW(&c->c, &m->l, ms, 0)) return 0;
  return GetLastError() == ERROR_TIMEOUT;
}
void plat_cond_broadcast(plat_cond *c) { WakeAllConditionVariable(&c->c); }
/* SRW locks and condition variables hold no kernel object: freeing the memory is all. */
void plat_cond_free(plat_cond *c) { free(c); }
void plat_mutex_free(plat_mutex *m) { free(m); }

static DWORD WINAPI thread_main(LPVOID p) {
  plat_thread *t = p;
  t->fn(t->arg);
  return 0;
}
plat_thread *plat_thread_start(void (*fn)(void *), void *arg) {
  plat_thread *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->fn = fn;
  t->arg = arg;
  t->h = CreateThread(NULL, 0, thread_main, t, 0, &t->id);
  if (!t->h) {
    free(t);
    return NULL;
  }
  return t;
}
void plat_thread_join(plat_thread *t) {
  WaitForSingleObject(t->h, INFINITE);
  CloseHandle(t->h);
  free(t);
}
int plat_thread_is_current(const plat_thread *t) { return t && t->id == GetCurrentThreadId(); }

uint64_t plat_monotonic_ms(void) { return GetTickCount64(); }
double plat_thread_cpu_ms(void) {
  FILETIME created, exited, kernel, user;
  if (!GetThreadTimes(GetCurrentThread(), &created, &exited, &kernel, &user)) return 0;
  uint64_t k = ((uint64_t)kernel.dwHighDateTime << 32) | kernel.dwLowDateTime;
  uint64_t u = ((uint64_t)user.dwHighDateTime << 32) | user.dwLowDateTime;
  return (double)(k + u) / 1e4; /* 100 ns units */
}
uint64_t plat_filetime_now(void) {
  FILETIME ft;
  GetSystemTimeAsFileTime(&ft);
  return ((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
}

static size_t page_size(void) {
  SYSTEM_INFO si;
  GetSystemInfo(&si);
  return si.dwPageSize;
}

uint8_t *plat_guarded_alloc(size_t size) {
  size_t ps = page_size();
  size_t data_pages = (size + ps - 1) / ps;
  if (data_pages == 0) data_pages = 1;
  size_t total = (data_pages + 1) * ps;
  uint8_t *base = VirtualAlloc(NULL, total, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
  if (!base) return NULL;
  DWORD old;
  if (!VirtualProtect(base + data_pages * ps, ps, PAGE_NOACCESS, &old)) {
    VirtualFree(base, 0, MEM_RELEASE);
    return NULL;
  }
  return base + data_pages * ps - size;
}
void plat_guarded_free(uint8_t *ptr, size_t size) {
  if (!ptr) return;
  size_t ps = page_size();
  size_t data_pages = (size + ps - 1) / ps;
  if (data_pages == 0) data_pages = 1;
  VirtualFree(ptr + size - data_pages * ps, 0, MEM_RELEASE);
}

uint64_t plat_entropy(void) {
  LARGE_INTEGER c;
  QueryPerformanceCounter(&c);
  return (uint64_t)c.QuadPart ^ ((uint64_t)GetCurrentProcessId() << 32) ^ plat_filetime_now();
}

uint32_t plat_query_dos_device(const uint16_t *drive, uint16_t *target, uint32_t max) {
  return QueryDosDeviceW((LPCWSTR)drive, (LPWSTR)target, max);
}

void *plat_file_lock(const char *path, uint32_t timeoutMs) {
  HANDLE h = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                         NULL, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
  if (h == INVALID_HANDLE_VALUE) return NULL;
  ULONGLONG deadline = GetTickCount64() + timeoutMs;
  for (;;) {
    OVERLAPPED o;
    ZeroMemory(&o, sizeof o);
    if (LockFileEx(h, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &o)) return h;
    if (GetTickCount64() >= deadline) {
      CloseHandle(h);
      return NULL;
    }
    Sleep(2);
  }
}

void plat_file_unlock(void *lock) {
  if (!lock) return;
  OVERLAPPED o;
  ZeroMemory(&o, sizeof o);
  UnlockFileEx((HANDLE)lock, 0, 1, 0, &o);
  CloseHandle((HANDLE)lock);
}

int plat_file_replace(const char *path, const uint8_t *bytes, size_t size) {
  char tmp[4096];
  if (wsprintfA(tmp, "%s.tmp-%lu", path, GetCurrentProcessId()) <= 0 || lstrlenA(path) > 4000) return -1;
  HANDLE h = CreateFileA(tmp, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
  if (h == INVALID_HANDLE_VALUE) return -1;
  DWORD written = 0;
  BOOL ok = WriteFile(h, bytes, (DWORD)size, &written, NULL) && written == size;
  ok = CloseHandle(h) && ok;
  if (!ok || !MoveFileExA(tmp, path, MOVEFILE_REPLACE_EXISTING)) {
    DeleteFileA(tmp);
    return -1;
  }
  return 0;
}

uint32_t plat_process_id(void) { return (uint32_t)GetCurrentProcessId(); }
#endif
