// "Never fault on an event", at any alignment: 100,000 events whose application id blobs start at odd and even
// addresses (flush against a guard page, with declared sizes that are right, too small or far too large), decoded
// in a child process so that a fault fails this test instead of killing the runner.
import { describe, expect, it } from 'vitest';
import { runFixture } from './fixtures/child.js';

const LIMIT_MS = 120_000;

describe('decoding application ids at any alignment', () => {
  // Per event the decoder reads WFP's own memory (odd addresses, a guard page after the blob); through the event
  // ring it reads the ring's copy, made in C on WFP's thread from the same blobs. Both must survive.
  for (const delivery of ['per-event', 'ring'] as const) {
    it(
      `100,000 fuzzed events at odd and even addresses (${delivery}): no fault, every event delivered or counted`,
      { timeout: LIMIT_MS + 10_000 },
      async () => {
        const run = await runFixture('decode-fuzz.ts', ['100000', '7', delivery], LIMIT_MS);
        expect(run.signal, `the decoder process died by ${run.signal}\n${run.stderr}`).toBeNull();
        expect(run.code, run.stderr).toBe(0);
        const report = JSON.parse(run.stdout.trim().split('\n').pop()!) as Record<string, number | string>;
        expect(report['delivery']).toBe(delivery);
        expect(Number(report['delivered']) + Number(report['malformed'])).toBe(100_000);
        expect(report['listenerErrors']).toBe(0);
        // Both alignments really occurred, in numbers.
        expect(report['odd']).toBeGreaterThan(40_000);
        expect(report['even']).toBeGreaterThan(40_000);
      },
    );
  }
});
