/*
 * advapi32's real-time trace API as far as Portcullis's DNS-name source calls it (StartTraceW, EnableTraceEx2,
 * OpenTraceW, ProcessTrace, CloseTrace, ControlTraceW), and kernel32's OpenProcess / QueryFullProcessImageNameW for
 * the querying process's executable. Built on non-Windows platforms only; sources in native/sim/FIDELITY.md
 * ("DNS names").
 *
 * The Microsoft-Windows-DNS-Client provider is played by sim_dns_answer: while a session has the provider enabled
 * and a consumer sits in ProcessTrace, each answer becomes event 3008 (QueryName, QueryType, QueryOptions,
 * QueryStatus, QueryResults, packed as the manifest lays them out) delivered on ProcessTrace's thread. With no
 * session, answers are lost, as on Windows.
 */
#ifndef _WIN32
#include <stdlib.h>
#include <string.h>

#include "audit_types.h"
#include "etw_types.h"
#include "sim.h"

#define ERROR_ACCESS_DENIED_CODE 5u
#define ERROR_BAD_LENGTH_CODE 24u
#define ERROR_INVALID_PARAMETER_CODE 87u
#define ERROR_ALREADY_EXISTS_CODE 183u
#define ERROR_WMI_INSTANCE_NOT_FOUND_CODE 4201u
#define EVENT_TRACE_REAL_TIME_MODE 0x100u
#define PROCESS_TRACE_MODE_REAL_TIME 0x100u
#define PROCESS_TRACE_MODE_EVENT_RECORD 0x10000000u
#define EVENT_CONTROL_CODE_ENABLE_PROVIDER 1u
#define EVENT_TRACE_CONTROL_STOP 1u
#define INVALID_TRACE ((uint64_t)-1)
enum { MAX_SESSIONS = 8, MAX_QUEUED = 4096, NAME_CHARS = 128 };

static const GUID DNS_CLIENT = {0x1c95126e, 0x7eea, 0x49a9, {0xa3, 0xfe, 0xa3, 0x78, 0xb0, 0x3d, 0xdb, 0x4d}};

typedef struct dns_event {
  struct dns_event *next;
  uint32_t pid, type, status;
  uint64_t time;
  char16_t *name, *results;
} dns_event;

typedef struct session {
  int used, active, dnsEnabled;
  uint64_t handle;
  char16_t name[NAME_CHARS];
  /* one real-time consumer at a time, as Portcullis uses it */
  uint64_t consumer;
  int consumerClosed, consuming;
  PEVENT_RECORD_CALLBACK callback;
  void *context;
  dns_event *head, *tail;
  uint32_t queued;
} session;

static plat_mutex *g_lock;
static plat_cond *g_cond;
static session g_sessions[MAX_SESSIONS];
static uint64_t g_nextHandle = 0x1000;
static uint32_t g_lostAnswers;

typedef struct process_entry {
  struct process_entry *next;
  uint32_t pid;
  char16_t *path;
} process_entry;
static process_entry *g_processes;
typedef struct process_handle {
  uint32_t magic;
  uint32_t pid;
} process_handle;
#define PROCESS_MAGIC 0x50524f43u

__attribute__((constructor)) static void etw_init(void) {
  g_lock = plat_mutex_new();
  g_cond = plat_cond_new();
}

static void u16_copy(char16_t *dst, const char16_t *src, size_t max) {
  size_t n = u16_len(src);
  if (n >= max) n = max - 1;
  memcpy(dst, src, n * sizeof *dst);
  dst[n] = 0;
}

static session *by_handle_locked(uint64_t h) {
  for (int i = 0; i < MAX_SESSIONS; i++)
    if (g_sessions[i].used && g_sessions[i].active && g_sessions[i].handle == h) return &g_sessions[i];
  return NULL;
}

static session *by_name_locked(const char16_t *name) {
  for (int i = 0; i < MAX_SESSIONS; i++)
    if (g_sessions[i].used && g_sessions[i].active && name && u16_ieq(g_sessions[i].name, name)) return &g_sessions[i];
  return NULL;
}

static session *by_consumer_locked(uint64_t h) {
  for (int i = 0; i < MAX_SESSIONS; i++)
    if (g_sessions[i].used && g_sessions[i].consumer == h && h) return &g_sessions[i];
  return NULL;
}

static void free_events(session *s) {
  while (s->head) {
    dns_event *e = s->head->next;
    free(s->head->name);
    free(s->head->results);
    free(s->head);
    s->head = e;
  }
  s->tail = NULL;
  s->queued = 0;
}

SIM_API uint32_t StartTraceW(uint64_t *handle, const char16_t *name, EVENT_TRACE_PROPERTIES *p) {
  if (!handle || !name || !p) return ERROR_INVALID_PARAMETER_CODE;
  if (!g_sim.elevated) return ERROR_ACCESS_DENIED_CODE; /* only administrators (and Performance Log Users) */
  if (p->Wnode.BufferSize < sizeof *p || p->LoggerNameOffset < sizeof *p ||
      p->LoggerNameOffset + (u16_len(name) + 1) * sizeof(char16_t) > p->Wnode.BufferSize)
    return ERROR_BAD_LENGTH_CODE;
  if (!(p->LogFileMode & EVENT_TRACE_REAL_TIME_MODE)) return ERROR_INVALID_PARAMETER_CODE;
  plat_mutex_lock(g_lock);
  /* A session outlives the process that started it: a crashed Portcullis finds its own still running. */
  if (by_name_locked(name)) {
    plat_mutex_unlock(g_lock);
    return ERROR_ALREADY_EXISTS_CODE;
  }
  session *s = NULL;
  for (int i = 0; i < MAX_SESSIONS && !s; i++)
    if (!g_sessions[i].used) s = &g_sessions[i];
  if (!s) {
    plat_mutex_unlock(g_lock);
    return 1450; /* ERROR_NO_SYSTEM_RESOURCES: Windows allows 64 sessions; the simulator 8 */
  }
  memset(s, 0, sizeof *s);
  s->used = s->active = 1;
  s->handle = g_nextHandle++;
  u16_copy(s->name, name, NAME_CHARS);
  *handle = s->handle;
  /* Windows copies the name to LoggerNameOffset and fills in the session's statistics. */
  memcpy((uint8_t *)p + p->LoggerNameOffset, name, (u16_len(name) + 1) * sizeof(char16_t));
  plat_mutex_unlock(g_lock);
  return 0;
}

SIM_API uint32_t ControlTraceW(uint64_t handle, const char16_t *name, EVENT_TRACE_PROPERTIES *p, uint32_t code) {
  if (code != EVENT_TRACE_CONTROL_STOP) return ERROR_INVALID_PARAMETER_CODE;
  if (!p || p->Wnode.BufferSize < sizeof *p) return ERROR_BAD_LENGTH_CODE;
  plat_mutex_lock(g_lock);
  session *s = handle ? by_handle_locked(handle) : by_name_locked(name);
  if (!s) {
    plat_mutex_unlock(g_lock);
    return ERROR_WMI_INSTANCE_NOT_FOUND_CODE;
  }
  s->active = 0;
  s->dnsEnabled = 0;
  if (!s->consuming) {
    free_events(s);
    s->used = 0;
  }
  plat_cond_broadcast(g_cond);
  plat_mutex_unlock(g_lock);
  return 0;
}

SIM_API uint32_t EnableTraceEx2(uint64_t handle, const GUID *provider, uint32_t control, uint8_t level,
                                uint64_t matchAny, uint64_t matchAll, uint32_t timeout, void *parameters) {
  (void)level; (void)matchAny; (void)matchAll; (void)timeout; (void)parameters;
  if (!provider) return ERROR_INVALID_PARAMETER_CODE;
  plat_mutex_lock(g_lock);
  session *s = by_handle_locked(handle);
  if (s && guid_eq(provider, &DNS_CLIENT)) s->dnsEnabled = control == EVENT_CONTROL_CODE_ENABLE_PROVIDER;
  plat_mutex_unlock(g_lock);
  return s ? 0 : ERROR_INVALID_PARAMETER_CODE;
}

SIM_API uint64_t OpenTraceW(EVENT_TRACE_LOGFILEW *lf) {
  if (!lf || !lf->LoggerName || lf->LogFileName) return INVALID_TRACE;
  uint32_t need = PROCESS_TRACE_MODE_REAL_TIME | PROCESS_TRACE_MODE_EVENT_RECORD;
  if ((lf->ProcessTraceMode & need) != need || !lf->EventRecordCallback) return INVALID_TRACE;
  plat_mutex_lock(g_lock);
  session *s = by_name_locked(lf->LoggerName);
  uint64_t h = INVALID_TRACE;
  if (s && !s->consumer) {
    s->consumer = g_nextHandle++;
    s->consumerClosed = 0;
    s->callback = lf->EventRecordCallback;
    s->context = lf->Context;
    h = s->consumer;
  }
  plat_mutex_unlock(g_lock);
  return h;
}

static void deliver(session *s, const dns_event *e) {
  size_t nameBytes = (u16_len(e->name) + 1) * sizeof(char16_t);
  size_t resultBytes = (u16_len(e->results) + 1) * sizeof(char16_t);
  size_t total = nameBytes + 4 + 8 + 4 + resultBytes;
  uint8_t *data = malloc(total);
  if (!data) return;
  /* Packed, no padding: the manifest's template for 3008, field after field. */
  uint8_t *p = data;
  uint64_t options = 0;
  memcpy(p, e->name, nameBytes), p += nameBytes;
  memcpy(p, &e->type, 4), p += 4;
  memcpy(p, &options, 8), p += 8;
  memcpy(p, &e->status, 4), p += 4;
  memcpy(p, e->results, resultBytes);
  EVENT_RECORD r;
  memset(&r, 0, sizeof r);
  r.EventHeader.Size = sizeof r.EventHeader;
  r.EventHeader.ProcessId = e->pid;
  r.EventHeader.ThreadId = e->pid + 4;
  r.EventHeader.TimeStamp = (int64_t)e->time;
  r.EventHeader.ProviderId = DNS_CLIENT;
  r.EventHeader.EventDescriptor.Id = 3008;
  r.EventHeader.EventDescriptor.Level = 4;
  r.EventHeader.EventDescriptor.Keyword = 0x8000000000000000ull;
  r.UserDataLength = (uint16_t)total;
  r.UserData = data;
  r.UserContext = s->context;
  s->callback(&r);
  free(data);
}

SIM_API uint32_t ProcessTrace(uint64_t *handles, uint32_t count, void *start, void *end) {
  (void)start; (void)end;
  if (!handles || count != 1) return ERROR_INVALID_PARAMETER_CODE;
  plat_mutex_lock(g_lock);
  session *s = by_consumer_locked(handles[0]);
  if (!s || s->consuming) {
    plat_mutex_unlock(g_lock);
    return ERROR_INVALID_PARAMETER_CODE;
  }
  s->consuming = 1;
  for (;;) {
    while (!s->head && s->active && !s->consumerClosed) plat_cond_wait(g_cond, g_lock);
    if (!s->head) break; /* stopped or closed, and nothing left */
    if (s->consumerClosed) break;
    dns_event *e = s->head;
    s->head = e->next;
    if (!s->head) s->tail = NULL;
    s->queued--;
    plat_mutex_unlock(g_lock);
    deliver(s, e);
    free(e->name);
    free(e->results);
    free(e);
    plat_mutex_lock(g_lock);
  }
  s->consuming = 0;
  s->consumer = 0;
  if (!s->active) {
    free_events(s);
    s->used = 0;
  }
  plat_cond_broadcast(g_cond);
  plat_mutex_unlock(g_lock);
  return 0;
}

SIM_API uint32_t CloseTrace(uint64_t handle) {
  plat_mutex_lock(g_lock);
  session *s = by_consumer_locked(handle);
  if (s) s->consumerClosed = 1;
  if (s && !s->consuming) s->consumer = 0;
  plat_cond_broadcast(g_cond);
  plat_mutex_unlock(g_lock);
  return s ? 0 : ERROR_INVALID_PARAMETER_CODE;
}

/* ---- kernel32: which executable a process id runs ---- */

SIM_API void *OpenProcess(uint32_t access, int32_t inherit, uint32_t pid) {
  (void)access; (void)inherit;
  plat_mutex_lock(g_lock);
  process_entry *p = g_processes;
  while (p && p->pid != pid) p = p->next;
  plat_mutex_unlock(g_lock);
  if (!p) return NULL; /* ERROR_INVALID_PARAMETER: no such process (it has exited) */
  process_handle *h = calloc(1, sizeof *h);
  if (!h) return NULL;
  h->magic = PROCESS_MAGIC;
  h->pid = pid;
  return h;
}

SIM_API int32_t QueryFullProcessImageNameW(void *handle, uint32_t flags, char16_t *out, uint32_t *size) {
  process_handle *h = handle;
  if (!h || h->magic != PROCESS_MAGIC || flags || !out || !size) return 0;
  plat_mutex_lock(g_lock);
  process_entry *p = g_processes;
  while (p && p->pid != h->pid) p = p->next;
  int ok = 0;
  if (p) {
    uint32_t n = (uint32_t)u16_len(p->path);
    if (n + 1 <= *size) {
      memcpy(out, p->path, (n + 1) * sizeof *out);
      *size = n; /* characters written, without the NUL */
      ok = 1;
    }
  }
  plat_mutex_unlock(g_lock);
  return ok;
}

int32_t sim_close_other_handle(void *handle) {
  process_handle *h = handle;
  if (!h) return 0;
  if (h->magic != PROCESS_MAGIC) return evt_close_kernel_handle(handle);
  h->magic = 0;
  free(h);
  return 1;
}

/* ---- control ---- */

SIM_API uint32_t sim_set_process(uint32_t pid, const char16_t *path) {
  plat_mutex_lock(g_lock);
  process_entry **pp = &g_processes;
  while (*pp && (*pp)->pid != pid) pp = &(*pp)->next;
  if (*pp) {
    process_entry *gone = *pp;
    *pp = gone->next;
    free(gone->path);
    free(gone);
  }
  if (path) {
    process_entry *p = calloc(1, sizeof *p);
    if (p) {
      p->pid = pid;
      p->path = u16_dup(path);
      p->next = g_processes;
      g_processes = p;
    }
  }
  plat_mutex_unlock(g_lock);
  return 0;
}

/* A process id for a program, registering one if needed (the scenario's programs). */
uint32_t sim_pid_of_app(const char16_t *path) {
  plat_mutex_lock(g_lock);
  uint32_t pid = 0, highest = 4000;
  for (process_entry *p = g_processes; p; p = p->next) {
    if (u16_ieq(p->path, path)) pid = p->pid;
    if (p->pid > highest) highest = p->pid;
  }
  plat_mutex_unlock(g_lock);
  if (!pid) {
    pid = highest + 4;
    sim_set_process(pid, path);
  }
  return pid;
}

SIM_API uint32_t sim_dns_answer(uint32_t pid, const char16_t *name, const char16_t *results, uint32_t status) {
  if (!name || !results) return 0;
  uint32_t delivered = 0;
  plat_mutex_lock(g_lock);
  for (int i = 0; i < MAX_SESSIONS; i++) {
    session *s = &g_sessions[i];
    if (!s->used || !s->active || !s->dnsEnabled) continue;
    if (s->queued >= MAX_QUEUED) continue; /* a consumer that falls behind loses events, as real-time ETW does */
    dns_event *e = calloc(1, sizeof *e);
    if (!e) continue;
    e->pid = pid;
    e->type = 1;
    e->status = status;
    e->time = plat_filetime_now();
    e->name = u16_dup(name);
    e->results = u16_dup(results);
    if (s->tail) s->tail->next = e;
    else s->head = e;
    s->tail = e;
    s->queued++;
    delivered++;
  }
  if (!delivered) g_lostAnswers++;
  plat_cond_broadcast(g_cond);
  plat_mutex_unlock(g_lock);
  return delivered;
}

/* The scenario's "dns" key: the program looks the name up, and the answer is the line's remote address. */
void sim_dns_answer_for_app(const char16_t *app, const char16_t *name, const char *address) {
  if (!app || !name || !address) return;
  char16_t results[80];
  size_t n = 0;
  int v4 = strchr(address, ':') == NULL;
  const char *prefix = v4 ? "::ffff:" : "";
  for (const char *c = prefix; *c && n < 70; c++) results[n++] = (char16_t)*c;
  for (const char *c = address; *c && n < 78; c++) results[n++] = (char16_t)*c;
  results[n++] = u';';
  results[n] = 0;
  sim_dns_answer(sim_pid_of_app(app), name, results, 0);
}

SIM_API uint32_t sim_etw_reset(void) {
  plat_mutex_lock(g_lock);
  for (int i = 0; i < MAX_SESSIONS; i++) {
    session *s = &g_sessions[i];
    if (!s->used) continue;
    s->active = 0;
    s->dnsEnabled = 0;
    s->consumerClosed = 1;
    if (!s->consuming) {
      free_events(s);
      s->used = 0;
    }
  }
  while (g_processes) {
    process_entry *p = g_processes->next;
    free(g_processes->path);
    free(g_processes);
    g_processes = p;
  }
  g_lostAnswers = 0;
  plat_cond_broadcast(g_cond);
  plat_mutex_unlock(g_lock);
  return 0;
}

/* Sessions running (started and not stopped), for tests that check Portcullis stops what it started. */
SIM_API uint32_t sim_etw_sessions(void) {
  plat_mutex_lock(g_lock);
  uint32_t n = 0;
  for (int i = 0; i < MAX_SESSIONS; i++) n += g_sessions[i].used && g_sessions[i].active;
  plat_mutex_unlock(g_lock);
  return n;
}
#endif
