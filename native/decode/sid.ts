// SID (binary, as WFP hands it) -> S-R-I-S... text, reading only what the SID's own header says it holds.
import { Interner } from './intern.js';
import { copyInto } from './memory.js';

const SID_REVISION = 1;
const SID_MAX_SUB_AUTHORITIES = 15;
const SID_MAX_BYTES = 8 + 4 * SID_MAX_SUB_AUTHORITIES;

// Decoding is synchronous: one buffer, allocated once, serves every SID.
const bytes = Buffer.alloc(SID_MAX_BYTES);
const words = new Uint32Array(bytes.buffer, bytes.byteOffset, SID_MAX_BYTES / 4);
// A user's or package's SID comes back as the same string object on every event (intern.ts).
const sids = new Interner(1_024, 2 + SID_MAX_SUB_AUTHORITIES);

/** Returns the string SID, or undefined when the bytes are not a SID (wrong revision, too many sub-authorities). */
export function sidToString(ptr: bigint): string | undefined {
  copyInto(bytes, ptr, 8);
  const revision = bytes[0]!;
  const count = bytes[1]!;
  if (revision !== SID_REVISION || count > SID_MAX_SUB_AUTHORITIES) return undefined;
  // Now the length the header states, and not a byte more: the SID may end right after its sub-authorities.
  if (count > 0) copyInto(bytes, ptr, 8 + 4 * count);
  const known = sids.find(words, 2 + count);
  if (known !== undefined) return known;
  let authority = 0;
  for (let i = 2; i < 8; i++) authority = authority * 256 + bytes[i]!;
  const authorityText =
    authority >= 2 ** 32 ? `0x${authority.toString(16).toUpperCase().padStart(12, '0')}` : String(authority);
  let text = `S-1-${authorityText}`;
  for (let i = 0; i < count; i++) text += `-${bytes.readUInt32LE(8 + 4 * i)}`;
  return sids.set(words, 2 + count, text);
}
