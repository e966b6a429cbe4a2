/* sim_inject_event and sim_inject_raw: events built by tests, not by classification. */
#include <stdlib.h>
#include <string.h>

#include "sim.h"

static uint32_t parse_spec_address(const char *text, uint8_t *kind, uint32_t *v4, uint8_t v6[16]) {
  if (!text) return 0;
  uint32_t scope;
  int k = addr_parse(text, v4, v6, &scope);
  if (!k) return ERROR_INVALID_PARAMETER;
  *kind = (uint8_t)k;
  return 0;
}

SIM_API uint32_t sim_inject_event(const SIM_EVENT_SPEC *spec) {
  if (!spec || (spec->appIdBytes && !spec->appId)) return ERROR_INVALID_PARAMETER;
  ev_rec *r = calloc(1, sizeof *r);
  if (!r) return ERROR_NOT_ENOUGH_MEMORY;
  r->type = spec->type;
  r->flags = spec->flags;
  r->timeStamp = spec->timeStamp;
  r->ipVersion = spec->ipVersion;
  r->ipProtocol = spec->ipProtocol;
  uint32_t rc = parse_spec_address(spec->localAddress, &r->localKind, &r->local4, r->local6);
  if (!rc) rc = parse_spec_address(spec->remoteAddress, &r->remoteKind, &r->remote4, r->remote6);
  r->localPort = spec->localPort;
  r->remotePort = spec->remotePort;
  r->scopeId = spec->scopeId;
  if (!rc && spec->appIdBytes) {
    r->appId = malloc(spec->appIdBytes);
    if (!r->appId) rc = ERROR_NOT_ENOUGH_MEMORY;
    else memcpy(r->appId, spec->appId, spec->appIdBytes);
  }
  r->appIdBytes = spec->appIdBytes;
  r->appIdDeclared = spec->appIdDeclaredSize;
  if (!rc && spec->userSid && !(r->userSidLen = sid_from_string(spec->userSid, r->userSid))) rc = ERROR_INVALID_PARAMETER;
  if (!rc && spec->packageSid && !(r->packageSidLen = sid_from_string(spec->packageSid, r->packageSid)))
    rc = ERROR_INVALID_PARAMETER;
  r->filterId = spec->filterId;
  r->layerId = spec->layerId;
  r->msFwpDirection = spec->msFwpDirection;
  r->isLoopback = spec->isLoopback;
  r->reauthReason = spec->reauthReason;
  if (rc) {
    ev_rec_free(r);
    return rc;
  }
  return events_enqueue(r, 1);
}

SIM_API uint32_t sim_inject_raw(const uint8_t *bytes, uint32_t size, uint32_t version) {
  if (version < 1 || version > 5 || (size && !bytes)) return ERROR_INVALID_PARAMETER;
  ev_rec *r = calloc(1, sizeof *r);
  if (!r) return ERROR_NOT_ENOUGH_MEMORY;
  r->rawVersion = version;
  r->rawSize = size;
  if (size) {
    r->raw = malloc(size);
    if (!r->raw) {
      ev_rec_free(r);
      return ERROR_NOT_ENOUGH_MEMORY;
    }
    memcpy(r->raw, bytes, size);
  }
  return events_enqueue(r, 1);
}

