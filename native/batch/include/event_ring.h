/* Portcullis event ring: WFP's net-event callback, in C, on WFP's delivery thread. It copies each event (the event
   struct, its detail struct, application id, user and package SIDs: exactly what the decoder reads) into a bounded
   ring and returns at once; JavaScript takes the copies in batches and decodes them with the one decoder it has.
   The ring knows no Windows struct: every offset and size comes from the decoder at creation (pc_ring_layout).
   A full ring waits briefly for the reader, then drops the event and counts it. */
#ifndef PORTCULLIS_EVENT_RING_H
#define PORTCULLIS_EVENT_RING_H

#include <stdint.h>

#if defined(_WIN32)
#define PC_API __declspec(dllexport)
#define PC_CALLBACK __stdcall
#else
#define PC_API __attribute__((visibility("default")))
#define PC_CALLBACK
#endif

#define PC_NO_OFFSET 0xFFFFFFFFu
#define PC_EVENT_TYPES 16

typedef struct pc_ring_layout {
  uint32_t eventSize;        /* sizeof(FWPM_NET_EVENT<n>) */
  uint32_t flagsOffset;      /* header.flags */
  uint32_t typeOffset;       /* type */
  uint32_t unionOffset;      /* the pointer to the detail struct */
  uint32_t appIdSizeOffset;  /* header.appId.size */
  uint32_t appIdDataOffset;  /* header.appId.data */
  uint32_t userIdOffset;     /* header.userId */
  uint32_t packageSidOffset; /* header.packageSid, PC_NO_OFFSET before HEADER2 */
  uint32_t appIdFlag;        /* FWPM_NET_EVENT_FLAG_APP_ID_SET */
  uint32_t userIdFlag;       /* FWPM_NET_EVENT_FLAG_USER_ID_SET */
  uint32_t packageIdFlag;    /* FWPM_NET_EVENT_FLAG_PACKAGE_ID_SET */
  uint32_t maxAppIdBytes;    /* larger blobs are not paths: not copied, the decoder rejects them */
  uint32_t detailSize[PC_EVENT_TYPES]; /* bytes of the detail struct the decoder reads, per event type; 0: none */
} pc_ring_layout;

typedef struct pc_ring pc_ring;

/* capacityBytes is rounded down to a multiple of 8; at least 128 KiB so that the largest event fits. When the ring
   is full the callback waits up to fullWaitMs for the reader, then drops (and drops at once until there is room). */
PC_API pc_ring *pc_ring_create(const pc_ring_layout *layout, uint32_t capacityBytes, uint32_t fullWaitMs);
/* From now on a full ring drops at once: the reader is about to stop reading. */
PC_API void pc_ring_close(pc_ring *ring);
/* Only after WFP let go of the callback (FwpmNetEventUnsubscribe0 returned). */
PC_API void pc_ring_destroy(pc_ring *ring);
/* The address of the callback to hand FwpmNetEventSubscribe<n>, with the ring as its context. */
PC_API void *pc_ring_callback(void);
/* The callback itself: void CALLBACK (void *context, const FWPM_NET_EVENT<n> *event). */
PC_API void PC_CALLBACK pc_ring_on_event(void *context, const void *event);
/* Up to max waiting events, oldest first, each copied whole into out as long as it fits in outBytes (a record: uint32
   its length in bytes, a multiple of 8; uint32 its offset in the ring; the event copy, whose pointers lead into the
   ring at pc_ring_base). Their space in the ring is free at once. Returns how many were copied. */
PC_API uint32_t pc_ring_copy(pc_ring *ring, uint8_t *out, uint32_t outBytes, uint32_t max);
/* The address of the ring's memory, for reading the pointers inside records copied out by pc_ring_copy. */
PC_API uint64_t pc_ring_base(pc_ring *ring);
/* out[0] events accepted, out[1] dropped (ring full), out[2] bytes in use, out[3] capacity in bytes. */
PC_API void pc_ring_stats(pc_ring *ring, uint64_t *out);

#endif
