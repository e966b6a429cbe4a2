import { describe, expect, it } from 'vitest';
import { ipv4FromHostOrder, ipv6FromBytes, parseAddressOrPrefix, parseIpv6 } from '../../native/decode/address.js';

describe('addresses', () => {
  it('reads a host-order IPv4 integer the right way round', () => {
    expect(ipv4FromHostOrder(0xc0a8010a)).toBe('192.168.1.10');
    expect(ipv4FromHostOrder(0x7f000001)).toBe('127.0.0.1');
    expect(ipv4FromHostOrder(0xffffffff)).toBe('255.255.255.255');
  });

  it('writes IPv6 in RFC 5952 form with the scope id', () => {
    expect(ipv6FromBytes(parseIpv6('2001:db8:0:0:1:0:0:1')!)).toBe('2001:db8::1:0:0:1');
    expect(ipv6FromBytes(parseIpv6('fe80::1')!, 12)).toBe('fe80::1%12');
    expect(ipv6FromBytes(new Uint8Array(16))).toBe('::');
    expect(ipv6FromBytes(parseIpv6('::ffff:10.1.2.3')!)).toBe('::ffff:10.1.2.3');
    expect(ipv6FromBytes(parseIpv6('2001:db8:1:2:3:4:5:6')!)).toBe('2001:db8:1:2:3:4:5:6');
  });

  it('parses addresses and prefixes for filter conditions', () => {
    expect(parseAddressOrPrefix('10.0.0.0/8')).toEqual({ version: 4, addr: 0x0a000000, mask: 0xff000000, prefix: 8 });
    expect(parseAddressOrPrefix('1.2.3.4')).toEqual({ version: 4, addr: 0x01020304, mask: 0xffffffff, prefix: 32 });
    const v6 = parseAddressOrPrefix('2001:db8::/32');
    expect(v6.version).toBe(6);
    expect(v6.prefix).toBe(32);
    expect(Array.from((v6 as { addr: Uint8Array }).addr.slice(0, 4))).toEqual([0x20, 0x01, 0x0d, 0xb8]);
  });

  it('rejects what is not an address', () => {
    for (const bad of ['1.2.3', '300.1.1.1', '10.0.0.0/33', 'example.com', '1::2::3', '2001:db8::/129', '']) {
      expect(() => parseAddressOrPrefix(bad), bad).toThrow(TypeError);
    }
  });
});
