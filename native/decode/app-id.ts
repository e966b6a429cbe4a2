// The application id blob: a UTF-16LE NT path whose declared size WFP does not always get right. Read it within
// its declared size, stop at the first NUL, and never fault on a size larger than the buffer: reads go page by
// page, the first page directly (it holds the first byte, so all of it is mapped), later ones only through a
// copy that reports an unmapped page instead of crashing (safe-read.ts).
//
// Only bytes are read from WFP's memory, never UTF-16 units: the blob may start at an odd address, and decoding
// char16_t there (koffi.decode(p, 0, 'char16_t', n)) has been seen to read past the 2n bytes it was given and
// fault on the next page. Bytes are copied into a buffer of our own, which is aligned, and decoded from there.
import { EventBytes } from './event-bytes.js';
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
const page = new EventBytes(Buffer.alloc(PAGE));
// One app's path comes back as the same string on every attempt it makes (intern.ts). 16,384 distinct paths.
const APP_SLOTS = 16_384;
const appIds = new TextInterner(APP_SLOTS);

/**
 * How many bytes of an application id blob of `declaredSize` are read as its text: 0 for none (the id is ''), -1
 * when the blob cannot be a path (larger than any NT path). A NULL data pointer with a size > 0 cannot be one either;
 * the caller tells that.
 */
export function appIdBytes(declaredSize: number): number {
  if (declaredSize > MAX_APP_ID_BYTES) return -1;
  return declaredSize - (declaredSize % 2);
}

/**
 * The text of the blob at `address` in WFP's memory, from its first `limit` bytes (appIdBytes, > 0), up to the
 * first NUL.
 */
export function readAppIdAt(address: bigint, limit: number): string {
  // The usual blob lies within the page it starts in: one copy, then the text up to the first NUL unit.
  if (limit <= PAGE - Number(address % PAGE_N)) {
    copyInto(page.buffer, address, limit);
    return appIdIn(page, 0, limit);
  }
  return readAcrossPages(address, limit);
}

/**
 * UTF-16LE text of b's [at..at + length) up to the first NUL code unit (`at` 4-byte aligned); unpaired surrogates
 * become U+FFFD. The same bytes as an earlier event give the same string object. May write a NUL unit right after
 * the text when its last word is half used: b must hold `length` rounded up to a whole word.
 */
export function appIdIn(b: EventBytes, at: number, length: number): string {
  // A connection's retries and an app's bursts come one after another: the previous event's app id is compared
  // first, with bytes still in the processor's cache, before any scan or lookup.
  const again = appIds.repeated(b.words, b.units, at >>> 2, length >>> 1);
  if (again !== undefined) return again;
  const units = b.units;
  const first = at >>> 1;
  const stop = first + (length >>> 1);
  let end = first;
  while (end < stop && units[end] !== 0) end++;
  const count = end - first;
  // The text's last whole word is padded with a NUL unit of our own, so that its key does not hold stale bytes.
  if (count % 2 === 1) units[end] = 0;
  const known = appIds.find(b.words, count, at >>> 2);
  if (known !== undefined) return known;
  end *= 2;
  const text = b.buffer.toString('utf16le', at, end);
  // An unpaired surrogate becomes U+FFFD (TextDecoder); the key is the bytes, so the same bytes still find this text.
  return appIds.set(SURROGATE.test(text) ? decoder.decode(b.u8.subarray(at, end)) : text);
}

/**
 * The DOS path of the app id just read (readAppIdAt's or appIdIn's result), worked out by `resolve` at most once a second of
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
      copyInto(page.buffer, base, n);
      chunk = page.u8.subarray(0, n);
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
