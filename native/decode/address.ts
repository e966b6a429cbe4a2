// Text forms of the addresses in net events. IPv4 arrives as a host-order UINT32 (0xC0A8010A is 192.168.1.10);
// IPv6 as 16 bytes in network order.

export function ipv4FromHostOrder(value: number): string {
  const v = value >>> 0;
  return `${v >>> 24}.${(v >>> 16) & 0xff}.${(v >>> 8) & 0xff}.${v & 0xff}`;
}

/** RFC 5952 text (longest zero run compressed, lower case), with %scope when scopeId is given and not 0. */
export function ipv6FromBytes(bytes: ArrayLike<number>, scopeId?: number): string {
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  let text: string;
  // IPv4-mapped (::ffff:a.b.c.d) reads best with a dotted tail.
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) {
    text = `::ffff:${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
  } else {
    let bestStart = -1;
    let bestLen = 0;
    for (let i = 0; i < 8;) {
      if (words[i] !== 0) {
        i++;
        continue;
      }
      let j = i;
      while (j < 8 && words[j] === 0) j++;
      if (j - i > bestLen && j - i >= 2) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    const hex = words.map((w) => w.toString(16));
    text =
      bestStart < 0
        ? hex.join(':')
        : `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
  }
  return scopeId ? `${text}%${scopeId >>> 0}` : text;
}

/** Parses dotted IPv4 text to the host-order integer WFP conditions use; undefined when not IPv4. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = v * 256 + n;
  }
  return v >>> 0;
}

/** Parses IPv6 text (with ::, an optional dotted IPv4 tail, no scope) to 16 network-order bytes. */
export function parseIpv6(text: string): Uint8Array | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const toWords = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const groups = part.split(':');
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!;
      if (i === groups.length - 1 && g.includes('.')) {
        const v4 = parseIpv4(g);
        if (v4 === undefined) return undefined;
        out.push(v4 >>> 16, v4 & 0xffff);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
        out.push(parseInt(g, 16));
      }
    }
    return out;
  };
  const head = toWords(halves[0]!);
  const tail = halves.length === 2 ? toWords(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const words = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  words.forEach((w, i) => {
    bytes[2 * i] = w >>> 8;
    bytes[2 * i + 1] = w & 0xff;
  });
  return bytes;
}

export type ParsedRemote =
  { version: 4; addr: number; mask: number; prefix: number } | { version: 6; addr: Uint8Array; prefix: number };

/** "10.0.0.0/8", "1.2.3.4", "2001:db8::/32", "2001:db8::1" -> address and prefix; throws on anything else. */
export function parseAddressOrPrefix(text: string): ParsedRemote {
  const [addrText, prefixText, extra] = text.trim().split('/');
  if (extra !== undefined || !addrText) throw new TypeError(`not an address or prefix: ${text}`);
  const v4 = parseIpv4(addrText);
  const max = v4 !== undefined ? 32 : 128;
  let prefix = max;
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) throw new TypeError(`bad prefix length in ${text}`);
    prefix = Number(prefixText);
  }
  if (v4 !== undefined) {
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    return { version: 4, addr: (v4 & mask) >>> 0, mask, prefix };
  }
  const v6 = parseIpv6(addrText);
  if (!v6) throw new TypeError(`not an address or prefix: ${text}`);
  return { version: 6, addr: v6, prefix };
}
