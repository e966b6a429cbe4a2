// SID (binary, as WFP hands it) -> S-R-I-S... text, reading only what the SID's own header says it holds.
import type { EventBytes } from './event-bytes.js';
import { Interner } from './intern.js';

const SID_REVISION = 1;
const SID_MAX_SUB_AUTHORITIES = 15;
/** Revision, sub-authority count and the 6-byte identifier authority: what tells how long the SID is. */
export const SID_HEAD_BYTES = 8;
export const SID_MAX_BYTES = SID_HEAD_BYTES + 4 * SID_MAX_SUB_AUTHORITIES;

// A user's or package's SID comes back as the same string object on every event (intern.ts).
const sids = new Interner(1_024, 2 + SID_MAX_SUB_AUTHORITIES);

/** The length of the SID whose head is at b[at..at + 8), or -1 when the head is not a SID's. */
export function sidBytes(b: EventBytes, at: number): number {
  const count = b.u8[at + 1]!;
  if (b.u8[at] !== SID_REVISION || count > SID_MAX_SUB_AUTHORITIES) return -1;
  return SID_HEAD_BYTES + 4 * count;
}

/** The string SID at b[at..] (4-byte aligned), whose sidBytes are all there. */
export function sidTextAt(b: EventBytes, at: number): string {
  const u8 = b.u8;
  const count = u8[at + 1]!;
  const known = sids.find(b.words, 2 + count, at >>> 2);
  if (known !== undefined) return known;
  let authority = 0;
  for (let i = 2; i < 8; i++) authority = authority * 256 + u8[at + i]!;
  const authorityText =
    authority >= 2 ** 32 ? `0x${authority.toString(16).toUpperCase().padStart(12, '0')}` : String(authority);
  let text = `S-1-${authorityText}`;
  for (let i = 0; i < count; i++) text += `-${b.view.getUint32(at + 8 + 4 * i, true)}`;
  return sids.set(b.words, 2 + count, text, at >>> 2);
}
