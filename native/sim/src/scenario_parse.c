/* Scenario files: one JSON object per line (see native/sim/README.md). A small strict parser for flat
   objects of strings, numbers and booleans; strings are decoded straight to UTF-16. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

typedef struct cursor {
  const char *p;
  char *error; /* first error message, owned by the caller */
  size_t errorCap;
} cursor;

static int fail(cursor *c, const char *msg) {
  if (!c->error[0]) snprintf(c->error, c->errorCap, "%s", msg);
  return 0;
}

static void skip_ws(cursor *c) {
  while (*c->p == ' ' || *c->p == '\t' || *c->p == '\r' || *c->p == '\n') c->p++;
}

static int hex4(const char *p, uint32_t *out) {
  uint32_t v = 0;
  for (int i = 0; i < 4; i++) {
    char ch = p[i];
    int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
    if (d < 0) return 0;
    v = v << 4 | (uint32_t)d;
  }
  *out = v;
  return 1;
}

/* Reads a JSON string into a malloc'd UTF-16 string. */
static int parse_string(cursor *c, char16_t **out) {
  if (*c->p != '"') return fail(c, "expected a string");
  c->p++;
  size_t cap = 64, n = 0;
  char16_t *s = malloc(cap * sizeof *s);
  if (!s) return fail(c, "out of memory");
  for (;;) {
    if (n + 3 > cap) {
      cap *= 2;
      char16_t *t = realloc(s, cap * sizeof *s);
      if (!t) {
        free(s);
        return fail(c, "out of memory");
      }
      s = t;
    }
    unsigned char ch = (unsigned char)*c->p;
    if (!ch || ch == '\n') {
      free(s);
      return fail(c, "unterminated string");
    }
    c->p++;
    if (ch == '"') break;
    if (ch == '\\') {
      char e = *c->p++;
      uint32_t u;
      switch (e) {
      case '"': s[n++] = u'"'; break;
      case '\\': s[n++] = u'\\'; break;
      case '/': s[n++] = u'/'; break;
      case 'b': s[n++] = 8; break;
      case 'f': s[n++] = 12; break;
      case 'n': s[n++] = 10; break;
      case 'r': s[n++] = 13; break;
      case 't': s[n++] = 9; break;
      case 'u':
        if (!hex4(c->p, &u)) {
          free(s);
          return fail(c, "bad \\u escape");
        }
        c->p += 4;
        s[n++] = (char16_t)u;
        break;
      default:
        free(s);
        return fail(c, "bad escape in string");
      }
      continue;
    }
    if (ch < 0x80) {
      s[n++] = ch;
      continue;
    }
    /* UTF-8 to UTF-16 */
    uint32_t cp;
    int extra = ch >= 0xF0 ? 3 : ch >= 0xE0 ? 2 : ch >= 0xC0 ? 1 : -1;
    if (extra < 0) {
      free(s);
      return fail(c, "invalid UTF-8");
    }
    cp = ch & (0x3F >> extra);
    for (int i = 0; i < extra; i++) {
      unsigned char cc = (unsigned char)*c->p;
      if ((cc & 0xC0) != 0x80) {
        free(s);
        return fail(c, "invalid UTF-8");
      }
      cp = cp << 6 | (cc & 0x3F);
      c->p++;
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      s[n++] = (char16_t)(0xD800 | (cp >> 10));
      s[n++] = (char16_t)(0xDC00 | (cp & 0x3FF));
    } else {
      s[n++] = (char16_t)cp;
    }
  }
  s[n] = 0;
  *out = s;
  return 1;
}

static int parse_number(cursor *c, double *out) {
  char *end;
  *out = strtod(c->p, &end);
  if (end == c->p) return fail(c, "expected a value");
  c->p = end;
  return 1;
}

static char *ascii_of(const char16_t *s) {
  size_t n = u16_len(s);
  char *a = malloc(n + 1);
  if (!a) return NULL;
  for (size_t i = 0; i < n; i++) {
    if (s[i] >= 0x80) {
      free(a);
      return NULL;
    }
    a[i] = (char)s[i];
  }
  a[n] = 0;
  return a;
}

static int ascii_eq(const char16_t *s, const char *a) {
  while (*s && *a && *s == (unsigned char)*a) s++, a++;
  return !*s && !*a;
}

static int whole(cursor *c, double v, double max, uint32_t *out, const char *key) {
  if (v < 0 || v > max || v != (double)(uint64_t)v) {
    char msg[96];
    snprintf(msg, sizeof msg, "\"%s\" must be a whole number from 0 to %.0f", key, max);
    return fail(c, msg);
  }
  *out = (uint32_t)v;
  return 1;
}

void scenario_entry_free(sc_entry *e) {
  free(e->app);
  free(e->userSid);
  free(e->packageSid);
  free(e->local);
  free(e->remote);
  free(e->signer);
  free(e->dnsName);
  free(e->serviceName);
  free(e->displayName);
  memset(e, 0, sizeof *e);
}

/* Returns 1 and fills *e (kind SC_ATTEMPT / SC_LOOP / SC_BLANK), or 0 with a message in error. */
int scenario_parse_line(const char *line, sc_entry *e, char *error, size_t errorCap) {
  cursor c = {line, error, errorCap};
  error[0] = 0;
  memset(e, 0, sizeof *e);
  e->protocol = 6;
  e->repeat = 1;
  skip_ws(&c);
  if (!*c.p || *c.p == '#' || (c.p[0] == '/' && c.p[1] == '/')) {
    e->kind = SC_BLANK;
    return 1;
  }
  if (*c.p != '{') return fail(&c, "a line must be a JSON object");
  c.p++;
  skip_ws(&c);
  int sawAttemptKey = 0, sawLoop = 0, sawService = 0;
  while (*c.p != '}') {
    char16_t *key16 = NULL;
    if (!parse_string(&c, &key16)) goto bad;
    char key[32];
    char *ka = ascii_of(key16);
    snprintf(key, sizeof key, "%s", ka ? ka : "?");
    free(ka);
    free(key16);
    skip_ws(&c);
    if (*c.p != ':') {
      fail(&c, "expected ':' after a key");
      goto bad;
    }
    c.p++;
    skip_ws(&c);
    char16_t *str = NULL;
    double num = 0;
    int isBool = 0, boolVal = 0, isNull = 0;
    if (*c.p == '"') {
      if (!parse_string(&c, &str)) goto bad;
    } else if (!strncmp(c.p, "true", 4)) {
      isBool = 1, boolVal = 1, c.p += 4;
    } else if (!strncmp(c.p, "false", 5)) {
      isBool = 1, c.p += 5;
    } else if (!strncmp(c.p, "null", 4)) {
      isNull = 1, c.p += 4;
    } else if (!parse_number(&c, &num)) {
      goto bad;
    }
    int ok = 1;
    uint32_t u = 0;
    char msg[96];
    if (isNull || !strcmp(key, "comment")) {
      /* null leaves the default; comments are free text */
    } else if (!strcmp(key, "loop")) {
      sawLoop = 1;
      if (!isBool) ok = fail(&c, "\"loop\" must be true or false");
      e->loop = boolVal;
    } else if (!strcmp(key, "after_ms")) {
      sawLoop = 1;
      ok = !str && !isBool && whole(&c, num, 86400000.0, &e->afterMs, key);
      if (ok) e->hasAfter = 1;
    } else if (!strcmp(key, "at_ms")) {
      sawAttemptKey = 1;
      ok = !str && !isBool && whole(&c, num, 4294967295.0, &u, key);
      e->atMs = u;
    } else if (!strcmp(key, "app") || !strcmp(key, "user_sid") || !strcmp(key, "package_sid")) {
      sawAttemptKey = 1;
      if (!str) ok = fail(&c, "app, user_sid and package_sid must be strings");
      else if (key[0] == 'a') e->app = str, str = NULL;
      else if (key[0] == 'u') e->userSid = str, str = NULL;
      else e->packageSid = str, str = NULL;
    } else if (!strcmp(key, "pid")) {
      ok = !str && !isBool && whole(&c, num, 4294967295.0, &e->pid, key);
      if (ok && !e->pid) ok = fail(&c, "\"pid\" must be at least 1");
    } else if (!strcmp(key, "service") || !strcmp(key, "display_name")) {
      sawService = 1;
      if (!str || !str[0]) ok = fail(&c, "\"service\" and \"display_name\" must be non-empty strings");
      else if (key[0] == 's') e->serviceName = str, str = NULL;
      else e->displayName = str, str = NULL;
    } else if (!strcmp(key, "service_type")) {
      sawService = 1;
      if (str && ascii_eq(str, "own")) e->serviceType = 0x10; /* SERVICE_WIN32_OWN_PROCESS */
      else if (str && ascii_eq(str, "share")) e->serviceType = 0x20; /* SERVICE_WIN32_SHARE_PROCESS */
      else ok = fail(&c, "\"service_type\" must be \"own\" or \"share\"");
    } else if (!strcmp(key, "signer")) {
      /* The app's signature (demo programs exist only by name): "signer" alone means signed and verified. */
      if (!str) ok = fail(&c, "\"signer\" must be a string");
      else e->signer = str, str = NULL, e->hasSignature = 1;
    } else if (!strcmp(key, "dns")) {
      if (!str) ok = fail(&c, "\"dns\" must be a string");
      else e->dnsName = str, str = NULL;
    } else if (!strcmp(key, "signature")) {
      e->hasSignature = 1;
      if (str && ascii_eq(str, "signed")) e->signatureResult = 0;
      else if (str && ascii_eq(str, "unsigned")) e->signatureResult = 0x800B0100u; /* TRUST_E_NOSIGNATURE */
      else if (str && ascii_eq(str, "bad-digest")) e->signatureResult = 0x80096010u; /* TRUST_E_BAD_DIGEST */
      else ok = fail(&c, "\"signature\" must be \"signed\", \"unsigned\" or \"bad-digest\"");
    } else if (!strcmp(key, "local") || !strcmp(key, "remote")) {
      sawAttemptKey = 1;
      char *a = str ? ascii_of(str) : NULL;
      uint32_t v4, scope;
      uint8_t v6[16];
      if (!a || !addr_parse(a, &v4, v6, &scope)) {
        snprintf(msg, sizeof msg, "\"%s\" must be an IPv4 or IPv6 address", key);
        ok = fail(&c, msg);
        free(a);
      } else if (key[0] == 'l') {
        e->local = a;
      } else {
        e->remote = a;
      }
    } else if (!strcmp(key, "protocol")) {
      sawAttemptKey = 1;
      if (str) {
        if (ascii_eq(str, "tcp")) e->protocol = 6;
        else if (ascii_eq(str, "udp")) e->protocol = 17;
        else if (ascii_eq(str, "icmp")) e->protocol = 1;
        else if (ascii_eq(str, "icmpv6")) e->protocol = 58;
        else ok = fail(&c, "\"protocol\" must be a number or tcp, udp, icmp, icmpv6");
      } else {
        ok = !isBool && whole(&c, num, 255.0, &u, key);
        e->protocol = (uint8_t)u;
      }
    } else if (!strcmp(key, "direction")) {
      sawAttemptKey = 1;
      if (str && (ascii_eq(str, "out") || ascii_eq(str, "outbound"))) e->direction = 0;
      else if (str && (ascii_eq(str, "in") || ascii_eq(str, "inbound"))) e->direction = 1;
      else ok = fail(&c, "\"direction\" must be \"out\" or \"in\"");
    } else if (!strcmp(key, "local_port") || !strcmp(key, "remote_port")) {
      sawAttemptKey = 1;
      ok = !str && !isBool && whole(&c, num, 65535.0, &u, key);
      if (key[0] == 'l') e->localPort = (uint16_t)u;
      else e->remotePort = (uint16_t)u;
    } else if (!strcmp(key, "scope_id")) {
      sawAttemptKey = 1;
      ok = !str && !isBool && whole(&c, num, 4294967295.0, &e->scopeId, key);
    } else if (!strcmp(key, "repeat")) {
      sawAttemptKey = 1;
      ok = !str && !isBool && whole(&c, num, 1000000.0, &e->repeat, key);
      if (ok && !e->repeat) ok = fail(&c, "\"repeat\" must be at least 1");
    } else if (!strcmp(key, "every_ms")) {
      sawAttemptKey = 1;
      ok = !str && !isBool && whole(&c, num, 86400000.0, &e->everyMs, key);
    } else {
      snprintf(msg, sizeof msg, "unknown key \"%s\"", key);
      ok = fail(&c, msg);
    }
    if (!ok && !error[0]) {
      snprintf(msg, sizeof msg, "bad value for \"%s\"", key);
      fail(&c, msg);
    }
    free(str);
    if (!ok) goto bad;
    skip_ws(&c);
    if (*c.p == ',') {
      c.p++;
      skip_ws(&c);
      if (*c.p == '}') {
        fail(&c, "trailing comma");
        goto bad;
      }
    } else if (*c.p != '}') {
      fail(&c, "expected ',' or '}'");
      goto bad;
    }
  }
  c.p++;
  skip_ws(&c);
  if (*c.p) {
    fail(&c, "text after the object");
    goto bad;
  }
  if (sawLoop && sawAttemptKey) {
    fail(&c, "a loop line cannot also describe an attempt");
    goto bad;
  }
  if (sawService && (sawLoop || sawAttemptKey)) {
    fail(&c, "a service line cannot also describe an attempt or a loop");
    goto bad;
  }
  if (sawService && !e->serviceName) {
    fail(&c, "a service line needs \"service\"");
    goto bad;
  }
  if (sawService && !e->serviceType) e->serviceType = 0x20;
  e->kind = sawService ? SC_SERVICE : sawLoop ? SC_LOOP : SC_ATTEMPT;
  return 1;
bad:
  scenario_entry_free(e);
  return 0;
}
