#include <stdlib.h>
#include <string.h>

#include "sim.h"

size_t u16_len(const char16_t *s) {
  size_t n = 0;
  if (!s) return 0;
  while (s[n]) n++;
  return n;
}

char16_t *u16_dup(const char16_t *s) {
  if (!s) return NULL;
  size_t n = u16_len(s);
  char16_t *d = malloc((n + 1) * sizeof *d);
  if (d) memcpy(d, s, (n + 1) * sizeof *d);
  return d;
}

char16_t *u16_from_ascii(const char *s) {
  if (!s) return NULL;
  size_t n = strlen(s);
  char16_t *d = malloc((n + 1) * sizeof *d);
  if (!d) return NULL;
  for (size_t i = 0; i <= n; i++) d[i] = (unsigned char)s[i];
  return d;
}

/* Windows upcases/downcases paths with its own table; ASCII and Latin-1 cover what the tests use. */
char16_t u16_lower(char16_t c) {
  if (c >= u'A' && c <= u'Z') return (char16_t)(c + 32);
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return (char16_t)(c + 32);
  return c;
}

int u16_ieq(const char16_t *a, const char16_t *b) {
  if (!a || !b) return a == b;
  while (*a && *b) {
    if (u16_lower(*a) != u16_lower(*b)) return 0;
    a++;
    b++;
  }
  return *a == *b;
}

int guid_eq(const GUID *a, const GUID *b) { return memcmp(a, b, sizeof *a) == 0; }

int guid_is_zero(const GUID *g) {
  static const GUID zero;
  return guid_eq(g, &zero);
}

static uint64_t rng_state;
static uint64_t rng_next(void) {
  if (!rng_state) rng_state = plat_entropy() | 1;
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

GUID guid_new(void) {
  GUID g;
  uint64_t a = rng_next(), b = rng_next();
  memcpy(&g, &a, 8);
  memcpy((uint8_t *)&g + 8, &b, 8);
  g.Data3 = (uint16_t)((g.Data3 & 0x0FFF) | 0x4000);
  g.Data4[0] = (uint8_t)((g.Data4[0] & 0x3F) | 0x80);
  return g;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

GUID guid_parse(const char *t) {
  uint8_t b[16] = {0};
  int n = 0;
  for (const char *p = t; *p && n < 32; p++) {
    int v = hexval(*p);
    if (v < 0) continue;
    b[n / 2] = (uint8_t)(b[n / 2] << 4 | v);
    n++;
  }
  GUID g;
  g.Data1 = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
  g.Data2 = (uint16_t)(b[4] << 8 | b[5]);
  g.Data3 = (uint16_t)(b[6] << 8 | b[7]);
  memcpy(g.Data4, b + 8, 8);
  return g;
}

uint32_t sid_from_string(const char16_t *s, uint8_t out[68]) {
  if (!s || !(s[0] == u'S' || s[0] == u's') || s[1] != u'-') return 0;
  uint64_t parts[17];
  int n = 0;
  const char16_t *p = s + 2;
  while (*p) {
    if (n == 17) return 0;
    uint64_t v = 0;
    int digits = 0;
    while (*p >= u'0' && *p <= u'9') {
      v = v * 10 + (uint64_t)(*p - u'0');
      if (v > 0xFFFFFFFFFFFFull) return 0;
      p++;
      digits++;
    }
    if (!digits) return 0;
    parts[n++] = v;
    if (*p == u'-') p++;
    else if (*p) return 0;
  }
  /* parts: revision, authority, sub-authorities */
  if (n < 2 || parts[0] != 1) return 0;
  int subs = n - 2;
  if (subs > 15) return 0;
  for (int i = 2; i < n; i++)
    if (parts[i] > 0xFFFFFFFFull) return 0;
  out[0] = 1;
  out[1] = (uint8_t)subs;
  for (int i = 0; i < 6; i++) out[2 + i] = (uint8_t)(parts[1] >> (8 * (5 - i)));
  for (int i = 0; i < subs; i++) {
    uint32_t v = (uint32_t)parts[2 + i];
    out[8 + 4 * i] = (uint8_t)v;
    out[9 + 4 * i] = (uint8_t)(v >> 8);
    out[10 + 4 * i] = (uint8_t)(v >> 16);
    out[11 + 4 * i] = (uint8_t)(v >> 24);
  }
  return 8 + 4u * (uint32_t)subs;
}

static int parse_v4(const char *s, const char *end, uint32_t *out) {
  uint32_t v = 0;
  int parts = 0;
  while (s < end) {
    uint32_t octet = 0;
    int digits = 0;
    while (s < end && *s >= '0' && *s <= '9') {
      octet = octet * 10 + (uint32_t)(*s - '0');
      if (octet > 255 || ++digits > 3) return 0;
      s++;
    }
    if (!digits) return 0;
    v = v << 8 | octet;
    parts++;
    if (s < end) {
      if (*s != '.' || parts == 4) return 0;
      s++;
      if (s == end) return 0;
    }
  }
  if (parts != 4) return 0;
  *out = v;
  return 1;
}

static int parse_v6(const char *s, const char *end, uint8_t out[16]) {
  uint16_t head[8], tail[8];
  int nh = 0, nt = 0, gap = 0;
  const char *p = s;
  if (p + 1 < end && p[0] == ':' && p[1] == ':') {
    gap = 1;
    p += 2;
  } else if (p < end && *p == ':') {
    return 0;
  }
  while (p < end) {
    const char *q = p;
    uint32_t v = 0;
    int digits = 0;
    while (q < end && hexval(*q) >= 0 && digits < 5) {
      v = v << 4 | (uint32_t)hexval(*q);
      q++;
      digits++;
    }
    if (q < end && *q == '.') { /* embedded IPv4 tail */
      uint32_t v4;
      if (!parse_v4(p, end, &v4)) return 0;
      if ((gap ? nt : nh) > 6) return 0;
      uint16_t *arr = gap ? tail : head;
      int *n = gap ? &nt : &nh;
      arr[(*n)++] = (uint16_t)(v4 >> 16);
      arr[(*n)++] = (uint16_t)v4;
      p = end;
      break;
    }
    if (!digits || digits > 4) return 0;
    if (gap) {
      if (nt == 8) return 0;
      tail[nt++] = (uint16_t)v;
    } else {
      if (nh == 8) return 0;
      head[nh++] = (uint16_t)v;
    }
    p = q;
    if (p == end) break;
    if (*p != ':') return 0;
    p++;
    if (p < end && *p == ':') {
      if (gap) return 0;
      gap = 1;
      p++;
    } else if (p == end) {
      return 0;
    }
  }
  if (gap ? nh + nt > 7 : nh != 8) return 0;
  memset(out, 0, 16);
  for (int i = 0; i < nh; i++) {
    out[2 * i] = (uint8_t)(head[i] >> 8);
    out[2 * i + 1] = (uint8_t)head[i];
  }
  for (int i = 0; i < nt; i++) {
    int at = 8 - nt + i;
    out[2 * at] = (uint8_t)(tail[i] >> 8);
    out[2 * at + 1] = (uint8_t)tail[i];
  }
  return 1;
}

int addr_parse(const char *s, uint32_t *v4, uint8_t v6[16], uint32_t *scope) {
  if (!s || !*s) return 0;
  const char *end = s + strlen(s);
  const char *pct = strchr(s, '%');
  if (scope) *scope = 0;
  if (pct) {
    char *e;
    unsigned long sc = strtoul(pct + 1, &e, 10);
    if (e == pct + 1 || *e) return 0;
    if (scope) *scope = (uint32_t)sc;
    end = pct;
  }
  if (!pct && parse_v4(s, end, v4)) return 4;
  if (memchr(s, ':', (size_t)(end - s)) && parse_v6(s, end, v6)) return 6;
  return 0;
}
