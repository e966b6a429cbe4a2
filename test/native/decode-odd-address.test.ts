// An ordinary NT path at an odd address, ending right before a guard page, decodes to itself. Every unit of a
// drive path is below 0x100, and decoding such text as char16_t at an odd address (the decoder's earlier
// koffi.decode(p, 0, 'char16_t', n)) reads past the 2n bytes it was given: V8, checking whether the UTF-16 text fits
// one byte per character, reads ahead until the pointer is word-aligned, which at an odd address it never is, and
// faults on the guard page. With that call the per-event child dies by SIGSEGV (the event ring reads its own copy of
// the blob, which no guard page follows, so there it only adds coverage). The 100,000-event fuzz never showed this:
// its random bytes almost never have every high byte zero, and its odd-length path starts with a padding byte.
import { describe, expect, it } from 'vitest';
import { runFixture } from './fixtures/child.js';

const LIMIT_MS = 60_000;
const PATHS = [
  '\\device\\harddiskvolume3\\program files\\contoso\\app.exe',
  '\\device\\harddiskvolume3\\windows\\system32\\svchost.exe',
  '\\device\\harddiskvolume2\\users\\ana\\appdata\\local\\temp\\setup-é.exe',
];

describe('an NT path at an odd address, flush against a guard page', () => {
  for (const delivery of ['per-event', 'ring'] as const) {
    it(
      `decodes to the path, with or without its NUL, and never faults (${delivery})`,
      { timeout: LIMIT_MS + 10_000 },
      async () => {
        const result = await runFixture('decode-odd-path.ts', [delivery], LIMIT_MS);
        expect(result.signal, `the decoder process died by ${result.signal}\n${result.stderr}`).toBeNull();
        expect(result.code, result.stderr).toBe(0);
        const report = JSON.parse(result.stdout.trim().split('\n').pop()!) as { seen: string[]; malformed: number };
        expect(report.malformed).toBe(0);
        expect(report.seen).toEqual(PATHS.flatMap((p) => [p, p]));
      },
    );
  }
});
