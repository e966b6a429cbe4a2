/* DOS drive letters to NT device paths, app ids built from them, and which files "exist". */
#include <stdlib.h>
#include <string.h>

#include "sim.h"

static char16_t *g_drives[26];

typedef struct missing_path {
  struct missing_path *next;
  char16_t *path;
} missing_path;
static missing_path *g_missing;

/* Guarded by g_sim.lock, like the rest of the machine's state. */

static int drive_index(const char16_t *d) {
  if (!d) return -1;
  char16_t c = u16_lower(d[0]);
  if (c < u'a' || c > u'z' || d[1] != u':') return -1;
  return c - u'a';
}

void paths_reset(void) {
  for (int i = 0; i < 26; i++) {
    free(g_drives[i]);
    g_drives[i] = NULL;
  }
#ifndef _WIN32
  /* On Windows the real kernel32 answers for drives nobody mapped, so app ids agree with it. */
  g_drives['c' - 'a'] = u16_dup(u"\\Device\\HarddiskVolume3");
  g_drives['d' - 'a'] = u16_dup(u"\\Device\\HarddiskVolume4");
#endif
  while (g_missing) {
    missing_path *m = g_missing->next;
    free(g_missing->path);
    free(g_missing);
    g_missing = m;
  }
}

/* The device for drive index i, copied into out (max chars incl. NUL); 0 when unmapped. */
static size_t drive_device(int i, char16_t *out, size_t max) {
  if (g_drives[i]) {
    size_t n = u16_len(g_drives[i]);
    if (n + 1 > max) return 0;
    memcpy(out, g_drives[i], (n + 1) * sizeof *out);
    return n;
  }
  char16_t name[3] = {(char16_t)(u'A' + i), u':', 0};
  if (!plat_query_dos_device((const uint16_t *)name, (uint16_t *)out, (uint32_t)max)) return 0;
  return u16_len(out);
}

/* NT path for a DOS path (not lower-cased); NULL when the drive is not mapped or the path is relative. */
static char16_t *dos_to_nt(const char16_t *dos) {
  const char16_t *p = dos;
  if (p[0] == u'\\' && p[1] == u'\\' && p[2] == u'?' && p[3] == u'\\') p += 4; /* \\?\C:\... */
  char16_t device[512];
  const char16_t *rest;
  size_t devLen;
  if (p[0] == u'\\' && p[1] == u'\\') { /* \\server\share\... */
    static const char16_t mup[] = u"\\Device\\Mup";
    devLen = u16_len(mup);
    memcpy(device, mup, sizeof mup);
    rest = p + 1;
  } else {
    int i = drive_index(p);
    if (i < 0 || (p[2] && p[2] != u'\\')) return NULL;
    devLen = drive_device(i, device, sizeof device / sizeof *device);
    if (!devLen) return NULL;
    rest = p + 2;
  }
  size_t restLen = u16_len(rest);
  char16_t *nt = malloc((devLen + restLen + 1) * sizeof *nt);
  if (!nt) return NULL;
  memcpy(nt, device, devLen * sizeof *nt);
  memcpy(nt + devLen, rest, (restLen + 1) * sizeof *nt);
  return nt;
}

static uint8_t *lower_with_nul(const char16_t *s, uint32_t *size) {
  size_t n = u16_len(s);
  char16_t *out = malloc((n + 1) * sizeof *out);
  if (!out) return NULL;
  for (size_t i = 0; i < n; i++) out[i] = u16_lower(s[i]);
  out[n] = 0;
  *size = (uint32_t)((n + 1) * sizeof *out);
  return (uint8_t *)out;
}

uint8_t *app_id_for_path(const char16_t *dosPath, uint32_t *size) {
  plat_mutex_lock(g_sim.lock);
  char16_t *nt = dos_to_nt(dosPath);
  plat_mutex_unlock(g_sim.lock);
  uint8_t *r = lower_with_nul(nt ? nt : dosPath, size);
  free(nt);
  return r;
}

int path_is_missing(const char16_t *dosPath) {
  for (missing_path *m = g_missing; m; m = m->next)
    if (u16_ieq(m->path, dosPath)) return 1;
  return 0;
}

SIM_API DWORD SIM_WINAPI FwpmGetAppIdFromFileName0(const WCHAR *fileName, FWP_BYTE_BLOB **appId) {
  if (!appId) return ERROR_INVALID_PARAMETER;
  *appId = NULL;
  if (!fileName || !fileName[0]) return ERROR_INVALID_PARAMETER;
  plat_mutex_lock(g_sim.lock);
  int missing = path_is_missing(fileName);
  char16_t *nt = missing ? NULL : dos_to_nt(fileName);
  plat_mutex_unlock(g_sim.lock);
  if (missing) return ERROR_FILE_NOT_FOUND;
  if (!nt) return ERROR_PATH_NOT_FOUND;
  uint32_t size = 0;
  uint8_t *bytes = lower_with_nul(nt, &size);
  free(nt);
  arena *a = bytes ? arena_new() : NULL;
  if (!a) {
    free(bytes);
    return ERROR_NOT_ENOUGH_MEMORY;
  }
  FWP_BYTE_BLOB *b = arena_alloc(a, sizeof *b);
  b->size = size;
  b->data = arena_alloc(a, size);
  memcpy(b->data, bytes, size);
  free(bytes);
  *appId = b;
  return 0;
}

SIM_API uint32_t sim_map_drive(const char16_t *drive, const char16_t *device) {
  int i = drive_index(drive);
  if (i < 0 || drive[2]) return ERROR_INVALID_PARAMETER;
  if (device && device[0] != u'\\') return ERROR_INVALID_PARAMETER;
  plat_mutex_lock(g_sim.lock);
  free(g_drives[i]);
  g_drives[i] = u16_dup(device);
  plat_mutex_unlock(g_sim.lock);
  return 0;
}

SIM_API uint32_t sim_set_file_missing(const char16_t *dosPath, int32_t missing) {
  if (!dosPath || !dosPath[0]) return ERROR_INVALID_PARAMETER;
  plat_mutex_lock(g_sim.lock);
  missing_path **pp = &g_missing;
  while (*pp && !u16_ieq((*pp)->path, dosPath)) pp = &(*pp)->next;
  uint32_t rc = 0;
  if (missing && !*pp) {
    missing_path *m = calloc(1, sizeof *m);
    if (m && (m->path = u16_dup(dosPath))) {
      m->next = g_missing;
      g_missing = m;
    } else {
      free(m);
      rc = ERROR_NOT_ENOUGH_MEMORY;
    }
  } else if (!missing && *pp) {
    missing_path *m = *pp;
    *pp = m->next;
    free(m->path);
    free(m);
  }
  plat_mutex_unlock(g_sim.lock);
  return rc;
}

#ifndef _WIN32
/* kernel32's QueryDosDeviceW over the simulated drive map. Results are multi-strings: each name ends
   with a NUL and the list with one more; the return value counts every char stored, 0 on failure. */
SIM_API DWORD SIM_WINAPI QueryDosDeviceW(const WCHAR *deviceName, WCHAR *targetPath, DWORD ucchMax) {
  if (!targetPath) return 0;
  DWORD used = 0;
  plat_mutex_lock(g_sim.lock);
  if (!deviceName) {
    for (int i = 0; i < 26; i++) {
      if (!g_drives[i]) continue;
      if (used + 3 > ucchMax) {
        used = 0;
        goto done;
      }
      targetPath[used++] = (WCHAR)(u'A' + i);
      targetPath[used++] = u':';
      targetPath[used++] = 0;
    }
  } else {
    int i = drive_index(deviceName);
    if (i < 0 || deviceName[2] || !g_drives[i]) goto done;
    size_t n = u16_len(g_drives[i]);
    if (n + 2 > ucchMax) goto done;
    memcpy(targetPath, g_drives[i], n * sizeof *targetPath);
    used = (DWORD)n;
    targetPath[used++] = 0;
  }
  if (used + 1 > ucchMax) {
    used = 0;
    goto done;
  }
  targetPath[used++] = 0;
done:
  plat_mutex_unlock(g_sim.lock);
  return used;
}
#endif
