/*
 * kernel32's FindFirstFileW / FindClose as the real-case lookup calls them (native/files/real-case.ts): one
 * component at a time, no wildcards. The simulator's "disk" is the list of program paths it was told about
 * (sim_add_file, and every program a scenario names), each in its real case. Built on non-Windows platforms only;
 * under Wine the real kernel32 answers (test/wine/real-case.test.ts).
 */
#ifndef _WIN32
#include <stdlib.h>
#include <string.h>

#include "files_types.h"
#include "sim.h"

#define FILE_ATTRIBUTE_DIRECTORY 0x10u
#define FILE_ATTRIBUTE_NORMAL 0x80u

typedef struct known_path {
  struct known_path *next;
  char16_t *path;
} known_path;

typedef struct find_handle {
  uint32_t magic;
} find_handle;
#define FIND_MAGIC 0x46494e44u

static plat_mutex *g_lock;
static known_path *g_paths;

__attribute__((constructor)) static void files_init(void) { g_lock = plat_mutex_new(); }

void sim_files_add(const char16_t *path) {
  if (!path || u16_len(path) < 3 || path[1] != u':' || path[2] != u'\\') return;
  plat_mutex_lock(g_lock);
  for (known_path *k = g_paths; k; k = k->next)
    if (u16_ieq(k->path, path)) {
      plat_mutex_unlock(g_lock);
      return;
    }
  known_path *k = calloc(1, sizeof *k);
  if (k) {
    k->path = u16_dup(path);
    k->next = g_paths;
    g_paths = k;
  }
  plat_mutex_unlock(g_lock);
}

SIM_API uint32_t sim_add_file(const char16_t *path) {
  sim_files_add(path);
  return 0;
}

SIM_API uint32_t sim_files_reset(void) {
  plat_mutex_lock(g_lock);
  while (g_paths) {
    known_path *k = g_paths->next;
    free(g_paths->path);
    free(g_paths);
    g_paths = k;
  }
  plat_mutex_unlock(g_lock);
  return 0;
}

/* Does `known` start with `pattern` (case-insensitively) at a component boundary? Then its last matched component
   is copied (real case) to out. */
static int match_prefix(const char16_t *known, const char16_t *pattern, WIN32_FIND_DATAW *out) {
  size_t n = u16_len(pattern);
  if (u16_len(known) < n) return 0;
  for (size_t i = 0; i < n; i++)
    if (u16_lower(known[i]) != u16_lower(pattern[i])) return 0;
  if (known[n] != 0 && known[n] != u'\\') return 0;
  size_t start = n;
  while (start > 0 && known[start - 1] != u'\\') start--;
  size_t len = n - start;
  if (len == 0 || len >= 260) return 0;
  memset(out, 0, sizeof *out);
  memcpy(out->cFileName, known + start, len * sizeof(char16_t));
  out->dwFileAttributes = known[n] ? FILE_ATTRIBUTE_DIRECTORY : FILE_ATTRIBUTE_NORMAL;
  return 1;
}

SIM_API void *FindFirstFileW(const char16_t *pattern, WIN32_FIND_DATAW *data) {
  if (!pattern || !data) return (void *)-1;
  for (const char16_t *c = pattern; *c; c++)
    if (*c == u'*' || *c == u'?') return (void *)-1; /* the real-case lookup never asks with wildcards */
  int found = 0;
  plat_mutex_lock(g_lock);
  for (known_path *k = g_paths; k && !found; k = k->next) found = match_prefix(k->path, pattern, data);
  plat_mutex_unlock(g_lock);
  if (!found) return (void *)-1; /* INVALID_HANDLE_VALUE, ERROR_FILE_NOT_FOUND */
  find_handle *h = calloc(1, sizeof *h);
  if (!h) return (void *)-1;
  h->magic = FIND_MAGIC;
  return h;
}

SIM_API int32_t FindClose(void *handle) {
  find_handle *h = handle;
  if (!h || h == (void *)-1 || h->magic != FIND_MAGIC) return 0;
  h->magic = 0;
  free(h);
  return 1;
}
#endif
