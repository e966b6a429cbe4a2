#!/usr/bin/env node
// Builds Portcullis's event ring (native/batch: WFP's net-event callback in C, see include/event_ring.h).
//   node scripts/build-events.mjs                  system cc -> native/batch/build/libportcullis_events.so (.dylib)
//   node scripts/build-events.mjs --windows        x86_64-w64-mingw32-gcc -> native/batch/build/win32-x64/portcullis_events.dll
//   node scripts/build-events.mjs --windows-arm64  clang + lld-link -> native/batch/build/win32-arm64/portcullis_events.dll
//   --quiet-if-missing-compiler                    one line and exit 0 when a tool is absent (postinstall, dist)
//   --force                                        rebuild even when the output is newer than every source
// CC (or MINGW_CC for --windows) picks another compiler; for --windows-arm64 CLANG, LLD_LINK, LLVM_DLLTOOL and
// MINGW_INCLUDE (mingw-w64's Windows headers) do. arm64 has no mingw-w64 C runtime in Debian, so the DLL is linked
// without one: it imports from kernel32.dll and msvcrt.dll (both part of Windows on arm64, as on x64; llvm-mingw's
// msvcrt flavour targets aarch64 against the same msvcrt.dll), through import libraries made here by llvm-dlltool,
// and has no entry point. Its stack frames stay under one page (safe_copy.c), so no stack probe (__chkstk) is needed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'native', 'batch');
const srcDir = join(dir, 'src');

const args = new Set(process.argv.slice(2));
for (const a of args) {
  if (!['--windows', '--windows-arm64', '--quiet-if-missing-compiler', '--force'].includes(a)) {
    console.error(
      `build-events: unknown argument ${a} (expected --windows, --windows-arm64, --quiet-if-missing-compiler, --force)`,
    );
    process.exit(2);
  }
}
const arm64 = args.has('--windows-arm64');
const windows = arm64 || args.has('--windows') || process.platform === 'win32';
const quietIfMissing = args.has('--quiet-if-missing-compiler');
const compiler = arm64
  ? process.env.CLANG || 'clang'
  : windows
    ? process.env.MINGW_CC || (process.platform === 'win32' ? process.env.CC || 'gcc' : 'x86_64-w64-mingw32-gcc')
    : process.env.CC || 'cc';
const linker = process.env.LLD_LINK || 'lld-link';
const dlltool = process.env.LLVM_DLLTOOL || 'llvm-dlltool';
const mingwInclude = process.env.MINGW_INCLUDE || '/usr/share/mingw-w64/include';
const output = windows
  ? join(dir, 'build', arm64 ? 'win32-arm64' : 'win32-x64', 'portcullis_events.dll')
  : join(dir, 'build', process.platform === 'darwin' ? 'libportcullis_events.dylib' : 'libportcullis_events.so');
const rel = (p) => relative(root, p) || p;

const missing = (arm64 ? [compiler, linker, dlltool] : [compiler]).find(
  (tool) => spawnSync(tool, ['--version'], { encoding: 'utf8' }).error?.code === 'ENOENT',
);
const noHeaders = arm64 && !existsSync(join(mingwInclude, 'windows.h')) ? `${mingwInclude}/windows.h` : undefined;
if (missing || noHeaders) {
  const hint = arm64
    ? 'install clang, lld, llvm and mingw-w64-common (Debian/Ubuntu), or set CLANG, LLD_LINK, LLVM_DLLTOOL, MINGW_INCLUDE; without it the arm64 app takes the per-event callback and says so'
    : windows
      ? 'install mingw-w64 (Debian/Ubuntu: apt-get install gcc-mingw-w64-x86-64) or set MINGW_CC'
      : 'install a C compiler (Debian/Ubuntu: apt-get install gcc) or set CC';
  const what = missing ?? noHeaders;
  if (quietIfMissing) {
    console.log(`build-events: ${what} not found, event ring not built: events take the per-event path (${hint})`);
    process.exit(0);
  }
  console.error(`build-events: ${what} not found: cannot build the event ring. ${hint}.`);
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
const common = ['-std=gnu11', '-O2', '-Wall', '-Wextra', '-Werror'];
const tmp = `${output}.tmp-${process.pid}`;
const started = Date.now();

class StepFailed extends Error {}

/** Runs a build step; on failure prints its output and throws StepFailed. */
function run(tool, toolArgs) {
  const r = spawnSync(tool, toolArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (!r.error && r.status === 0) return;
  process.stderr.write(r.stdout || '');
  process.stderr.write(r.stderr || (r.error ? r.error.message + '\n' : ''));
  throw new StepFailed(`build-events: ${tool} failed.`);
}

/** What the arm64 DLL may import: each a system DLL of Windows on arm64. */
const ARM64_IMPORTS = {
  'kernel32.dll': ['GetCurrentProcess', 'ReadProcessMemory', 'Sleep'],
  'msvcrt.dll': ['calloc', 'free', 'malloc', 'memcpy', 'memmove', 'memset'],
};

try {
  if (arm64) buildArm64();
  else {
    // Windows x64: no dependency beyond kernel32 and msvcrt (the C runtime's pieces linked in), so the DLL loads
    // from the install folder alone.
    const flags = windows
      ? [...common, '-shared', '-static-libgcc', '-s']
      : [...common, '-shared', '-fPIC', '-fvisibility=hidden'];
    run(compiler, [...flags, '-o', tmp, ...sources]);
  }
} catch (e) {
  rmSync(tmp, { force: true });
  if (!(e instanceof StepFailed)) throw e;
  console.error(e.message);
  process.exit(1);
}
renameSync(tmp, output);
console.log(`build-events: built ${rel(output)} with ${compiler} in ${Date.now() - started} ms`);

/** Compiles for aarch64-w64-mingw32 and links with lld-link against import libraries made here (see the top). */
function buildArm64() {
  const work = mkdtempSync(join(tmpdir(), 'portcullis-events-arm64-'));
  try {
    // clang's own headers (stdatomic.h, stdint.h), then mingw-w64's for the C library and windows.h.
    const resources = spawnSync(compiler, ['-print-resource-dir'], { encoding: 'utf8' }).stdout.trim();
    const objects = sources.map((source) => {
      const object = join(work, basename(source, '.c') + '.o');
      run(compiler, [
        '--target=aarch64-w64-mingw32',
        ...common,
        '-nostdinc',
        '-isystem',
        join(resources, 'include'),
        '-isystem',
        mingwInclude,
        '-c',
        source,
        '-o',
        object,
      ]);
      return object;
    });
    const libraries = Object.entries(ARM64_IMPORTS).map(([dll, names]) => {
      const def = join(work, basename(dll, '.dll') + '.def');
      writeFileSync(def, `LIBRARY ${dll}\nEXPORTS\n${names.join('\n')}\n`);
      const lib = join(work, basename(dll, '.dll') + '.lib');
      run(dlltool, ['-m', 'arm64', '-d', def, '-l', lib]);
      return lib;
    });
    const flags = ['/dll', '/noentry', '/nodefaultlib', '/machine:arm64', `/implib:${join(work, 'out.lib')}`];
    run(linker, [...flags, `/out:${tmp}`, ...objects, ...libraries]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
