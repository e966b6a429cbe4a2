/*
 * advapi32's system audit policy as far as Portcullis calls it (AuditQuerySystemPolicy, AuditSetSystemPolicy,
 * AuditFree) and kernel32's last-error slot for the functions that report through it. Built on non-Windows platforms
 * only; sources in native/sim/FIDELITY.md ("Windows services behind svchost").
 *
 * The setting is machine-wide: every caller of this library sees the one table, and sim_reset / sim_audit_reset
 * put back Windows' default (no auditing of either subcategory). With PORTCULLIS_SIM_STATE=<file> it is shared by
 * every process through <file>.audit (one line per subcategory: GUID's first word and the setting), read before
 * each use and replaced whole on each change, so `portcullis reset` in another process puts back what the app set.
 */
#ifndef _WIN32
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_types.h"

#define ERROR_ACCESS_DENIED_CODE 5u
#define ERROR_INVALID_PARAMETER_CODE 87u
#define ERROR_FILE_NOT_FOUND_CODE 2u
#define ERROR_INVALID_HANDLE_CODE 6u
#define ERROR_NO_SUCH_PRIVILEGE_CODE 1313u
#define ERROR_PRIVILEGE_NOT_HELD_CODE 1314u
#define ERROR_NOT_ALL_ASSIGNED_CODE 1300u
#define SE_PRIVILEGE_ENABLED 0x2u
#define TOKEN_ADJUST_PRIVILEGES 0x20u
#define TOKEN_QUERY 0x8u
#define TOKEN_MAGIC 0x544f4b4eu
/* SeSecurityPrivilege's LUID on Windows (SE_SECURITY_PRIVILEGE, winnt.h): 8 */
#define SE_SECURITY_PRIVILEGE_LUID 8u

/* ntsecapi.h / auditpol /list /subcategory:* /v */
const GUID AUDIT_FILTERING_PLATFORM_CONNECTION = {
    0x0cce9226, 0x69ae, 0x11d9, {0xbe, 0xd3, 0x50, 0x50, 0x54, 0x50, 0x30, 0x30}};
const GUID AUDIT_FILTERING_PLATFORM_PACKET_DROP = {
    0x0cce9225, 0x69ae, 0x11d9, {0xbe, 0xd3, 0x50, 0x50, 0x54, 0x50, 0x30, 0x30}};
/* Audit_ObjectAccess, the category both belong to */
static const GUID OBJECT_ACCESS = {0x6997984a, 0x797a, 0x11d9, {0xbe, 0xd3, 0x50, 0x50, 0x54, 0x50, 0x30, 0x30}};

typedef struct subcategory {
  const GUID *guid;
  uint32_t setting;
} subcategory;

static subcategory g_table[] = {
    {&AUDIT_FILTERING_PLATFORM_CONNECTION, 0},
    {&AUDIT_FILTERING_PLATFORM_PACKET_DROP, 0},
};
enum { N_SUBCATEGORIES = sizeof g_table / sizeof g_table[0] };

static plat_mutex *g_lock;
static __thread uint32_t t_lastError;
/* SeSecurityPrivilege in this process's token: held by administrators (elevated), disabled until enabled. */
static int g_securityEnabled;

typedef struct token_handle {
  uint32_t magic;
  uint32_t access;
} token_handle;
static uint32_t g_sets;

/* Blocks handed out by AuditQuerySystemPolicy and not yet freed (AuditFree of anything else is reported). */
typedef struct block {
  struct block *next;
  void *ptr;
} block;
static block *g_blocks;

__attribute__((constructor)) static void audit_init(void) { g_lock = plat_mutex_new(); }

/* ---- PORTCULLIS_SIM_STATE: the setting shared between processes (g_lock held) ---- */

static int shared_path(char *out, size_t cap) {
  const char *state = getenv("PORTCULLIS_SIM_STATE");
  if (!state || !*state || strlen(state) + 7 > cap) return 0;
  snprintf(out, cap, "%s.audit", state);
  return 1;
}

static void shared_load_locked(void) {
  char path[4096];
  if (!shared_path(path, sizeof path)) return;
  FILE *f = fopen(path, "r");
  if (!f) return; /* nobody changed it yet: Windows' default */
  unsigned data1, setting;
  while (fscanf(f, "%8x %u", &data1, &setting) == 2)
    for (int i = 0; i < N_SUBCATEGORIES; i++)
      if (g_table[i].guid->Data1 == data1) g_table[i].setting = setting & 3u;
  fclose(f);
}

static void shared_save_locked(void) {
  char path[4096], tmp[4200];
  if (!shared_path(path, sizeof path)) return;
  snprintf(tmp, sizeof tmp, "%s.tmp-%u", path, plat_process_id());
  FILE *f = fopen(tmp, "w");
  if (!f) return;
  for (int i = 0; i < N_SUBCATEGORIES; i++) fprintf(f, "%08x %u\n", g_table[i].guid->Data1, g_table[i].setting);
  if (fclose(f) == 0) rename(tmp, path);
  else remove(tmp);
}

void sim_set_last_error(uint32_t code) { t_lastError = code; }
SIM_API uint32_t GetLastError(void) { return t_lastError; }
SIM_API void SetLastError(uint32_t code) { t_lastError = code; }

static subcategory *find_locked(const GUID *g) {
  for (int i = 0; i < N_SUBCATEGORIES; i++)
    if (guid_eq(g_table[i].guid, g)) return &g_table[i];
  return NULL;
}

uint32_t audit_subcategory_setting(const GUID *g) {
  plat_mutex_lock(g_lock);
  shared_load_locked();
  subcategory *s = find_locked(g);
  uint32_t v = s ? s->setting : 0;
  plat_mutex_unlock(g_lock);
  return v;
}

static int8_t fail(uint32_t code) {
  sim_set_last_error(code);
  return 0;
}

/* Administrators hold SeSecurityPrivilege, disabled; the audit calls need it enabled (a guess that errs strict: the
   documentation also admits AUDIT_*_SYSTEM_POLICY access on the audit object). Without elevation: access denied. */
static uint32_t audit_right(void) {
  if (!g_sim.elevated) return ERROR_ACCESS_DENIED_CODE;
  plat_mutex_lock(g_lock);
  int enabled = g_securityEnabled;
  plat_mutex_unlock(g_lock);
  return enabled ? 0 : ERROR_PRIVILEGE_NOT_HELD_CODE;
}

SIM_API void *GetCurrentProcess(void) { return (void *)(intptr_t)-1; }

SIM_API int32_t OpenProcessToken(void *process, uint32_t access, void **token) {
  if (process != (void *)(intptr_t)-1 || !token) return (int32_t)fail(ERROR_INVALID_HANDLE_CODE);
  token_handle *t = calloc(1, sizeof *t);
  if (!t) return (int32_t)fail(8);
  t->magic = TOKEN_MAGIC;
  t->access = access;
  *token = t;
  sim_set_last_error(0);
  return 1;
}

int32_t audit_close_token(void *handle) {
  token_handle *t = handle;
  if (!t || t->magic != TOKEN_MAGIC) return 0;
  t->magic = 0;
  free(t);
  return 1;
}

SIM_API int32_t LookupPrivilegeValueW(const char16_t *system, const char16_t *name, LUID *luid) {
  if (system || !name || !luid) return (int32_t)fail(ERROR_INVALID_PARAMETER_CODE);
  if (!u16_ieq(name, u"SeSecurityPrivilege")) return (int32_t)fail(ERROR_NO_SUCH_PRIVILEGE_CODE); /* others: not simulated */
  luid->LowPart = SE_SECURITY_PRIVILEGE_LUID;
  luid->HighPart = 0;
  sim_set_last_error(0);
  return 1;
}

/* Succeeds even when a privilege is not held: GetLastError then says ERROR_NOT_ALL_ASSIGNED, as on Windows. */
SIM_API int32_t AdjustTokenPrivileges(void *token, int32_t disableAll, const TOKEN_PRIVILEGES *state, uint32_t size,
                                      TOKEN_PRIVILEGES *previous, uint32_t *returned) {
  (void)size, (void)previous, (void)returned;
  token_handle *t = token;
  if (!t || t->magic != TOKEN_MAGIC) return (int32_t)fail(ERROR_INVALID_HANDLE_CODE);
  if (!(t->access & TOKEN_ADJUST_PRIVILEGES)) return (int32_t)fail(ERROR_ACCESS_DENIED_CODE);
  if (!disableAll && !state) return (int32_t)fail(ERROR_INVALID_PARAMETER_CODE);
  int notAssigned = 0;
  plat_mutex_lock(g_lock);
  if (disableAll) g_securityEnabled = 0;
  else
    for (uint32_t i = 0; i < state->PrivilegeCount && i < 1; i++) {
      if (state->Privileges[i].Luid.LowPart != SE_SECURITY_PRIVILEGE_LUID || !g_sim.elevated) {
        notAssigned = 1;
        continue;
      }
      g_securityEnabled = (state->Privileges[i].Attributes & SE_PRIVILEGE_ENABLED) != 0;
    }
  plat_mutex_unlock(g_lock);
  sim_set_last_error(notAssigned ? ERROR_NOT_ALL_ASSIGNED_CODE : 0);
  return 1;
}

SIM_API int8_t AuditQuerySystemPolicy(const GUID *guids, uint32_t count, AUDIT_POLICY_INFORMATION **out) {
  if (!guids || !count || !out) return fail(ERROR_INVALID_PARAMETER_CODE);
  uint32_t right = audit_right();
  if (right) return fail(right);
  AUDIT_POLICY_INFORMATION *info = calloc(count, sizeof *info);
  block *b = calloc(1, sizeof *b);
  if (!info || !b) {
    free(info);
    free(b);
    return fail(8 /* ERROR_NOT_ENOUGH_MEMORY */);
  }
  plat_mutex_lock(g_lock);
  shared_load_locked();
  for (uint32_t i = 0; i < count; i++) {
    subcategory *s = find_locked(&guids[i]);
    if (!s) {
      plat_mutex_unlock(g_lock);
      free(info);
      free(b);
      return fail(ERROR_FILE_NOT_FOUND_CODE); /* guess: a subcategory Windows does not know */
    }
    info[i].AuditSubCategoryGuid = guids[i];
    info[i].AuditingInformation = s->setting;
    info[i].AuditCategoryGuid = OBJECT_ACCESS;
  }
  b->ptr = info;
  b->next = g_blocks;
  g_blocks = b;
  plat_mutex_unlock(g_lock);
  *out = info;
  sim_set_last_error(0);
  return 1;
}

SIM_API int8_t AuditSetSystemPolicy(const AUDIT_POLICY_INFORMATION *policy, uint32_t count) {
  if (!policy || !count) return fail(ERROR_INVALID_PARAMETER_CODE);
  uint32_t right = audit_right();
  if (right) return fail(right);
  plat_mutex_lock(g_lock);
  shared_load_locked();
  /* All or nothing: every entry is checked before any is applied. */
  for (uint32_t i = 0; i < count; i++) {
    uint32_t v = policy[i].AuditingInformation;
    int bad = (v & ~(POLICY_AUDIT_EVENT_SUCCESS | POLICY_AUDIT_EVENT_FAILURE | POLICY_AUDIT_EVENT_NONE)) ||
              ((v & POLICY_AUDIT_EVENT_NONE) && (v & (POLICY_AUDIT_EVENT_SUCCESS | POLICY_AUDIT_EVENT_FAILURE)));
    if (bad || !find_locked(&policy[i].AuditSubCategoryGuid)) {
      plat_mutex_unlock(g_lock);
      return fail(ERROR_INVALID_PARAMETER_CODE);
    }
  }
  for (uint32_t i = 0; i < count; i++) {
    subcategory *s = find_locked(&policy[i].AuditSubCategoryGuid);
    uint32_t v = policy[i].AuditingInformation;
    if (v & POLICY_AUDIT_EVENT_NONE) s->setting = 0; /* NONE turns both off */
    else if (v) s->setting = v;                       /* SUCCESS and FAILURE as given */
    /* 0, POLICY_AUDIT_EVENT_UNCHANGED: left as it is */
  }
  g_sets++;
  shared_save_locked();
  plat_mutex_unlock(g_lock);
  sim_set_last_error(0);
  return 1;
}

SIM_API void AuditFree(void *buffer) {
  if (!buffer) return;
  plat_mutex_lock(g_lock);
  block **pp = &g_blocks;
  while (*pp && (*pp)->ptr != buffer) pp = &(*pp)->next;
  block *b = *pp;
  if (b) *pp = b->next;
  plat_mutex_unlock(g_lock);
  if (!b) {
    fprintf(stderr, "wfpsim: AuditFree of memory AuditQuerySystemPolicy did not return\n");
    return;
  }
  free(b->ptr);
  free(b);
}

/* ---- control ---- */

/* Windows' default: neither subcategory audited. */
SIM_API uint32_t sim_audit_reset(void) {
  plat_mutex_lock(g_lock);
  for (int i = 0; i < N_SUBCATEGORIES; i++) g_table[i].setting = 0;
  g_sets = 0;
  g_securityEnabled = 0;
  shared_save_locked();
  plat_mutex_unlock(g_lock);
  return 0;
}

/* How many AuditSetSystemPolicy calls succeeded since the last reset (tests: nothing changed behind the user). */
SIM_API uint32_t sim_audit_set_calls(void) {
  plat_mutex_lock(g_lock);
  uint32_t n = g_sets;
  plat_mutex_unlock(g_lock);
  return n;
}

/* Blocks AuditQuerySystemPolicy returned that nobody freed. */
SIM_API uint32_t sim_audit_open_blocks(void) {
  plat_mutex_lock(g_lock);
  uint32_t n = 0;
  for (block *b = g_blocks; b; b = b->next) n++;
  plat_mutex_unlock(g_lock);
  return n;
}
#endif
