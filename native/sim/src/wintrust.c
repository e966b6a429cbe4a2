/*
 * wintrust.dll / crypt32.dll / kernel32.dll as far as Portcullis's signature check calls them (native/wintrust),
 * built on non-Windows platforms only: on Windows, and under Wine, the real DLLs answer (test/wine/wintrust.test.ts).
 *
 * The model (sources in native/sim/FIDELITY.md, "Code signatures"):
 *  - An embedded signature travels inside the file, like Authenticode's certificate table: sim_sign_file appends a
 *    trailer holding the signer's name and a digest of everything before it. A copy stays signed; a file changed after
 *    signing fails with TRUST_E_BAD_DIGEST; a file without a trailer gets TRUST_E_NOSIGNATURE; a missing file 2.
 *  - A catalog signature lives outside the file: sim_catalog_add_file records the file's current hash under a catalog;
 *    CryptCATAdminEnumCatalogFromHash finds it by hash only, and WinVerifyTrust(WTD_CHOICE_CATALOG) checks the member.
 *  - Files that exist only in the demo (C:\Program Files\... on Linux) get a verdict by path: sim_set_file_signature.
 *  - WinVerifyTrust's state must be closed (WTD_STATEACTION_CLOSE); open states are counted (sim_trust_open_states)
 *    so a test catches a leak.
 */
#ifndef _WIN32
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "etw_types.h"
#include "wintrust_types.h"

#define TRUST_E_NOSIGNATURE 0x800B0100u
#define TRUST_E_BAD_DIGEST 0x80096010u
#define TRUST_E_PROVIDER_UNKNOWN 0x800B0001u
#define TRUST_E_SUBJECT_FORM_UNKNOWN 0x800B0003u
#define ERROR_FILE_NOT_FOUND_CODE 2u
#define ERROR_INVALID_PARAMETER_CODE 87u
#define WTD_CHOICE_FILE 1
#define WTD_CHOICE_CATALOG 2
#define WTD_STATEACTION_IGNORE 0
#define WTD_STATEACTION_VERIFY 1
#define WTD_STATEACTION_CLOSE 2

static const char TRAILER_MAGIC[8] = {'P', 'C', 'S', 'I', 'M', 'S', 'I', 'G'};
enum { DIGEST_BYTES = 32, NAME_MAX_CHARS = 255 };

static const GUID GENERIC_VERIFY_V2 = {0x00aac56b, 0xcd44, 0x11d0, {0x8c, 0xc2, 0x00, 0xc0, 0x4f, 0xc2, 0x95, 0xee}};

typedef struct virtual_file {
  struct virtual_file *next;
  char16_t *path;
  uint32_t result;
  char16_t *signer;
} virtual_file;

typedef struct catalog_entry {
  struct catalog_entry *next;
  uint8_t hash[DIGEST_BYTES]; /* the 32-byte digest; SHA1-sized look-ups compare the first 20 bytes */
  char16_t *signer;
  char16_t catalog[64];
} catalog_entry;

/* The opaque CRYPT_PROVIDER_DATA: the helpers hand out pointers into it. */
typedef struct trust_state {
  uint32_t magic;
  int hasSigner;
  /* As Windows: the state keeps the caller's WINTRUST_DATA, and the file handle VERIFY opened into its
     WINTRUST_FILE_INFO.hFile is closed at CLOSE through that same structure. */
  WINTRUST_DATA *data;
  void *openedFile;
  CRYPT_PROVIDER_CERT cert;
  struct { uint32_t magic; char16_t name[NAME_MAX_CHARS + 1]; } certContext;
  struct { uint32_t magic; struct trust_state *owner; } signer;
} trust_state;
#define STATE_MAGIC 0x53545254u
#define CERT_MAGIC 0x43455254u
#define SGNR_MAGIC 0x53474e52u

typedef struct sim_file { uint32_t magic; FILE *f; } sim_file;
#define FILE_MAGIC 0x46494c45u
typedef struct cat_admin { uint32_t magic; uint32_t hashBytes; } cat_admin;
#define ADMIN_MAGIC 0x4341544du

static plat_mutex *g_lock;
static virtual_file *g_virtual;
static catalog_entry *g_catalog;
static int g_openStates;
static int g_openFiles; /* handles WinVerifyTrust opened and CLOSE has not closed */

__attribute__((constructor)) static void trust_init(void) { g_lock = plat_mutex_new(); }

static char *utf8_of(const char16_t *s) {
  size_t n = u16_len(s);
  char *out = malloc(n * 3 + 1);
  if (!out) return NULL;
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t c = s[i];
    if (c >= 0xD800 && c < 0xDC00 && i + 1 < n) c = 0x10000 + ((c - 0xD800) << 10) + (s[++i] - 0xDC00);
    if (c < 0x80) out[o++] = (char)c;
    else if (c < 0x800) { out[o++] = (char)(0xC0 | (c >> 6)); out[o++] = (char)(0x80 | (c & 0x3F)); }
    else if (c < 0x10000) { out[o++] = (char)(0xE0 | (c >> 12)); out[o++] = (char)(0x80 | ((c >> 6) & 0x3F)); out[o++] = (char)(0x80 | (c & 0x3F)); }
    else { out[o++] = (char)(0xF0 | (c >> 18)); out[o++] = (char)(0x80 | ((c >> 12) & 0x3F)); out[o++] = (char)(0x80 | ((c >> 6) & 0x3F)); out[o++] = (char)(0x80 | (c & 0x3F)); }
  }
  out[o] = 0;
  return out;
}

static FILE *open_u16(const char16_t *path, const char *mode) {
  char *p = utf8_of(path);
  if (!p) return NULL;
  FILE *f = fopen(p, mode);
  free(p);
  return f;
}

/* Not a cryptographic hash: four FNV-1a streams give 32 bytes that change when any byte changes. */
static void digest_stream(FILE *f, long length, uint8_t out[DIGEST_BYTES]) {
  uint64_t h[4] = {0xcbf29ce484222325ull, 0x84222325cbf29ce4ull, 0x9e3779b97f4a7c15ull, 0x2545f4914f6cdd1dull};
  uint8_t buf[65536];
  long left = length;
  while (left != 0) {
    size_t want = left < 0 || left > (long)sizeof buf ? sizeof buf : (size_t)left;
    size_t n = fread(buf, 1, want, f);
    if (n == 0) break;
    for (size_t i = 0; i < n; i++)
      for (int k = 0; k < 4; k++) h[k] = (h[k] ^ (uint64_t)(buf[i] + k)) * 0x100000001b3ull;
    if (left > 0) left -= (long)n;
  }
  for (int k = 0; k < 4; k++)
    for (int b = 0; b < 8; b++) out[k * 8 + b] = (uint8_t)(h[k] >> (8 * b));
}

/* The trailer of a file signed by sim_sign_file: 1 and the signer when present, with *contentLength set. */
static int read_trailer(FILE *f, char16_t *signer, uint8_t digest[DIGEST_BYTES], long *contentLength) {
  if (fseek(f, 0, SEEK_END) != 0) return 0;
  long size = ftell(f);
  long fixed = 8 + DIGEST_BYTES + 2;
  if (size < fixed) return 0;
  uint8_t tail[8 + DIGEST_BYTES + 2];
  if (fseek(f, size - fixed, SEEK_SET) != 0 || fread(tail, 1, (size_t)fixed, f) != (size_t)fixed) return 0;
  if (memcmp(tail + 2 + DIGEST_BYTES, TRAILER_MAGIC, 8) != 0) return 0;
  uint16_t chars = (uint16_t)(tail[0] | (tail[1] << 8));
  if (chars > NAME_MAX_CHARS || size < fixed + chars * 2) return 0;
  long nameAt = size - fixed - chars * 2;
  if (fseek(f, nameAt, SEEK_SET) != 0) return 0;
  for (uint16_t i = 0; i < chars; i++) {
    uint8_t b[2];
    if (fread(b, 1, 2, f) != 2) return 0;
    signer[i] = (char16_t)(b[0] | (b[1] << 8));
  }
  signer[chars] = 0;
  memcpy(digest, tail + 2, DIGEST_BYTES);
  *contentLength = nameAt;
  return 1;
}

static trust_state *state_new(const char16_t *signer) {
  trust_state *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->magic = STATE_MAGIC;
  s->certContext.magic = CERT_MAGIC;
  s->signer.magic = SGNR_MAGIC;
  s->signer.owner = s;
  s->cert.cbStruct = sizeof s->cert;
  s->cert.pCert = &s->certContext;
  if (signer && signer[0]) {
    size_t n = u16_len(signer);
    if (n > NAME_MAX_CHARS) n = NAME_MAX_CHARS;
    memcpy(s->certContext.name, signer, n * sizeof *signer);
    s->hasSigner = 1;
  }
  plat_mutex_lock(g_lock);
  g_openStates++;
  plat_mutex_unlock(g_lock);
  return s;
}

static virtual_file *find_virtual_locked(const char16_t *path) {
  for (virtual_file *v = g_virtual; v; v = v->next)
    if (u16_ieq(v->path, path)) return v;
  return NULL;
}

static uint32_t verify_file(const char16_t *path, char16_t *signer) {
  plat_mutex_lock(g_lock);
  virtual_file *v = find_virtual_locked(path);
  uint32_t result = v ? v->result : 0;
  if (v && v->signer) memcpy(signer, v->signer, (u16_len(v->signer) + 1) * sizeof *signer);
  plat_mutex_unlock(g_lock);
  if (v) return result;
  FILE *f = open_u16(path, "rb");
  if (!f) return ERROR_FILE_NOT_FOUND_CODE;
  uint8_t stored[DIGEST_BYTES], now[DIGEST_BYTES];
  long content = 0;
  if (!read_trailer(f, signer, stored, &content)) {
    fclose(f);
    signer[0] = 0;
    return TRUST_E_NOSIGNATURE;
  }
  rewind(f);
  digest_stream(f, content, now);
  fclose(f);
  if (memcmp(stored, now, DIGEST_BYTES) != 0) {
    signer[0] = 0; /* as Wine's wintrust: no signer is reported for a file whose digest does not match */
    return TRUST_E_BAD_DIGEST;
  }
  return 0;
}

static uint32_t verify_catalog_member(const WINTRUST_CATALOG_INFO *c, char16_t *signer) {
  if (!c || c->cbStruct < sizeof *c - sizeof(HANDLE) || !c->pcwszMemberTag || !c->pcwszCatalogFilePath)
    return ERROR_INVALID_PARAMETER_CODE;
  FILE *f = c->pcwszMemberFilePath ? open_u16(c->pcwszMemberFilePath, "rb") : NULL;
  if (!f) return ERROR_FILE_NOT_FOUND_CODE;
  uint8_t now[DIGEST_BYTES];
  digest_stream(f, -1, now);
  fclose(f);
  char16_t tag[2 * DIGEST_BYTES + 1];
  static const char hex[] = "0123456789ABCDEF";
  uint32_t result = TRUST_E_NOSIGNATURE;
  plat_mutex_lock(g_lock);
  for (catalog_entry *e = g_catalog; e; e = e->next) {
    if (!u16_ieq(e->catalog, c->pcwszCatalogFilePath)) continue;
    size_t bytes = u16_len(c->pcwszMemberTag) / 2;
    if (bytes != 20 && bytes != DIGEST_BYTES) continue;
    for (size_t i = 0; i < bytes; i++) {
      tag[2 * i] = (char16_t)hex[e->hash[i] >> 4];
      tag[2 * i + 1] = (char16_t)hex[e->hash[i] & 15];
    }
    tag[2 * bytes] = 0;
    if (!u16_ieq(tag, c->pcwszMemberTag)) continue;
    /* The member is listed: it verifies only if the file still hashes to it. */
    if (memcmp(e->hash, now, bytes) != 0) {
      result = TRUST_E_BAD_DIGEST;
      break;
    }
    memcpy(signer, e->signer, (u16_len(e->signer) + 1) * sizeof *signer);
    result = 0;
    break;
  }
  plat_mutex_unlock(g_lock);
  return result;
}

SIM_API void *CreateFileW(const char16_t *path, uint32_t access, uint32_t share, void *security, uint32_t disposition, uint32_t attributes, void *templ);
SIM_API int32_t CloseHandle(void *handle);

SIM_API int32_t WinVerifyTrust(void *hwnd, GUID *action, WINTRUST_DATA *data) {
  (void)hwnd;
  if (!action || !guid_eq(action, &GENERIC_VERIFY_V2)) return (int32_t)TRUST_E_PROVIDER_UNKNOWN;
  if (!data || data->cbStruct < offsetof(WINTRUST_DATA, dwUIContext)) return (int32_t)ERROR_INVALID_PARAMETER_CODE;
  if (data->dwStateAction == WTD_STATEACTION_CLOSE) {
    trust_state *s = data->hWVTStateData;
    if (s && s->magic == STATE_MAGIC) {
      /* Only the WINTRUST_DATA given to VERIFY leads to the handle: a copy leaves the file open. */
      if (s->openedFile && data == s->data && data->dwUnionChoice == WTD_CHOICE_FILE && data->pFile &&
          data->pFile->hFile == s->openedFile) {
        CloseHandle(s->openedFile);
        data->pFile->hFile = NULL;
        plat_mutex_lock(g_lock);
        g_openFiles--;
        plat_mutex_unlock(g_lock);
      }
      s->magic = 0;
      free(s);
      plat_mutex_lock(g_lock);
      g_openStates--;
      plat_mutex_unlock(g_lock);
    }
    data->hWVTStateData = NULL;
    return 0;
  }
  char16_t signer[NAME_MAX_CHARS + 1] = {0};
  uint32_t result;
  void *opened = NULL;
  if (data->dwUnionChoice == WTD_CHOICE_FILE) {
    if (!data->pFile || !data->pFile->pcwszFilePath) return (int32_t)ERROR_INVALID_PARAMETER_CODE;
    result = verify_file(data->pFile->pcwszFilePath, signer);
    if (data->dwStateAction == WTD_STATEACTION_VERIFY && !data->pFile->hFile && result != ERROR_FILE_NOT_FOUND_CODE) {
      void *h = CreateFileW(data->pFile->pcwszFilePath, 0, 0, NULL, 0, 0, NULL);
      if (h != (void *)-1) {
        opened = h;
        data->pFile->hFile = h;
        plat_mutex_lock(g_lock);
        g_openFiles++;
        plat_mutex_unlock(g_lock);
      }
    }
  } else if (data->dwUnionChoice == WTD_CHOICE_CATALOG) {
    result = verify_catalog_member(data->pCatalog, signer);
  } else {
    return (int32_t)TRUST_E_SUBJECT_FORM_UNKNOWN;
  }
  if (data->dwStateAction == WTD_STATEACTION_VERIFY) {
    trust_state *st = state_new(signer);
    if (st) {
      st->data = data;
      st->openedFile = opened;
    }
    data->hWVTStateData = st;
  }
  return (int32_t)result;
}

SIM_API void *WTHelperProvDataFromStateData(void *state) {
  trust_state *s = state;
  return s && s->magic == STATE_MAGIC ? s : NULL;
}

SIM_API void *WTHelperGetProvSignerFromChain(void *provData, uint32_t idxSigner, int32_t counterSigner, uint32_t idxCounter) {
  (void)idxCounter;
  trust_state *s = provData;
  if (!s || s->magic != STATE_MAGIC || !s->hasSigner || idxSigner != 0 || counterSigner) return NULL;
  return &s->signer;
}

SIM_API CRYPT_PROVIDER_CERT *WTHelperGetProvCertFromChain(void *sgnr, uint32_t idxCert) {
  struct { uint32_t magic; trust_state *owner; } *g = sgnr;
  if (!g || g->magic != SGNR_MAGIC || idxCert != 0) return NULL;
  return &g->owner->cert;
}

/* Returns characters written including the NUL; 1 (an empty string) when there is no name, as crypt32 does. */
SIM_API uint32_t CertGetNameStringW(void *cert, uint32_t type, uint32_t flags, void *para, char16_t *out, uint32_t chars) {
  (void)type; (void)flags; (void)para;
  struct { uint32_t magic; char16_t name[NAME_MAX_CHARS + 1]; } *c = cert;
  const char16_t *name = c && c->magic == CERT_MAGIC ? c->name : u"";
  uint32_t n = (uint32_t)u16_len(name) + 1;
  if (!out || chars == 0) return n;
  if (n > chars) n = chars;
  memcpy(out, name, (n - 1) * sizeof *out);
  out[n - 1] = 0;
  return n;
}

SIM_API int32_t CryptCATAdminAcquireContext2(void **admin, const GUID *subsystem, const char16_t *algorithm, void *strongSign, uint32_t flags) {
  (void)subsystem; (void)strongSign;
  if (!admin || flags) return 0;
  uint32_t bytes = 20; /* NULL means SHA1 */
  if (algorithm && u16_ieq(algorithm, u"SHA256")) bytes = DIGEST_BYTES;
  else if (algorithm && !u16_ieq(algorithm, u"SHA1")) return 0;
  cat_admin *a = calloc(1, sizeof *a);
  if (!a) return 0;
  a->magic = ADMIN_MAGIC;
  a->hashBytes = bytes;
  *admin = a;
  return 1;
}

SIM_API int32_t CryptCATAdminCalcHashFromFileHandle2(void *admin, void *file, uint32_t *size, uint8_t *hash, uint32_t flags);

/* The original (Windows 7) functions: SHA-1 only, and the hash is computed without a context. */
SIM_API int32_t CryptCATAdminAcquireContext(void **admin, const GUID *subsystem, uint32_t flags) {
  return CryptCATAdminAcquireContext2(admin, subsystem, u"SHA1", NULL, flags);
}

SIM_API int32_t CryptCATAdminCalcHashFromFileHandle(void *file, uint32_t *size, uint8_t *hash, uint32_t flags) {
  cat_admin sha1 = {ADMIN_MAGIC, 20};
  return CryptCATAdminCalcHashFromFileHandle2(&sha1, file, size, hash, flags);
}

SIM_API int32_t CryptCATAdminReleaseContext(void *admin, uint32_t flags) {
  (void)flags;
  cat_admin *a = admin;
  if (!a || a->magic != ADMIN_MAGIC) return 0;
  a->magic = 0;
  free(a);
  return 1;
}

SIM_API int32_t CryptCATAdminCalcHashFromFileHandle2(void *admin, void *file, uint32_t *size, uint8_t *hash, uint32_t flags) {
  cat_admin *a = admin;
  sim_file *f = file;
  if (!a || a->magic != ADMIN_MAGIC || !f || f == (void *)-1 || f->magic != FILE_MAGIC || !size || flags) return 0;
  if (!hash || *size < a->hashBytes) {
    *size = a->hashBytes;
    return 0;
  }
  uint8_t d[DIGEST_BYTES];
  rewind(f->f);
  digest_stream(f->f, -1, d);
  memcpy(hash, d, a->hashBytes);
  *size = a->hashBytes;
  return 1;
}

SIM_API void *CryptCATAdminEnumCatalogFromHash(void *admin, const uint8_t *hash, uint32_t size, uint32_t flags, void **prev) {
  (void)flags;
  cat_admin *a = admin;
  if (!a || a->magic != ADMIN_MAGIC || !hash || size != a->hashBytes) return NULL;
  plat_mutex_lock(g_lock);
  catalog_entry *found = NULL;
  for (catalog_entry *e = prev && *prev ? ((catalog_entry *)*prev)->next : g_catalog; e; e = e->next)
    if (!memcmp(e->hash, hash, size)) {
      found = e;
      break;
    }
  plat_mutex_unlock(g_lock);
  return found;
}

SIM_API int32_t CryptCATCatalogInfoFromContext(void *catInfo, CATALOG_INFO *out, uint32_t flags) {
  catalog_entry *e = catInfo;
  if (!e || !out || flags) return 0;
  size_t n = u16_len(e->catalog);
  memcpy(out->wszCatalogFile, e->catalog, (n + 1) * sizeof(char16_t));
  out->cbStruct = sizeof *out;
  return 1;
}

SIM_API int32_t CryptCATAdminReleaseCatalogContext(void *admin, void *catInfo, uint32_t flags) {
  (void)flags;
  return admin && catInfo ? 1 : 0;
}

SIM_API void *CreateFileW(const char16_t *path, uint32_t access, uint32_t share, void *security, uint32_t disposition, uint32_t attributes, void *templ) {
  (void)access; (void)share; (void)security; (void)disposition; (void)attributes; (void)templ;
  FILE *fp = path ? open_u16(path, "rb") : NULL;
  if (!fp) return (void *)-1; /* INVALID_HANDLE_VALUE */
  sim_file *f = calloc(1, sizeof *f);
  if (!f) {
    fclose(fp);
    return (void *)-1;
  }
  f->magic = FILE_MAGIC;
  f->f = fp;
  return f;
}

SIM_API int32_t CloseHandle(void *handle) {
  sim_file *f = handle;
  if (f && f != (void *)-1 && f->magic != FILE_MAGIC) return sim_close_other_handle(handle);
  if (!f || f == (void *)-1) return 0;
  f->magic = 0;
  fclose(f->f);
  free(f);
  return 1;
}

/* ---- control ---- */

SIM_API uint32_t sim_sign_file(const char16_t *path, const char16_t *signer) {
  if (!path || !signer || u16_len(signer) > NAME_MAX_CHARS) return ERROR_INVALID_PARAMETER_CODE;
  FILE *f = open_u16(path, "r+b");
  if (!f) return ERROR_FILE_NOT_FOUND_CODE;
  uint8_t d[DIGEST_BYTES];
  digest_stream(f, -1, d);
  fseek(f, 0, SEEK_END);
  uint16_t chars = (uint16_t)u16_len(signer);
  for (uint16_t i = 0; i < chars; i++) {
    uint8_t b[2] = {(uint8_t)(signer[i] & 0xFF), (uint8_t)(signer[i] >> 8)};
    fwrite(b, 1, 2, f);
  }
  uint8_t len[2] = {(uint8_t)(chars & 0xFF), (uint8_t)(chars >> 8)};
  fwrite(len, 1, 2, f);
  fwrite(d, 1, DIGEST_BYTES, f);
  fwrite(TRAILER_MAGIC, 1, 8, f);
  return fclose(f) == 0 ? 0 : ERROR_FILE_NOT_FOUND_CODE;
}

SIM_API uint32_t sim_catalog_add_file(const char16_t *path, const char16_t *signer) {
  if (!path || !signer) return ERROR_INVALID_PARAMETER_CODE;
  FILE *f = open_u16(path, "rb");
  if (!f) return ERROR_FILE_NOT_FOUND_CODE;
  catalog_entry *e = calloc(1, sizeof *e);
  if (!e) {
    fclose(f);
    return 14;
  }
  digest_stream(f, -1, e->hash);
  fclose(f);
  e->signer = u16_dup(signer);
  plat_mutex_lock(g_lock);
  int n = 0;
  for (catalog_entry *c = g_catalog; c; c = c->next) n++;
  char name[64];
  snprintf(name, sizeof name, "C:\\Windows\\System32\\CatRoot\\sim\\sim%d.cat", n + 1);
  for (size_t i = 0; name[i]; i++) e->catalog[i] = (char16_t)name[i];
  e->next = g_catalog;
  g_catalog = e;
  plat_mutex_unlock(g_lock);
  return 0;
}

SIM_API uint32_t sim_set_file_signature(const char16_t *path, uint32_t result, const char16_t *signer) {
  if (!path) return ERROR_INVALID_PARAMETER_CODE;
  plat_mutex_lock(g_lock);
  virtual_file *v = find_virtual_locked(path);
  if (!v) {
    v = calloc(1, sizeof *v);
    if (!v) {
      plat_mutex_unlock(g_lock);
      return 14;
    }
    v->path = u16_dup(path);
    v->next = g_virtual;
    g_virtual = v;
  }
  free(v->signer);
  v->signer = signer ? u16_dup(signer) : NULL;
  v->result = result;
  plat_mutex_unlock(g_lock);
  return 0;
}

SIM_API int32_t sim_trust_open_states(void) {
  plat_mutex_lock(g_lock);
  int n = g_openStates + g_openFiles;
  plat_mutex_unlock(g_lock);
  return n;
}

SIM_API uint32_t sim_trust_reset(void) {
  plat_mutex_lock(g_lock);
  g_openFiles = 0; /* a fresh machine: handles leaked by an earlier caller are forgotten */
  while (g_virtual) {
    virtual_file *v = g_virtual->next;
    free(g_virtual->path);
    free(g_virtual->signer);
    free(g_virtual);
    g_virtual = v;
  }
  while (g_catalog) {
    catalog_entry *c = g_catalog->next;
    free(g_catalog->signer);
    free(g_catalog);
    g_catalog = c;
  }
  plat_mutex_unlock(g_lock);
  return 0;
}
#endif
