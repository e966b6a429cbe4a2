/* Builds an event in the struct version a subscription expects, for the duration of one callback. */
#include <stdlib.h>
#include <string.h>

#include "sim.h"

static size_t event_size(uint32_t version) {
  switch (version) {
  case 1: return sizeof(FWPM_NET_EVENT1);
  case 2: return sizeof(FWPM_NET_EVENT2);
  case 3:
  case 4: return sizeof(FWPM_NET_EVENT3);
  default: return sizeof(FWPM_NET_EVENT5);
  }
}

typedef struct event_block {
  union {
    FWPM_NET_EVENT1 e1;
    FWPM_NET_EVENT2 e2;
    FWPM_NET_EVENT3 e3;
    FWPM_NET_EVENT5 e5;
  } ev;
  union {
    FWPM_NET_EVENT_CLASSIFY_DROP1 drop1;
    FWPM_NET_EVENT_CLASSIFY_DROP2 drop2;
    FWPM_NET_EVENT_CLASSIFY_ALLOW0 allow;
    FWPM_NET_EVENT_CAPABILITY_DROP0 capability;
  } detail;
  uint8_t userSid[68];
  uint8_t packageSid[68];
} event_block;

/* What each version can carry: an attempt classified by the simulator never claims more. */
static uint32_t flags_for(const ev_rec *r, uint32_t version) {
  if (!r->classified) return r->flags;
  uint32_t f = r->flags;
  if (version < 2) f &= ~(uint32_t)FWPM_NET_EVENT_FLAG_PACKAGE_ID_SET;
  if (version < 3)
    f &= ~(uint32_t)(FWPM_NET_EVENT_FLAG_ENTERPRISE_ID_SET | FWPM_NET_EVENT_FLAG_POLICY_FLAGS_SET |
                     FWPM_NET_EVENT_FLAG_EFFECTIVE_NAME_SET);
  return f;
}

#define FILL_HEADER_COMMON(h)                                                                      \
  do {                                                                                             \
    (h).timeStamp.dwLowDateTime = (uint32_t)r->timeStamp;                                          \
    (h).timeStamp.dwHighDateTime = (uint32_t)(r->timeStamp >> 32);                                 \
    (h).flags = flags;                                                                             \
    if (flags & FWPM_NET_EVENT_FLAG_IP_VERSION_SET) (h).ipVersion = r->ipVersion;                  \
    if (flags & FWPM_NET_EVENT_FLAG_IP_PROTOCOL_SET) (h).ipProtocol = r->ipProtocol;               \
    if (flags & FWPM_NET_EVENT_FLAG_LOCAL_ADDR_SET) {                                              \
      if (r->localKind == 6) memcpy((h).localAddrV6.byteArray16, r->local6, 16);                   \
      else (h).localAddrV4 = r->local4;                                                            \
    }                                                                                              \
    if (flags & FWPM_NET_EVENT_FLAG_REMOTE_ADDR_SET) {                                             \
      if (r->remoteKind == 6) memcpy((h).remoteAddrV6.byteArray16, r->remote6, 16);                \
      else (h).remoteAddrV4 = r->remote4;                                                          \
    }                                                                                              \
    if (flags & FWPM_NET_EVENT_FLAG_LOCAL_PORT_SET) (h).localPort = r->localPort;                  \
    if (flags & FWPM_NET_EVENT_FLAG_REMOTE_PORT_SET) (h).remotePort = r->remotePort;               \
    if (flags & FWPM_NET_EVENT_FLAG_SCOPE_ID_SET) (h).scopeId = r->scopeId;                        \
    if (flags & FWPM_NET_EVENT_FLAG_APP_ID_SET) {                                                  \
      (h).appId.size = r->appIdDeclared;                                                           \
      (h).appId.data = guarded;                                                                    \
    }                                                                                              \
    if ((flags & FWPM_NET_EVENT_FLAG_USER_ID_SET) && r->userSidLen) {                              \
      memcpy(b->userSid, r->userSid, r->userSidLen);                                               \
      (h).userId = (SID *)b->userSid;                                                              \
    }                                                                                              \
  } while (0)

#define FILL_HEADER_2(h)                                                                           \
  do {                                                                                             \
    (h).addressFamily = !(flags & FWPM_NET_EVENT_FLAG_IP_VERSION_SET) ? 3u                         \
                        : r->ipVersion == FWP_IP_VERSION_V6           ? FWP_AF_INET6               \
                                                                      : FWP_AF_INET;               \
    if ((flags & FWPM_NET_EVENT_FLAG_PACKAGE_ID_SET) && r->packageSidLen) {                        \
      memcpy(b->packageSid, r->packageSid, r->packageSidLen);                                      \
      (h).packageSid = (SID *)b->packageSid;                                                       \
    }                                                                                              \
  } while (0)

/* The union member for the event's type, or NULL for types the simulator does not detail. */
static void *fill_detail(event_block *b, const ev_rec *r, uint32_t version) {
  switch (r->type) {
  case FWPM_NET_EVENT_TYPE_CLASSIFY_DROP:
    b->detail.drop1.filterId = r->filterId;
    b->detail.drop1.layerId = r->layerId;
    b->detail.drop1.reauthReason = r->reauthReason;
    b->detail.drop1.msFwpDirection = r->msFwpDirection;
    b->detail.drop1.isLoopback = r->isLoopback;
    return &b->detail; /* DROP2 begins with DROP1's fields; vSwitch fields stay zero */
  case FWPM_NET_EVENT_TYPE_CLASSIFY_ALLOW:
    if (version < 2) return NULL;
    b->detail.allow.filterId = r->filterId;
    b->detail.allow.layerId = r->layerId;
    b->detail.allow.reauthReason = r->reauthReason;
    b->detail.allow.msFwpDirection = r->msFwpDirection;
    b->detail.allow.isLoopback = r->isLoopback;
    return &b->detail;
  case FWPM_NET_EVENT_TYPE_CAPABILITY_DROP:
  case FWPM_NET_EVENT_TYPE_CAPABILITY_ALLOW:
    if (version < 2) return NULL;
    b->detail.capability.filterId = r->filterId;
    b->detail.capability.isLoopback = r->isLoopback;
    return &b->detail;
  default:
    return NULL;
  }
}

/* Builds the event in the subscription's version and calls back: the memory is valid only during the call, as
   with the real one (the event lives on this stack frame). The app id sits flush against a guard page. */
void event_deliver(const ev_rec *r, uint32_t version, FWPM_NET_EVENT_CALLBACK cb, void *ctx) {
  if (r->rawVersion) {
    size_t size = event_size(version);
    if (r->rawSize > size) size = r->rawSize;
    uint8_t *buf = calloc(1, size);
    if (!buf) return;
    if (r->rawSize) memcpy(buf, r->raw, r->rawSize);
    cb(ctx, buf);
    free(buf);
    return;
  }
  event_block block;
  memset(&block, 0, sizeof block);
  event_block *b = &block;
  uint32_t flags = flags_for(r, version);
  guarded_blob blob = {0};
  uint8_t *guarded = NULL;
  if ((flags & FWPM_NET_EVENT_FLAG_APP_ID_SET) && r->appId && r->appIdBytes)
    guarded = guarded_copy(&blob, r->appId, r->appIdBytes);
  void *detail = fill_detail(b, r, version);
  switch (version) {
  case 1:
    FILL_HEADER_COMMON(b->ev.e1.header);
    b->ev.e1.type = r->type;
    b->ev.e1.classifyDrop = detail;
    break;
  case 2:
    FILL_HEADER_COMMON(b->ev.e2.header);
    FILL_HEADER_2(b->ev.e2.header);
    b->ev.e2.type = r->type;
    b->ev.e2.classifyDrop = detail;
    break;
  case 3:
  case 4:
    FILL_HEADER_COMMON(b->ev.e3.header);
    FILL_HEADER_2(b->ev.e3.header);
    b->ev.e3.type = r->type;
    b->ev.e3.classifyDrop = detail;
    break;
  default:
    FILL_HEADER_COMMON(b->ev.e5.header);
    FILL_HEADER_2(b->ev.e5.header);
    b->ev.e5.type = r->type;
    b->ev.e5.classifyDrop = detail;
    break;
  }
  cb(ctx, &b->ev);
  guarded_release(&blob);
}

