// Stopping while the simulator's delivery thread is busy: never hangs, never calls a listener after stop.
import { describe, expect, it } from 'vitest';
import { runFixture } from './fixtures/child.js';

const HANG_LIMIT_MS = 60_000;

function runRounds(rounds: number, perRound: number, delivery: 'per-event' | 'ring') {
  return runFixture('stop-rounds.ts', [String(rounds), String(perRound), delivery], HANG_LIMIT_MS);
}

describe('stopping a subscription with events in flight', () => {
  it(
    '100 times in a row with 10,000 events queued: no hang, no late listener call, nothing left registered',
    { timeout: HANG_LIMIT_MS + 10_000 },
    async () => {
      const run = await runRounds(100, 10_000, 'per-event');
      expect(run.timedOut, `hung (killed after ${HANG_LIMIT_MS} ms)\n${run.stderr}`).toBe(false);
      expect(run.code, run.stderr).toBe(0);
      const report = JSON.parse(run.stdout.trim().split('\n').pop()!) as Record<string, number>;
      expect(report).toMatchObject({
        rounds: 100,
        callsAfterStop: 0,
        maxSubscriptionsLeft: 0,
        maxCallbacksLeft: 0,
        delivery: 'per-event',
      });
      // Every round really stopped with thousands of events still queued, and events did flow before the stops.
      expect(report['minInFlightAtStop']).toBeGreaterThan(9_000);
      expect(report['delivered']).toBeGreaterThanOrEqual(50 * 49);
    },
  );

  it(
    'the same through the event ring: no hang, no late listener call, nothing left subscribed',
    { timeout: HANG_LIMIT_MS + 10_000 },
    async () => {
      const run = await runRounds(100, 10_000, 'ring');
      expect(run.timedOut, `hung (killed after ${HANG_LIMIT_MS} ms)\n${run.stderr}`).toBe(false);
      expect(run.code, run.stderr).toBe(0);
      const report = JSON.parse(run.stdout.trim().split('\n').pop()!) as Record<string, number>;
      expect(report).toMatchObject({
        rounds: 100,
        callsAfterStop: 0,
        maxSubscriptionsLeft: 0,
        maxCallbacksLeft: 0,
        delivery: 'ring',
      });
      // The ring hands events over in growing batches, so how many are still in it at a stop varies; rounds that
      // stop before the first batch leave thousands in flight, and events did flow before the other stops.
      expect(report['maxInFlightAtStop']).toBeGreaterThan(5_000);
      expect(report['delivered']).toBeGreaterThanOrEqual(50 * 49);
    },
  );
});
