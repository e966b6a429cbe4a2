#!/usr/bin/env node
// Builds Portcullis's event ring (native/batch: WFP's net-event callback in C, see include/event_ring.h).
//   node scripts/build-events.mjs              system cc -> native/batch/build/libportcullis_events.so (.dylib)
//   node scripts/build-events.mjs --windows    x86_64-w64-mingw32-gcc -> native/batch/build/win32-x64/portcullis_events.dll
//   --quiet-if-missing-compiler                one line and exit 0 when the compiler is absent (postinstall)
//   --force                                    rebuild even when the output is newer than every source
// CC (or MINGW_CC for --windows) picks another compiler. Windows arm64 is not built here (no clang/lld with an
// arm64 Windows runtime in this toolchain): the arm64 app keeps the per-event callback and says so.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'native', 'batch');
const srcDir = join(dir, 'src');

const args = new Set(process.argv.slice(2));
for (const a of args) {
  if (!['--windows', '--quiet-if-missing-compiler', '--force'].includes(a)) {
    console.error(`build-events: unknown argument ${a} (expected --windows, --quiet-if-missing-compiler, --force)`);
    process.exit(2);
  }
}
const windows = args.has('--windows') || process.platform === 'win32';
const quietIfMissing = args.has('--quiet-if-missing-compiler');
const compiler = windows
  ? process.env.MINGW_CC || (process.platform === 'win32' ? process.env.CC || 'gcc' : 'x86_64-w64-mingw32-gcc')
  : process.env.CC || 'cc';
const output = windows
  ? join(dir, 'build', 'win32-x64', 'portcullis_events.dll')
  : join(dir, 'build', process.platform === 'darwin' ? 'libportcullis_events.dylib' : 'libportcullis_events.so');
const rel = (p) => relative(root, p) || p;

const present = spawnSync(compiler, ['--version'], { encoding: 'utf8' });
if (present.error && present.error.code === 'ENOENT') {
  const hint = windows
    ? 'install mingw-w64 (Debian/Ubuntu: apt-get install gcc-mingw-w64-x86-64) or set MINGW_CC'
    : 'install a C compiler (Debian/Ubuntu: apt-get install gcc) or set CC';
  if (quietIfMissing) {
    console.log(`build-events: ${compiler} not found, event ring not built: events take the per-event path (${hint})`);
    process.exit(0);
  }
  console.error(`build-events: ${compiler} not found: cannot build the event ring. ${hint}.`);
  process.exit(1);
}

const inputs = [fileURLToPath(import.meta.url)];
for (const d of [srcDir, join(dir, 'include')])
  for (const f of readdirSync(d)) if (/\.[ch]$/.test(f)) inputs.push(join(d, f));
if (
  !args.has('--force') &&
  existsSync(output) &&
  statSync(output).mtimeMs > Math.max(...inputs.map((p) => statSync(p).mtimeMs))
) {
  if (!quietIfMissing) console.log(`build-events: ${rel(output)} is up to date`);
  process.exit(0);
}
mkdirSync(dirname(output), { recursive: true });
const sources = readdirSync(srcDir)
  .filter((f) => f.endsWith('.c'))
  .sort()
  .map((f) => join(srcDir, f));
const common = ['-std=gnu11', '-O2', '-shared', '-Wall', '-Wextra', '-Werror'];
// Windows: no dependency beyond kernel32 (the C runtime's pieces linked in), so the DLL loads from the install
// folder alone.
const flags = windows ? [...common, '-static-libgcc', '-s'] : [...common, '-fPIC', '-fvisibility=hidden'];
const tmp = `${output}.tmp-${process.pid}`;
const started = Date.now();
const r = spawnSync(compiler, [...flags, '-o', tmp, ...sources], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'pipe'],
});
if (r.error || r.status !== 0) {
  rmSync(tmp, { force: true });
  process.stderr.write(r.stdout || '');
  process.stderr.write(r.stderr || (r.error ? r.error.message + '\n' : ''));
  console.error(`build-events: ${compiler} failed.`);
  process.exit(1);
}
renameSync(tmp, output);
console.log(`build-events: built ${rel(output)} with ${compiler} in ${Date.now() - started} ms`);
