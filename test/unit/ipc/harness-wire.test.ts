// The e2e harness's transport to its pages (test/e2e/harness/wire.ts): it must refuse what Electron's IPC refuses,
// refuse what JSON would change rather than deliver it changed, and carry core's real answers as a structured
// clone would.
import { describe, expect, it } from 'vitest';
import { toWire } from '../../e2e/harness/wire';
import { drop } from '../core/support/memory-backend';
import { startCore } from '../core/support/core-harness';

describe('the harness wire', () => {
  it('fails where Electron’s structured clone fails', () => {
    expect(() => toWire({ ok: true, value: { run: () => 1 } }, 'The result of "x"')).toThrow(/could not be cloned/);
  });

  it.each([
    ['undefined in an array', [1, undefined]],
    ['NaN', { n: Number.NaN }],
    ['-Infinity', { sentAt: -Infinity }],
    ['a Date', { at: new Date(0) }],
    ['a Map', { m: new Map([['a', 1]]) }],
    ['a Set', { s: new Set([1]) }],
    ['binary data', { b: new Uint8Array(2) }],
  ])('refuses %s, which JSON would not carry as the clone does', (problem, value) => {
    expect(() => toWire({ ok: true, value }, 'The "delta" event')).toThrow(
      new RegExp(`The "delta" event holds ${problem.replace(/[-]/g, '\\-')} at`),
    );
  });

  it('carries core’s snapshot and its pages as a structured clone does', async () => {
    const h = await startCore();
    try {
      for (let i = 0; i < 400; i++) {
        h.time.advance(1);
        h.backend.emit(drop(`C:\\Apps\\app${i % 350}.exe`, { remoteAddress: `203.0.113.${i % 200}`, remotePort: 443 }));
      }
      const snapshot = await h.core.handlers['snapshot.get']({});
      const page = await h.core.handlers['snapshot.apps']({ cursor: snapshot.appsNext! });
      for (const answer of [snapshot, page]) {
        // toEqual, like the renderer, does not tell an absent property from one that is undefined.
        expect(JSON.parse(toWire(answer, 'answer'))).toEqual(structuredClone(answer));
      }
      expect(page.apps.length).toBeGreaterThan(0);
    } finally {
      await h.core.stop();
    }
  });
});
