/* sim_bench_deliver (include/sim_bench.h): one event built as the delivery thread builds it, handed to a plain
   callback many times, for the relay and decode ceilings of `npm run bench`. Touches no simulator state. */
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "../include/sim_bench.h"

typedef void (*bench_callback)(void *context, const void *event);

typedef struct bench_relay {
  bench_callback callback;
  void *context;
  uint32_t count;
} bench_relay;

/* event_deliver frees the event when its callback returns: repeat the outer callback while it is alive. */
static void SIM_WINAPI repeat_cb(void *ctx, const void *event) {
  const bench_relay *relay = ctx;
  for (uint32_t i = 0; i < relay->count; i++) relay->callback(relay->context, event);
}

SIM_API uint32_t sim_bench_deliver(const SIM_CONNECTION *c, uint64_t filterId, uint32_t version,
                                   void (*callback)(void *context, const void *event), void *context,
                                   uint32_t count) {
  if (!c || !callback || version < 1 || version > 5 || c->direction > 1) return ERROR_INVALID_PARAMETER;
  ev_rec *r = calloc(1, sizeof *r);
  if (!r) return ERROR_NOT_ENOUGH_MEMORY;
  uint32_t scope = 0;
  int lk = 0, rk = 0;
  if ((c->localAddress && !(lk = addr_parse(c->localAddress, &r->local4, r->local6, &scope))) ||
      (c->remoteAddress && !(rk = addr_parse(c->remoteAddress, &r->remote4, r->remote6, &scope))) ||
      (lk && rk && lk != rk)) {
    ev_rec_free(r);
    return ERROR_INVALID_PARAMETER;
  }
  r->classified = 1;
  r->type = FWPM_NET_EVENT_TYPE_CLASSIFY_DROP;
  r->timeStamp = plat_filetime_now();
  r->ipVersion = (lk == 6 || rk == 6) ? FWP_IP_VERSION_V6 : FWP_IP_VERSION_V4;
  r->ipProtocol = c->protocol;
  r->flags = FWPM_NET_EVENT_FLAG_IP_VERSION_SET | FWPM_NET_EVENT_FLAG_IP_PROTOCOL_SET;
  if (lk) r->flags |= FWPM_NET_EVENT_FLAG_LOCAL_ADDR_SET, r->localKind = (uint8_t)lk;
  if (rk) r->flags |= FWPM_NET_EVENT_FLAG_REMOTE_ADDR_SET, r->remoteKind = (uint8_t)rk;
  if (c->localPort) r->flags |= FWPM_NET_EVENT_FLAG_LOCAL_PORT_SET, r->localPort = c->localPort;
  if (c->remotePort) r->flags |= FWPM_NET_EVENT_FLAG_REMOTE_PORT_SET, r->remotePort = c->remotePort;
  if (c->appPath) {
    r->appId = app_id_for_path(c->appPath, &r->appIdBytes);
    if (!r->appId) {
      ev_rec_free(r);
      return ERROR_INVALID_PARAMETER;
    }
    r->appIdDeclared = r->appIdBytes;
    r->flags |= FWPM_NET_EVENT_FLAG_APP_ID_SET;
  }
  if (c->userSid && (r->userSidLen = sid_from_string(c->userSid, r->userSid)))
    r->flags |= FWPM_NET_EVENT_FLAG_USER_ID_SET;
  r->filterId = filterId;
  r->layerId = 48; /* ALE_AUTH_CONNECT_V4 */
  r->msFwpDirection = c->direction ? FWP_DIRECTION_IN : FWP_DIRECTION_OUT;
  bench_relay relay = {callback, context, count};
  event_deliver(r, version, repeat_cb, &relay);
  ev_rec_free(r);
  return 0;
}
