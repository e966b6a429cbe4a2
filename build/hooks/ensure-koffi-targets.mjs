// electron-builder beforePack hook: koffi loads its native module from @koromix/koffi-<platform>-<arch>, an
// optional dependency that npm installs only for the host (an x64 PC gets no win32-arm64 package, a Linux host gets
// no win32 package at all). Before each Windows architecture is packed, fetch that architecture's package from the
// npm registry, at the exact version of the installed koffi, when it is missing. Build time only: the installed app
// never downloads anything.
import { execFileSync } from 'node:child_process';
import { x as extractTar } from 'tar';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// electron-builder's Arch enum (builder-util): the number arrives in the hook context.
const ARCH_NAMES = { 0: 'ia32', 1: 'x64', 2: 'armv7l', 3: 'arm64', 4: 'universal' };

function readVersion(packageDir) {
  try {
    return JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

function runNpm(args, cwd) {
  // Under `npm run`, npm_execpath is npm's own CLI script: run it with this Node, no shell needed on Windows.
  const npmCli = process.env.npm_execpath;
  if (npmCli && /\.c?js$/.test(npmCli)) {
    return execFileSync(process.execPath, [npmCli, ...args], { cwd, encoding: 'utf8' });
  }
  return execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, {
    cwd,
    encoding: 'utf8',
    shell: process.platform === 'win32',
  });
}

/**
 * Unpacks an npm tarball (everything under package/) into `target`, replacing it. In-process with node-tar (which
 * electron-builder itself depends on), not a `tar` found on PATH: Git Bash puts GNU tar first there, which reads
 * C:\... as a remote host and fails, so the arm64 build broke depending on the shell it was started from.
 */
export function extractPackage(tarball, target) {
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  extractTar({ file: tarball, cwd: target, strip: 1, sync: true });
}

/** Makes node_modules/@koromix/koffi-<platform>-<arch> present at koffi's version; returns what it did. */
export function ensureKoffiPackage(projectDir, platform, arch, log = console.log) {
  const koffiVersion = readVersion(join(projectDir, 'node_modules', 'koffi'));
  if (!koffiVersion) {
    throw new Error('koffi is not installed in node_modules: run `npm install` before `npm run dist`.');
  }
  const name = `@koromix/koffi-${platform}-${arch}`;
  const target = join(projectDir, 'node_modules', '@koromix', `koffi-${platform}-${arch}`);
  if (readVersion(target) === koffiVersion) return { name, action: 'present', path: target };

  const scratch = mkdtempSync(join(tmpdir(), 'portcullis-koffi-'));
  try {
    log(`  fetching ${name}@${koffiVersion} (npm skipped it on this ${process.platform}-${process.arch} host)`);
    const packed = JSON.parse(
      runNpm(['pack', `${name}@${koffiVersion}`, '--json', '--pack-destination', scratch], scratch),
    );
    const tarball = join(scratch, packed[0].filename);
    extractPackage(tarball, target);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  if (readVersion(target) !== koffiVersion || !readdirSync(target).some((f) => f.startsWith(`${platform}_`))) {
    throw new Error(`${name}@${koffiVersion} was fetched but ${target} does not hold its native module.`);
  }
  return { name, action: 'fetched', path: target };
}

export default async function beforePack(context) {
  if (context.electronPlatformName !== 'win32') return;
  const arch = ARCH_NAMES[context.arch];
  if (arch !== 'x64' && arch !== 'arm64') {
    throw new Error(`Portcullis is packaged for Windows x64 and arm64 only, not ${arch ?? context.arch}.`);
  }
  const projectDir = context.packager.info.projectDir;
  const result = ensureKoffiPackage(projectDir, 'win32', arch);
  if (!existsSync(result.path)) throw new Error(`${result.name} is missing after preparation.`);
}
