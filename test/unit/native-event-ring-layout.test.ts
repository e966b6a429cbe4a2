// What the event ring's C side is told about each FWPM_NET_EVENT version (native/batch/event-ring.ts, taken from the
// decoder) against the SDK layout as mingw-w64 compiles it (native/layout/golden.json): a wrong offset here would
// make the C callback copy the wrong bytes or follow the wrong pointer on real Windows.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ringLayout } from '../../native/batch/event-ring.js';

interface Golden {
  structs: Record<string, { size: number; fields: Record<string, number> }>;
}
const golden = (
  JSON.parse(readFileSync(join(import.meta.dirname, '../../native/layout/golden.json'), 'utf8')) as Golden
).structs;

describe('event ring layout', () => {
  for (const version of [1, 2, 3, 4, 5] as const) {
    it(`FWPM_NET_EVENT${version}: every offset the C callback uses is the SDK's`, () => {
      const s = golden[`FWPM_NET_EVENT${version}`]!;
      const layout = ringLayout(version);
      expect(layout).toMatchObject({
        eventSize: s.size,
        flagsOffset: s.fields['header.flags'],
        typeOffset: s.fields['type'],
        unionOffset: s.fields['classifyDrop'],
        appIdSizeOffset: s.fields['header.appId.size'],
        appIdDataOffset: s.fields['header.appId.data'],
        userIdOffset: s.fields['header.userId'],
        packageSidOffset: version === 1 ? 0xffffffff : s.fields['header.packageSid'],
        appIdFlag: 0x20,
        userIdFlag: 0x40,
        packageIdFlag: 0x400,
      });
    });
  }

  it('copies the detail structs up to the last field the decoder reads, for the types it decodes', () => {
    const classify = golden['FWPM_NET_EVENT_CLASSIFY_DROP1']!.fields['isLoopback']! + 4;
    const allow = golden['FWPM_NET_EVENT_CLASSIFY_ALLOW0']!.fields['isLoopback']! + 4;
    const capability = golden['FWPM_NET_EVENT_CAPABILITY_DROP0']!.fields['isLoopback']! + 4;
    const sizes = (v: 1 | 2 | 3 | 4 | 5) => ringLayout(v)['detailSize'] as number[];
    // EVENT1 has classify drops only; from EVENT2 on classify allow (6) and capability drop/allow (7, 8) too.
    expect(sizes(1)).toEqual([0, 0, 0, classify, ...Array<number>(12).fill(0)]);
    for (const v of [2, 3, 4, 5] as const)
      expect(sizes(v)).toEqual([0, 0, 0, classify, 0, 0, allow, capability, capability, ...Array<number>(7).fill(0)]);
  });
});
