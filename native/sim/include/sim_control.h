/*
 * Control API of the WFP simulator: what tests and the demo use to drive it. Everything else the library
 * exports has the name, signature and x64 layout of fwpuclnt.dll (and kernel32's QueryDosDeviceW).
 * Strings the Windows API takes as WCHAR are UTF-16 (char16_t) here too, on every platform.
 * Every function returns 0 (ERROR_SUCCESS) or a Win32/FWP error code unless said otherwise.
 */
#ifndef PORTCULLIS_SIM_CONTROL_H
#define PORTCULLIS_SIM_CONTROL_H

#include <stdint.h>
#include <uchar.h>

#ifdef _WIN32
#define SIM_API __declspec(dllexport)
#else
#define SIM_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* One connection attempt, classified like WFP's ALE connect / recv-accept layers. */
typedef struct SIM_CONNECTION {
  const char16_t *appPath;    /* DOS path (C:\Apps\tool.exe) or u"System"; NULL: no application */
  const char16_t *userSid;    /* string SID (S-1-5-80-...), optional */
  const char16_t *packageSid; /* string SID of an app container (S-1-15-2-...), optional */
  const char *localAddress;   /* "192.168.1.10" or "fe80::1"; NULL: unset */
  const char *remoteAddress;
  uint32_t scopeId;           /* IPv6 scope id, 0: none */
  uint16_t localPort;
  uint16_t remotePort;
  uint8_t protocol;           /* 6 TCP, 17 UDP, 1 ICMP ... */
  uint8_t direction;          /* 0 outbound (ALE_AUTH_CONNECT), 1 inbound (ALE_AUTH_RECV_ACCEPT) */
} SIM_CONNECTION;

/* The token a connection is classified with, beyond SIM_CONNECTION.userSid (the process's account, which is what
   the event header reports: S-1-5-18/19/20 for svchost). An ALE_USER_ID condition is an access check against the
   effective token: the account and these groups (the service SIDs of the services in the process whose SID type
   is unrestricted or restricted), or, while the process impersonates, the impersonation token instead. */
#define SIM_TOKEN_MAX_GROUPS 16
typedef struct SIM_TOKEN {
  const char16_t *const *groupSids;            /* string SIDs; groupCount of them */
  uint32_t groupCount;
  const char16_t *impersonatedUserSid;         /* NULL: not impersonating */
  const char16_t *const *impersonatedGroupSids;
  uint32_t impersonatedGroupCount;
} SIM_TOKEN;

/* A fully specified net event, built by the simulator in the struct version each subscription expects. */
typedef struct SIM_EVENT_SPEC {
  uint32_t type;              /* FWPM_NET_EVENT_TYPE; unknown numbers are delivered as they are */
  uint32_t flags;             /* FWPM_NET_EVENT_FLAG_*; fields whose flag is clear are left zero */
  uint64_t timeStamp;         /* FILETIME ticks */
  uint32_t ipVersion;         /* FWP_IP_VERSION */
  uint8_t ipProtocol;
  const char *localAddress;   /* parsed into the header: IPv4 as a host-order UINT32, IPv6 as network-order bytes */
  const char *remoteAddress;
  uint16_t localPort;
  uint16_t remotePort;
  uint32_t scopeId;
  const uint8_t *appId;       /* bytes copied into the blob (UTF-16LE path, any content) */
  uint32_t appIdBytes;        /* how many bytes the blob buffer really holds */
  uint32_t appIdDeclaredSize; /* what FWP_BYTE_BLOB.size says (may differ from appIdBytes, to test bounds) */
  const char16_t *userSid;
  const char16_t *packageSid;
  uint64_t filterId;          /* classifyDrop / classifyAllow / capability* */
  uint16_t layerId;
  uint32_t msFwpDirection;    /* 0x3900 in, 0x3901 out, 0x3902 forward, or 0/1 */
  int32_t isLoopback;
  uint32_t reauthReason;
} SIM_EVENT_SPEC;

/* Back to a fresh machine: no sessions' objects, options at Windows defaults (collection on, no keywords),
   the baseline "Windows Defender Firewall" provider, sublayer and its block rules, drive C: mapped to
   \Device\HarddiskVolume3 and D: to \Device\HarddiskVolume4, elevated, BFE running, counters zero.
   Does not kill live subscriptions; call after they are stopped. */
SIM_API uint32_t sim_reset(void);

/* 0: the process is not elevated. FwpmEngineOpen0 still succeeds (everyone may open the engine); every call that
   takes an engine handle then fails with ERROR_ACCESS_DENIED (5), except FwpmEngineClose0. */
SIM_API uint32_t sim_set_elevated(int32_t elevated);

/* The next `attempts` calls of FwpmEngineOpen0 fail with EPT_S_NOT_REGISTERED (1753), as while BFE starts. */
SIM_API uint32_t sim_set_bfe_unavailable(uint32_t attempts);

/* Maps a drive ("C:") to an NT device ("\Device\HarddiskVolume3"); device NULL removes the mapping. */
SIM_API uint32_t sim_map_drive(const char16_t *drive, const char16_t *device);

/* Classifies one attempt the way WFP arbitrates (sublayers by weight, filters by weight, hard/soft permit,
   block) and queues the net event it produces for the delivery thread (drops always when collection is on;
   allows only with the CLASSIFY_ALLOW keyword). Returns FWP_ACTION_PERMIT (0x1002) or FWP_ACTION_BLOCK
   (0x1001), and writes the deciding filter's id (0: none, default permit) to *filterId when not NULL. */
SIM_API uint32_t sim_connect(const SIM_CONNECTION *connection, uint64_t *filterId);

/* sim_connect with a token (group SIDs, impersonation); token NULL is sim_connect. */
SIM_API uint32_t sim_connect_as(const SIM_CONNECTION *connection, const SIM_TOKEN *token, uint64_t *filterId);

/* Installs (1) or removes (0) another product's VPN kill switch, as wireguard-windows builds one
   (tunnel/firewall/blocker.go, rules.go): its own provider and a sublayer of weight 0xFFFF; permits for the VPN
   client itself (C:\Program Files\Contoso VPN\vpn.exe), loopback (FWPM_CONDITION_FLAGS) and the tunnel
   server 198.51.100.1; below them a block of everything, in both directions, IPv4 and IPv6. hard 1 adds the blocks
   with FWPM_FILTER_FLAG_CLEAR_ACTION_RIGHT, 0 as plain blocks (what wireguard-windows does). */
SIM_API uint32_t sim_set_kill_switch(int32_t on, int32_t hard);

/* The same attempt `count` times in a row, as a flood; returns the verdict of the first. */
SIM_API uint32_t sim_connect_repeat(const SIM_CONNECTION *connection, uint32_t count, uint64_t *filterId);

/* Queues one event built from spec for every live subscription. */
SIM_API uint32_t sim_inject_event(const SIM_EVENT_SPEC *spec);

/* Queues `size` raw bytes as the top-level struct of FWPM_NET_EVENT<version> (1..5), delivered as they are to
   subscriptions of that version: for malformed events (NULL pointers where flags promise data, bad types). */
SIM_API uint32_t sim_inject_raw(const uint8_t *bytes, uint32_t size, uint32_t version);

/* Events queued and not yet delivered to a callback (the delivery thread hops to JS one at a time). */
SIM_API uint32_t sim_pending_events(void);

/* Makes every live subscription die silently, as when BFE drops it: no more callbacks, handles stay "open". */
SIM_API uint32_t sim_kill_subscriptions(void);

/* Adds n to the count FwpmNetEventsLost0 reports. */
SIM_API uint32_t sim_add_lost_events(uint32_t n);

/* Live subscriptions (subscribed and not unsubscribed, killed ones included). */
SIM_API uint32_t sim_subscription_count(void);

/* 1: FwpmGetAppIdFromFileName0(dosPath) fails with ERROR_FILE_NOT_FOUND (2), as for a file that cannot be
   opened; 0: it exists again. Every other path on a mapped drive exists. Compared case-insensitively. */
SIM_API uint32_t sim_set_file_missing(const char16_t *dosPath, int32_t missing);

/* How many events may wait for delivery (default 65536); attempts beyond it count as lost
   (FwpmNetEventsLost0). sim_reset restores the default. */
SIM_API uint32_t sim_set_queue_capacity(uint32_t capacity);

/* Plays a scenario file (JSON lines of attempts with timing, see native/sim/README.md) on a thread.
   speed 1.0 = real time. Also started by the first FwpmEngineOpen0 when PORTCULLIS_SIM_SCENARIO names a file. */
SIM_API uint32_t sim_play_scenario(const char *path, double speed);
SIM_API uint32_t sim_stop_scenario(void);

/* The next `times` calls of the fwpuclnt export named `function` fail with `code` before doing anything (0 cancels).
   Honoured by FwpmNetEventSubscribe0..4 and FwpmNetEventUnsubscribe0. sim_reset clears it. */
SIM_API uint32_t sim_fail_next_call(const char *function, uint32_t code, uint32_t times);

/* The Base Filtering Engine restarts: every open session is cut off (its calls return RPC_S_SERVER_UNAVAILABLE,
   FwpmEngineClose0 frees it and says the same), subscriptions die silently, transactions are aborted, dynamic
   sessions' objects vanish; persistent objects stay with new runtime filter ids. The next `unavailableOpens`
   FwpmEngineOpen0 calls return EPT_S_NOT_REGISTERED, as while BFE starts. */
SIM_API uint32_t sim_restart_engine(uint32_t unavailableOpens);

/* ---- Code signatures (wintrust.c; not built for Windows, where the real wintrust.dll answers) ---- */

/* Appends an embedded signature by `signer` to the file as it is now: a copy stays signed, a changed byte makes
   WinVerifyTrust answer TRUST_E_BAD_DIGEST. */
SIM_API uint32_t sim_sign_file(const char16_t *path, const char16_t *signer);
/* Lists the file's current hash in a catalog signed by `signer` (found by CryptCATAdminEnumCatalogFromHash). */
SIM_API uint32_t sim_catalog_add_file(const char16_t *path, const char16_t *signer);
/* WinVerifyTrust's answer for a path whether or not a file is there (the demo's programs): result is 0 or a
   TRUST_E_* code; signer NULL for none. */
SIM_API uint32_t sim_set_file_signature(const char16_t *path, uint32_t result, const char16_t *signer);
/* WinVerifyTrust states opened with WTD_STATEACTION_VERIFY and not closed yet, plus file handles VERIFY opened that
   CLOSE did not close (it closes them only through the WINTRUST_DATA given to VERIFY, as Windows and Wine do). */
SIM_API int32_t sim_trust_open_states(void);
/* Forgets signatures given by path, every catalog entry and the count of leaked file handles. */
SIM_API uint32_t sim_trust_reset(void);

#ifdef __cplusplus
}
#endif

#endif
