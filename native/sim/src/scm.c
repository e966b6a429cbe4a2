/*
 * The service control manager as far as Portcullis asks it which services run in which process: OpenSCManagerW,
 * EnumServicesStatusExW (SC_ENUM_PROCESS_INFO) and CloseServiceHandle. Built on non-Windows platforms only (Wine
 * and Windows answer with their own services.exe); sources in native/sim/FIDELITY.md ("Windows services behind
 * svchost"). The services are the scenario's "service" lines and sim_set_service's.
 */
#ifndef _WIN32
#include <stdlib.h>
#include <string.h>

#include "audit_types.h"

#define ERROR_INVALID_HANDLE_CODE 6u
#define ERROR_ACCESS_DENIED_CODE 5u
#define ERROR_NOT_SUPPORTED_CODE 50u
#define ERROR_INVALID_PARAMETER_CODE 87u
#define ERROR_INVALID_LEVEL_CODE 124u
#define ERROR_MORE_DATA_CODE 234u
#define ERROR_DATABASE_DOES_NOT_EXIST_CODE 1065u
#define SC_ENUM_PROCESS_INFO 0u
#define SC_MANAGER_CONNECT 0x1u
#define SC_MANAGER_ENUMERATE_SERVICE 0x4u
#define SC_MANAGER_QUERY_LOCK_STATUS 0x10u
#define STANDARD_RIGHTS_READ 0x20000u
#define GENERIC_READ 0x80000000u
#define SERVICE_WIN32 0x30u
#define SERVICE_DRIVER 0x0bu
#define SERVICE_ACTIVE 1u
#define SERVICE_INACTIVE 2u
#define SERVICE_STATE_ALL 3u
#define SERVICE_STOPPED 1u
#define SERVICE_RUNNING 4u
#define SERVICE_ACCEPT_STOP 1u
#define SCM_MAGIC 0x53434d48u
#define SVC_MAGIC 0x53564348u
#define ERROR_INSUFFICIENT_BUFFER_CODE 122u
#define ERROR_SERVICE_DOES_NOT_EXIST_CODE 1060u
#define SERVICE_QUERY_CONFIG 0x1u
#define SERVICE_CONFIG_SERVICE_SID_INFO 5u
enum { MAX_SERVICES = 512 };

typedef struct service {
  char16_t *name, *display;
  uint32_t type, pid;
  uint32_t sidType; /* SERVICE_SID_TYPE_NONE 0, UNRESTRICTED 1, RESTRICTED 3 */
} service;

typedef struct service_handle {
  uint32_t magic;
  uint32_t access;
  char16_t *name;
} service_handle;

typedef struct scm_handle {
  uint32_t magic;
  uint32_t access;
} scm_handle;

static plat_mutex *g_lock;
static service g_services[MAX_SERVICES];
static uint32_t g_count, g_openHandles;

__attribute__((constructor)) static void scm_init(void) { g_lock = plat_mutex_new(); }

static void *fail_null(uint32_t code) {
  sim_set_last_error(code);
  return NULL;
}
static int32_t fail(uint32_t code) {
  sim_set_last_error(code);
  return 0;
}

SIM_API void *OpenSCManagerW(const char16_t *machine, const char16_t *database, uint32_t access) {
  if (machine && *machine) return fail_null(ERROR_NOT_SUPPORTED_CODE); /* remote machines: not simulated */
  if (database && !u16_ieq(database, u"ServicesActive")) return fail_null(ERROR_DATABASE_DOES_NOT_EXIST_CODE);
  /* Authenticated users may connect, enumerate and query the lock status; everything else needs an administrator. */
  uint32_t everyone = SC_MANAGER_CONNECT | SC_MANAGER_ENUMERATE_SERVICE | SC_MANAGER_QUERY_LOCK_STATUS |
                      STANDARD_RIGHTS_READ | GENERIC_READ;
  if ((access & ~everyone) && !g_sim.elevated) return fail_null(ERROR_ACCESS_DENIED_CODE);
  scm_handle *h = calloc(1, sizeof *h);
  if (!h) return fail_null(8);
  h->magic = SCM_MAGIC;
  /* SC_MANAGER_CONNECT is implied; GENERIC_READ maps to ENUMERATE_SERVICE and QUERY_LOCK_STATUS. */
  h->access = access | SC_MANAGER_CONNECT |
              (access & GENERIC_READ ? SC_MANAGER_ENUMERATE_SERVICE | SC_MANAGER_QUERY_LOCK_STATUS : 0);
  plat_mutex_lock(g_lock);
  g_openHandles++;
  plat_mutex_unlock(g_lock);
  sim_set_last_error(0);
  return h;
}

SIM_API int32_t CloseServiceHandle(void *handle) {
  scm_handle *h = handle;
  if (h && h->magic == SVC_MAGIC) {
    service_handle *sh = handle;
    sh->magic = 0;
    free(sh->name);
    free(sh);
    plat_mutex_lock(g_lock);
    g_openHandles--;
    plat_mutex_unlock(g_lock);
    return 1;
  }
  if (!h || h->magic != SCM_MAGIC) return fail(ERROR_INVALID_HANDLE_CODE);
  h->magic = 0;
  free(h);
  plat_mutex_lock(g_lock);
  g_openHandles--;
  plat_mutex_unlock(g_lock);
  return 1;
}

static int selected(const service *s, uint32_t type, uint32_t state) {
  if (!(s->type & type)) return 0;
  int running = s->pid != 0;
  return state == SERVICE_STATE_ALL || (state == SERVICE_ACTIVE) == running;
}

static size_t entry_bytes(const service *s) {
  return sizeof(ENUM_SERVICE_STATUS_PROCESSW) + (u16_len(s->name) + 1 + u16_len(s->display) + 1) * sizeof(char16_t);
}

SIM_API int32_t EnumServicesStatusExW(void *manager, uint32_t level, uint32_t type, uint32_t state, uint8_t *buffer,
                                      uint32_t bufferSize, uint32_t *needed, uint32_t *returned, uint32_t *resume,
                                      const char16_t *group) {
  scm_handle *h = manager;
  if (!h || h->magic != SCM_MAGIC) return fail(ERROR_INVALID_HANDLE_CODE);
  if (!(h->access & SC_MANAGER_ENUMERATE_SERVICE)) return fail(ERROR_ACCESS_DENIED_CODE);
  if (level != SC_ENUM_PROCESS_INFO) return fail(ERROR_INVALID_LEVEL_CODE);
  if (!needed || !returned || !type || (type & ~(SERVICE_WIN32 | SERVICE_DRIVER)) || state < 1 || state > 3)
    return fail(ERROR_INVALID_PARAMETER_CODE);
  if (group) return fail(ERROR_NOT_SUPPORTED_CODE); /* load-order groups: not simulated */
  *needed = 0;
  *returned = 0;
  plat_mutex_lock(g_lock);
  uint32_t i = resume ? *resume : 0;
  /* Entries from the start of the buffer, their strings packed down from its end. */
  ENUM_SERVICE_STATUS_PROCESSW *out = (ENUM_SERVICE_STATUS_PROCESSW *)buffer;
  size_t used = 0, stringsAt = bufferSize;
  uint32_t n = 0;
  for (; i < g_count; i++) {
    const service *s = &g_services[i];
    if (!selected(s, type, state)) continue;
    size_t nameBytes = (u16_len(s->name) + 1) * sizeof(char16_t);
    size_t displayBytes = (u16_len(s->display) + 1) * sizeof(char16_t);
    if (!buffer || used + sizeof *out + nameBytes + displayBytes > stringsAt) break;
    stringsAt -= nameBytes;
    memcpy(buffer + stringsAt, s->name, nameBytes);
    out[n].lpServiceName = (char16_t *)(buffer + stringsAt);
    stringsAt -= displayBytes;
    memcpy(buffer + stringsAt, s->display, displayBytes);
    out[n].lpDisplayName = (char16_t *)(buffer + stringsAt);
    SERVICE_STATUS_PROCESS *st = &out[n].ServiceStatusProcess;
    memset(st, 0, sizeof *st);
    st->dwServiceType = s->type;
    st->dwCurrentState = s->pid ? SERVICE_RUNNING : SERVICE_STOPPED;
    st->dwControlsAccepted = s->pid ? SERVICE_ACCEPT_STOP : 0;
    st->dwProcessId = s->pid;
    used += sizeof *out;
    n++;
  }
  size_t rest = 0;
  for (uint32_t k = i; k < g_count; k++)
    if (selected(&g_services[k], type, state)) rest += entry_bytes(&g_services[k]);
  plat_mutex_unlock(g_lock);
  *returned = n;
  if (rest) {
    /* What the remaining entries need; the caller calls again from *resume with a buffer that size. */
    *needed = (uint32_t)rest;
    if (resume) *resume = i;
    return fail(ERROR_MORE_DATA_CODE);
  }
  if (resume) *resume = 0;
  sim_set_last_error(0);
  return 1;
}

/* Any authenticated user may query a service's configuration (SERVICE_QUERY_CONFIG). */
SIM_API void *OpenServiceW(void *manager, const char16_t *name, uint32_t access) {
  scm_handle *h = manager;
  if (!h || h->magic != SCM_MAGIC) return fail_null(ERROR_INVALID_HANDLE_CODE);
  if (!name) return fail_null(ERROR_INVALID_PARAMETER_CODE);
  if ((access & ~(SERVICE_QUERY_CONFIG | 0x4u /* QUERY_STATUS */ | STANDARD_RIGHTS_READ)) && !g_sim.elevated)
    return fail_null(ERROR_ACCESS_DENIED_CODE);
  plat_mutex_lock(g_lock);
  uint32_t i = 0;
  while (i < g_count && !u16_ieq(g_services[i].name, name)) i++;
  int found = i < g_count;
  if (found) g_openHandles++;
  plat_mutex_unlock(g_lock);
  if (!found) return fail_null(ERROR_SERVICE_DOES_NOT_EXIST_CODE);
  service_handle *sh = calloc(1, sizeof *sh);
  if (!sh) return fail_null(8);
  sh->magic = SVC_MAGIC;
  sh->access = access;
  sh->name = u16_dup(name);
  sim_set_last_error(0);
  return sh;
}

SIM_API int32_t QueryServiceConfig2W(void *handle, uint32_t level, uint8_t *buffer, uint32_t size, uint32_t *needed) {
  service_handle *sh = handle;
  if (!sh || sh->magic != SVC_MAGIC) return fail(ERROR_INVALID_HANDLE_CODE);
  if (!(sh->access & SERVICE_QUERY_CONFIG)) return fail(ERROR_ACCESS_DENIED_CODE);
  if (level != SERVICE_CONFIG_SERVICE_SID_INFO) return fail(ERROR_INVALID_LEVEL_CODE); /* others: not simulated */
  if (!needed) return fail(ERROR_INVALID_PARAMETER_CODE);
  *needed = 4; /* SERVICE_SID_INFO { DWORD dwServiceSidType; } */
  if (!buffer || size < 4) return fail(ERROR_INSUFFICIENT_BUFFER_CODE);
  plat_mutex_lock(g_lock);
  uint32_t i = 0;
  while (i < g_count && !u16_ieq(g_services[i].name, sh->name)) i++;
  uint32_t sidType = i < g_count ? g_services[i].sidType : 0;
  plat_mutex_unlock(g_lock);
  if (i == g_count) return fail(ERROR_SERVICE_DOES_NOT_EXIST_CODE);
  memcpy(buffer, &sidType, 4);
  sim_set_last_error(0);
  return 1;
}

/* ---- control ---- */

/* A service's SID type: 0 none, 1 unrestricted (the default here, as for most services in svchost), 3 restricted. */
SIM_API uint32_t sim_set_service_sid_type(const char16_t *name, uint32_t sidType) {
  if (!name || (sidType != 0 && sidType != 1 && sidType != 3)) return ERROR_INVALID_PARAMETER_CODE;
  plat_mutex_lock(g_lock);
  uint32_t i = 0;
  while (i < g_count && !u16_ieq(g_services[i].name, name)) i++;
  if (i < g_count) g_services[i].sidType = sidType;
  plat_mutex_unlock(g_lock);
  return i < g_count ? 0 : ERROR_SERVICE_DOES_NOT_EXIST_CODE;
}

/* Adds or changes a service: SERVICE_WIN32_OWN_PROCESS 0x10 or SERVICE_WIN32_SHARE_PROCESS 0x20; pid 0: stopped.
   display NULL: the name. */
SIM_API uint32_t sim_set_service(const char16_t *name, const char16_t *display, uint32_t type, uint32_t pid) {
  if (!name || !*name || !(type & SERVICE_WIN32)) return ERROR_INVALID_PARAMETER_CODE;
  plat_mutex_lock(g_lock);
  uint32_t i = 0;
  while (i < g_count && !u16_ieq(g_services[i].name, name)) i++;
  if (i == g_count) {
    if (g_count == MAX_SERVICES) {
      plat_mutex_unlock(g_lock);
      return 8;
    }
    g_services[g_count].sidType = 1;
    g_services[g_count++].name = u16_dup(name);
  }
  service *s = &g_services[i];
  free(s->display);
  s->display = u16_dup(display ? display : name);
  s->type = type;
  s->pid = pid;
  plat_mutex_unlock(g_lock);
  return 0;
}

SIM_API uint32_t sim_services_reset(void) {
  plat_mutex_lock(g_lock);
  for (uint32_t i = 0; i < g_count; i++) {
    free(g_services[i].name);
    free(g_services[i].display);
  }
  memset(g_services, 0, sizeof g_services);
  g_count = 0;
  plat_mutex_unlock(g_lock);
  return 0;
}

/* SCM handles opened and not closed. */
SIM_API uint32_t sim_scm_open_handles(void) {
  plat_mutex_lock(g_lock);
  uint32_t n = g_openHandles;
  plat_mutex_unlock(g_lock);
  return n;
}
#endif
