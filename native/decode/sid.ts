// SID (binary, as WFP hands it) -> S-R-I-S... text, reading only what the SID's own header says it holds.
import koffi from 'koffi';

const SID_REVISION = 1;
const SID_MAX_SUB_AUTHORITIES = 15;

/** Returns the string SID, or undefined when the bytes are not a SID (wrong revision, too many sub-authorities). */
export function sidToString(ptr: unknown): string | undefined {
  const head = koffi.decode(ptr, 0, 'uint8_t', 8) as Uint8Array;
  const revision = head[0]!;
  const count = head[1]!;
  if (revision !== SID_REVISION || count > SID_MAX_SUB_AUTHORITIES) return undefined;
  let authority = 0;
  for (let i = 2; i < 8; i++) authority = authority * 256 + head[i]!;
  const authorityText =
    authority >= 2 ** 32 ? `0x${authority.toString(16).toUpperCase().padStart(12, '0')}` : String(authority);
  let text = `S-1-${authorityText}`;
  if (count > 0) {
    const subs = koffi.decode(ptr, 8, 'uint32_t', count) as Uint32Array;
    for (const s of subs) text += `-${s >>> 0}`;
  }
  return text;
}
