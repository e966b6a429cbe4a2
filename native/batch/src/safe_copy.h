/* Reading a blob whose declared size may be wrong: the page it starts in is readable (protection is per page),
   later pages are read through the kernel, which reports an unmapped page instead of faulting. The same rule as
   native/decode/safe-read.ts. */
#ifndef PORTCULLIS_SAFE_COPY_H
#define PORTCULLIS_SAFE_COPY_H

#include <stdint.h>

/* Bytes of UTF-16 text at p to keep: up to and including the first NUL code unit within limit (even), or up to
   the first unreadable page, or limit. */
uint32_t pc_utf16_extent(const uint8_t *p, uint32_t limit);
/* Copies n bytes (as far as they are readable); returns how many were copied. */
uint32_t pc_safe_copy(uint8_t *dst, const uint8_t *src, uint32_t n);

#endif
