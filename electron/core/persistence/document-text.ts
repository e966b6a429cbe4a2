// The bytes of a document a person may have edited, as text.
/**
 * Text of a document as an editor may have saved it: UTF-8 with or without a BOM (Notepad), or UTF-16 (PowerShell's
 * Out-File, "Unicode" in Notepad), with or without its BOM. `reencoded` says it was not plain UTF-8.
 */
export function decodeDocument(bytes: Buffer): { text: string; reencoded: boolean } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: bytes.subarray(3).toString('utf8'), reencoded: true };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: bytes.subarray(2).toString('utf16le'), reencoded: true };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2));
    swapped.swap16();
    return { text: swapped.toString('utf16le'), reencoded: true };
  }
  // JSON starts with an ASCII character: a NUL right after it (or before it) is UTF-16 without a BOM.
  if (bytes.length >= 2 && bytes.length % 2 === 0 && bytes[0] !== 0 && bytes[1] === 0) {
    return { text: bytes.toString('utf16le'), reencoded: true };
  }
  if (bytes.length >= 2 && bytes.length % 2 === 0 && bytes[0] === 0 && bytes[1] !== 0) {
    const swapped = Buffer.from(bytes);
    swapped.swap16();
    return { text: swapped.toString('utf16le'), reencoded: true };
  }
  return { text: bytes.toString('utf8'), reencoded: false };
}
