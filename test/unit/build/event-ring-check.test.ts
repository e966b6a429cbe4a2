// The event ring's C run as WFP and the app run it (event-ring-check.c: a delivering thread and a reader checking
// every record), built from the ring's own sources for this machine and for arm64. Nothing here runs arm64 Windows,
// so the arm64 build runs as a Linux program under qemu-user: the same C and the same compiler as the Windows arm64
// DLL (scripts/build-events.mjs --windows-arm64), so code generation, alignment and the atomics' instructions are
// exercised, not only linked. What it cannot show: ordering that only a weakly ordered processor reveals (qemu runs
// the threads on this machine's cores), and ReadProcessMemory, which only Windows has.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const sources = [
  join(root, 'native', 'batch', 'src', 'event_ring.c'),
  join(root, 'native', 'batch', 'src', 'safe_copy.c'),
  join(import.meta.dirname, 'event-ring-check.c'),
];
const flags = ['-std=gnu11', '-O2', '-Wall', '-Wextra', '-Werror', '-pthread'];
const work = mkdtempSync(join(tmpdir(), 'portcullis-ring-check-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const clang = process.env['CLANG'] ?? 'clang';
const qemu = process.env['QEMU_AARCH64'] ?? 'qemu-aarch64';
/** Debian's libc6-arm64-cross: the arm64 C library qemu-user runs the program against. */
const arm64Root = process.env['AARCH64_SYSROOT'] ?? '/usr/aarch64-linux-gnu';
const present = (tool: string) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).error === undefined;
// CI installs every tool (.ci/run): there a missing one fails the test rather than skipping it.
const arm64Runs = process.env['CI'] === 'true' || (present(clang) && present(qemu));

function buildAndRun(compiler: string, compilerFlags: string[], run: (program: string) => string[]) {
  const program = join(work, compilerFlags.join('-').replace(/\W/g, '') || 'host');
  const build = spawnSync(compiler, [...compilerFlags, ...flags, ...sources, '-o', program], { encoding: 'utf8' });
  expect(build.status, `${compiler}: ${build.stderr || build.error?.message}`).toBe(0);
  const [command, ...args] = run(program);
  const result = spawnSync(command!, args, { encoding: 'utf8', timeout: 60_000 });
  expect(result.stderr || result.error?.message || '').toBe('');
  expect(result.stdout).toContain('20000 events delivered and checked');
  expect(result.status).toBe(0);
}

describe('the event ring run by a delivering thread and a reader', () => {
  it('on this machine: 20,000 events through a 128 KiB ring arrive in order with everything they point to', () => {
    buildAndRun(process.env['CC'] ?? 'cc', [], (program) => [program]);
  });

  it.runIf(arm64Runs)('built for arm64 by clang and run under qemu-user: the same', () => {
    buildAndRun(clang, ['--target=aarch64-linux-gnu', '-fuse-ld=lld'], (program) => [qemu, '-L', arm64Root, program]);
  });
});
