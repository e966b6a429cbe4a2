// The application id blob: a UTF-16LE NT path whose declared size WFP does not always get right. Read it within
// its declared size, stop at the first NUL, and never fault on a size larger than the buffer: reads go page by
// page, the first page directly (it holds the first byte, so all of it is mapped), later ones only through a
// copy that reports an unmapped page instead of crashing (safe-read.ts).
import koffi from 'koffi';
import { readIfMapped } from './safe-read.js';

const PAGE = 4096;
const PAGE_N = BigInt(PAGE);
/** NT paths are at most 32767 UTF-16 code units; anything beyond is not a path. */
export const MAX_APP_ID_BYTES = 32767 * 2;

const decoder = new TextDecoder('utf-16le');
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Returns the path text ('' for an empty blob), or undefined when the blob cannot be a path
 * (size > 0 with a NULL data pointer, or larger than any NT path).
 */
export function readAppId(data: unknown, declaredSize: number): string | undefined {
  if (declaredSize === 0) return '';
  if (data === null || data === undefined || data === 0n) return undefined;
  if (declaredSize > MAX_APP_ID_BYTES) return undefined;
  const base = BigInt(data as bigint);
  const limit = declaredSize - (declaredSize % 2);
  if (limit === 0) return '';
  // The usual blob lies within the page it starts in: one native call, which stops at the first NUL. Text with
  // surrogates goes the long way, where the decoder replaces unpaired ones (koffi would keep them).
  if (limit <= PAGE - Number(base % PAGE_N)) {
    const text = koffi.decode(base, 0, 'char16_t', limit / 2) as string;
    if (!SURROGATE.test(text)) return text;
  }
  return readAcrossPages(base, limit);
}

function readAcrossPages(base: bigint, limit: number): string {
  let read = new Uint8Array(0);
  let scanned = 0;
  while (read.length < limit) {
    const toPageEnd = PAGE - Number((base + BigInt(read.length)) % PAGE_N);
    const n = Math.min(limit - read.length, toPageEnd);
    const chunk =
      read.length === 0
        ? (koffi.decode(base, 0, 'uint8_t', n) as Uint8Array)
        : readIfMapped(base + BigInt(read.length), n);
    if (!chunk) break;
    const grown = new Uint8Array(read.length + n);
    grown.set(read);
    grown.set(chunk, read.length);
    read = grown;
    for (; scanned + 1 < read.length; scanned += 2) {
      if (read[scanned] === 0 && read[scanned + 1] === 0) return decoder.decode(read.subarray(0, scanned));
    }
  }
  return decoder.decode(read.subarray(0, read.length - (read.length % 2)));
}
