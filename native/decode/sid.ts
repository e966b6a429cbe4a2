// SID (binary, as WFP hands it) -> S-R-I-S... text, reading only what the SID's own header says it holds.
import { copyInto } from './memory.js';

const SID_REVISION = 1;
const SID_MAX_SUB_AUTHORITIES = 15;
const SID_MAX_BYTES = 8 + 4 * SID_MAX_SUB_AUTHORITIES;

// Decoding is synchronous: one buffer, allocated once, serves every SID.
const bytes = Buffer.alloc(SID_MAX_BYTES);

/** Returns the string SID, or undefined when the bytes are not a SID (wrong revision, too many sub-authorities). */
export function sidToString(ptr: bigint): string | undefined {
  copyInto(bytes, ptr, 8);
  const revision = bytes[0]!;
  const count = bytes[1]!;
  if (revision !== SID_REVISION || count > SID_MAX_SUB_AUTHORITIES) return undefined;
  let authority = 0;
  for (let i = 2; i < 8; i++) authority = authority * 256 + bytes[i]!;
  const authorityText =
    authority >= 2 ** 32 ? `0x${authority.toString(16).toUpperCase().padStart(12, '0')}` : String(authority);
  let text = `S-1-${authorityText}`;
  if (count > 0) {
    // Now the length the header states, and not a byte more: the SID may end right after its sub-authorities.
    copyInto(bytes, ptr, 8 + 4 * count);
    for (let i = 0; i < count; i++) text += `-${bytes.readUInt32LE(8 + 4 * i)}`;
  }
  return text;
}
