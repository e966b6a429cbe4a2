#!/usr/bin/env node
// Regenerates native/layout/golden.json: x64 Windows layouts of the WFP structs as mingw-w64 compiles them.
// Usage: node scripts/gen-layout-golden.mjs [--out FILE] [--check]
//   --out FILE  write there instead of native/layout/golden.json
//   --check     write nothing; exit 1 when the committed golden differs from a fresh compile
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const layoutDir = join(root, 'native', 'layout');
const defaultOut = join(layoutDir, 'golden.json');
const compiler = process.env.MINGW_CC || 'x86_64-w64-mingw32-gcc';

function parseArgs(argv) {
  const args = { out: defaultOut, check: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') {
      const v = argv[++i];
      if (!v) fail('--out needs a file name');
      args.out = resolve(v);
    } else if (a === '--check') args.check = true;
    else fail(`unknown argument ${a} (expected --out FILE or --check)`);
  }
  return args;
}

function fail(message, code = 2) {
  process.stderr.write(`gen-layout-golden: ${message}\n`);
  process.exit(code);
}

function compileOracle() {
  const r = spawnSync(
    compiler,
    [
      '-D_WIN32_WINNT=0x0A00',
      '-std=gnu11',
      '-Wall',
      '-Wextra',
      '-Werror',
      '-S',
      '-o',
      '-',
      '-I',
      layoutDir,
      join(layoutDir, 'oracle.c'),
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (r.error && r.error.code === 'ENOENT') {
    fail(
      `${compiler} not found. The layout oracle needs the mingw-w64 cross compiler and headers ` +
        `(Debian/Ubuntu: apt-get install gcc-mingw-w64-x86-64; or set MINGW_CC).`,
      3,
    );
  }
  if (r.error) fail(`could not run ${compiler}: ${r.error.message}`);
  if (r.status !== 0) fail(`${compiler} failed on native/layout/oracle.c:\n${r.stderr}`);
  return r.stdout;
}

function parseLayout(asm) {
  const structs = {};
  for (const raw of asm.split('\n')) {
    const at = raw.indexOf('#@layout ');
    if (at < 0) continue;
    const parts = raw
      .slice(at + '#@layout '.length)
      .trim()
      .split(/\s+/);
    if (parts[0] === 'struct') {
      const [, name, size, align] = parts;
      structs[name] = { size: Number(size), align: Number(align), fields: {} };
    } else if (parts[0] === 'field') {
      const name = parts[1];
      const offset = Number(parts[parts.length - 1]);
      // the member designator was stringified by the preprocessor, which may leave spaces around dots
      const field = parts.slice(2, -1).join('');
      const s = structs[name];
      if (!s) throw new Error(`field ${field} of ${name} before its struct line`);
      s.fields[field] = offset;
    }
  }
  if (Object.keys(structs).length === 0) throw new Error('no #@layout lines in the compiler output');
  return { structs };
}

const args = parseArgs(process.argv.slice(2));
const golden = parseLayout(compileOracle());
const text = JSON.stringify(golden, null, 2) + '\n';
if (args.check) {
  let current = '';
  try {
    current = readFileSync(args.out, 'utf8');
  } catch {
    fail(`${args.out} is missing; run node scripts/gen-layout-golden.mjs`, 1);
  }
  if (current !== text) fail(`${args.out} differs from a fresh compile of native/layout/oracle.c`, 1);
  process.stdout.write(`gen-layout-golden: ${Object.keys(golden.structs).length} structs match\n`);
} else {
  const tmp = `${args.out}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, args.out);
  process.stdout.write(`gen-layout-golden: wrote ${Object.keys(golden.structs).length} structs to ${args.out}\n`);
}
