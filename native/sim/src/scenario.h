#ifndef PORTCULLIS_SIM_SCENARIO_H
#define PORTCULLIS_SIM_SCENARIO_H

#include "sim.h"

enum { SC_BLANK, SC_ATTEMPT, SC_LOOP, SC_SERVICE };

typedef struct sc_entry {
  int kind;
  uint32_t atMs;
  char16_t *app, *userSid, *packageSid;
  char *local, *remote;
  uint16_t localPort, remotePort;
  uint8_t protocol, direction;
  uint32_t scopeId, repeat, everyMs;
  int loop, hasAfter;
  uint32_t afterMs;
  /* The app's code signature, as WinVerifyTrust reports it (wintrust.c); 0 with no signer: not given. */
  uint32_t signatureResult;
  char16_t *signer;
  int hasSignature;
  /* A name the app looks up first: the DNS client answers it with the line's remote address (etw.c). */
  char16_t *dnsName;
  /* The attempt's process id (0: the simulator picks one per program); for a service line, the service's process. */
  uint32_t pid;
  /* A service line: the service control manager lists it (scm.c) as running in `pid` (0: stopped). */
  char16_t *serviceName, *displayName;
  uint32_t serviceType;
} sc_entry;

#ifndef _WIN32
void sim_dns_answer_for_app(const char16_t *app, const char16_t *name, const char *address);
uint32_t sim_set_service(const char16_t *name, const char16_t *display, uint32_t type, uint32_t pid);
uint32_t sim_set_process(uint32_t pid, const char16_t *path);
#endif
uint32_t sim_attempt_pid(const SIM_CONNECTION *c, uint32_t pid, uint32_t count, uint64_t *filterId);

int scenario_parse_line(const char *line, sc_entry *e, char *error, size_t errorCap);
void scenario_entry_free(sc_entry *e);

#endif
