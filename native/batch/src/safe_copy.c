#if defined(__linux__)
#define _GNU_SOURCE
#endif
#include "safe_copy.h"

#include <string.h>

#if defined(_WIN32)
#include <windows.h>
static int kernel_copy(void *dst, const void *src, uint32_t n) {
  SIZE_T got = 0;
  return ReadProcessMemory(GetCurrentProcess(), src, dst, n, &got) && got == n;
}
#elif defined(__linux__)
#include <sys/uio.h>
#include <unistd.h>
static int kernel_copy(void *dst, const void *src, uint32_t n) {
  struct iovec local = {dst, n};
  struct iovec remote = {(void *)src, n};
  return process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == (ssize_t)n;
}
#else
/* No safe copy here (as in safe-read.ts): read directly, only what the declared size promises. */
static int kernel_copy(void *dst, const void *src, uint32_t n) {
  memcpy(dst, src, n);
  return 1;
}
#endif

#define PAGE 4096u
/* Past the first page, the string is copied through the kernel half a page at a time: the stack frame stays under
   one page, so no stack probe (__chkstk) is needed on any Windows target (the arm64 DLL links no C runtime). */
#define CHUNK 2048u

static uint32_t to_page_end(const uint8_t *p) { return PAGE - (uint32_t)((uintptr_t)p % PAGE); }

uint32_t pc_utf16_extent(const uint8_t *p, uint32_t limit) {
  uint8_t chunk[CHUNK];
  uint32_t done = 0;
  while (done < limit) {
    uint32_t n = to_page_end(p + done);
    if (n > limit - done) n = limit - done;
    const uint8_t *bytes = p + done;
    if (done > 0) {
      if (n > CHUNK) n = CHUNK;
      if (!kernel_copy(chunk, p + done, n)) return done & ~1u;
      bytes = chunk;
    }
    /* Code units start at even offsets from p; one may straddle the end of the page or chunk. */
    uint32_t start = done;
    uint32_t i = (start % 2) ? 1 : 0;
    for (; i + 1 < n; i += 2)
      if (bytes[i] == 0 && bytes[i + 1] == 0) return start + i + 2;
    done += n;
    if (i < n && done < limit) {
      /* The unit's second byte is past this page or chunk: look at it there. */
      uint8_t second;
      if (!kernel_copy(&second, p + done, 1)) return (done - 1) & ~1u;
      if (bytes[i] == 0 && second == 0) return done + 1;
    }
  }
  return limit;
}

uint32_t pc_safe_copy(uint8_t *dst, const uint8_t *src, uint32_t n) {
  uint32_t first = to_page_end(src);
  if (first >= n) {
    memcpy(dst, src, n);
    return n;
  }
  memcpy(dst, src, first);
  uint32_t done = first;
  while (done < n) {
    uint32_t step = n - done < PAGE ? n - done : PAGE;
    if (!kernel_copy(dst + done, src + done, step)) break;
    done += step;
  }
  return done;
}
