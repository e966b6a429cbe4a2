// The application id blob: a UTF-16LE NT path whose declared size WFP does not always get right. Read it within
// its declared size, stop at the first NUL, and never fault on a size larger than the buffer: reads go page by
// page, the first page directly (it holds the first byte, so all of it is mapped), later ones only through a
// copy that reports an unmapped page instead of crashing (safe-read.ts).
//
// Only bytes are read from WFP's memory, never UTF-16 units: the blob may start at an odd address, and decoding
// char16_t there (koffi.decode(p, 0, 'char16_t', n)) has been seen to read past the 2n bytes it was given and
// fault on the next page. Bytes are copied into a buffer of our own, which is aligned, and decoded from there.
import { TextInterner } from './intern.js';
import { copyInto } from './memory.js';
import { readIfMapped } from './safe-read.js';

const PAGE = 4096;
const PAGE_N = BigInt(PAGE);
/** NT paths are at most 32767 UTF-16 code units; anything beyond is not a path. */
export const MAX_APP_ID_BYTES = 32767 * 2;

const decoder = new TextDecoder('utf-16le');
const SURROGATE = /[\uD800-\uDFFF]/;
// Decoding is synchronous: one buffer, allocated once, serves every event whose blob lies within one page.
const pageBytes = Buffer.alloc(PAGE);
// Its units and words, for interning: Buffer.alloc of a page is never carved from the shared pool, so it is aligned.
const pageUnits = new Uint16Array(pageBytes.buffer, pageBytes.byteOffset, PAGE / 2);
const pageWords = new Uint32Array(pageBytes.buffer, pageBytes.byteOffset, PAGE / 4);
// One app's path comes back as the same string on every attempt it makes (intern.ts). 16,384 distinct paths.
const APP_SLOTS = 16_384;
const appIds = new TextInterner(APP_SLOTS);

/**
 * Returns the path text ('' for an empty blob), or undefined when the blob cannot be a path
 * (size > 0 with a NULL data pointer, or larger than any NT path). `wholeReadable`: every one of the declared
 * bytes is known to be mapped (a copy of ours), so no page beyond the first needs probing.
 */
export function readAppId(data: unknown, declaredSize: number, wholeReadable = false): string | undefined {
  if (declaredSize === 0) return '';
  if (data === null || data === undefined || data === 0n) return undefined;
  if (declaredSize > MAX_APP_ID_BYTES) return undefined;
  const base = BigInt(data as bigint);
  const limit = declaredSize - (declaredSize % 2);
  if (limit === 0) return '';
  // The usual blob lies within the page it starts in: one copy, then the text up to the first NUL unit. So does
  // one known to be readable whole (the event ring's copy), wherever it starts.
  if (limit <= PAGE && (wholeReadable || limit <= PAGE - Number(base % PAGE_N))) {
    copyInto(pageBytes, base, limit);
    return textUpToNul(pageBytes, limit);
  }
  return readAcrossPages(base, limit);
}

/**
 * UTF-16LE text of the page buffer's [0..length) up to the first NUL code unit; unpaired surrogates become U+FFFD.
 * The same bytes as an earlier event give the same string object.
 */
function textUpToNul(b: Buffer, length: number): string {
  let end = 0;
  while (end + 1 < length && (b[end] !== 0 || b[end + 1] !== 0)) end += 2;
  // The text's last whole word is padded with a NUL unit of our own, so that its hash does not read stale bytes.
  if (end % 4 === 2) {
    b[end] = 0;
    b[end + 1] = 0;
  }
  const known = appIds.find(pageUnits, pageWords, end >>> 1);
  if (known !== undefined) return known;
  const text = b.toString('utf16le', 0, end);
  // With a surrogate replaced the text no longer matches its bytes: such a path is rebuilt each time (rare).
  return appIds.set(SURROGATE.test(text) ? decoder.decode(b.subarray(0, end)) : text);
}

/**
 * The DOS path of the app id just read (readAppId's result), worked out by `resolve` at most once a second of
 * event time per app (and whenever the resolver changes): the same string object on every attempt in between.
 * The path mapper's own table changes only when it reads the drive letters again, which it does at most every 5 s.
 */
export function appPathOf(appId: string, resolve: AppPathResolver | undefined, time: number): string | undefined {
  if (resolve === undefined) return undefined;
  const slot = appIds.slot;
  if (appIds.textAt(slot) !== appId) return resolve(appId);
  const at = dosAt[slot]!;
  if (dosOf[slot] === appId && dosResolver[slot] === resolve && time >= at && time - at < 1000) return dosPath[slot];
  const path = resolve(appId);
  dosOf[slot] = appId;
  dosResolver[slot] = resolve;
  dosPath[slot] = path;
  dosAt[slot] = time;
  return path;
}

/** Turns an NT device path into a DOS path; supplied by the path mapper. */
export type AppPathResolver = (ntPath: string) => string | undefined;

// The memo beside each app id slot: which path it is for, by which resolver, the answer and when (event time).
const dosOf = new Array<string | undefined>(APP_SLOTS).fill(undefined);
const dosResolver = new Array<AppPathResolver | undefined>(APP_SLOTS).fill(undefined);
const dosPath = new Array<string | undefined>(APP_SLOTS).fill(undefined);
const dosAt = new Float64Array(APP_SLOTS);

function readAcrossPages(base: bigint, limit: number): string {
  let read = new Uint8Array(0);
  let scanned = 0;
  while (read.length < limit) {
    const toPageEnd = PAGE - Number((base + BigInt(read.length)) % PAGE_N);
    const n = Math.min(limit - read.length, toPageEnd);
    let chunk: Uint8Array | undefined;
    if (read.length === 0) {
      copyInto(pageBytes, base, n);
      chunk = pageBytes.subarray(0, n);
    } else {
      chunk = readIfMapped(base + BigInt(read.length), n);
    }
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
