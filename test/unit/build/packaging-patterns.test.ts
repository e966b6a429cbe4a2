// What goes into the Windows package, decided by electron-builder's own matcher code over real repository paths.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../../../build/electron-builder.config';
import { packagingPlan } from './packaging';

const root = join(import.meta.dirname, '..', '..', '..');

function walk(dir: string, skip: (rel: string) => boolean, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const abs = join(dir, entry.name);
    const rel = relative(root, abs).split(sep).join('/');
    if (skip(rel)) continue;
    if (entry.isDirectory()) walk(abs, skip, out);
    else out.push(rel);
  }
  return out;
}

// The files of the published @koromix/koffi-win32-* 3.3.4 packages. npm installs them only on Windows hosts of the
// matching architecture, so they are listed here rather than read from node_modules.
const KOFFI_WIN32 = [
  'node_modules/@koromix/koffi-win32-x64/package.json',
  'node_modules/@koromix/koffi-win32-x64/index.js',
  'node_modules/@koromix/koffi-win32-x64/README.md',
  'node_modules/@koromix/koffi-win32-x64/win32_x64/koffi.node',
  'node_modules/@koromix/koffi-win32-x64/win32_x64/koffi.lib',
  'node_modules/@koromix/koffi-win32-arm64/package.json',
  'node_modules/@koromix/koffi-win32-arm64/index.js',
  'node_modules/@koromix/koffi-win32-arm64/README.md',
  'node_modules/@koromix/koffi-win32-arm64/win32_arm64/koffi.node',
  'node_modules/@koromix/koffi-win32-arm64/win32_arm64/koffi.lib',
  'node_modules/@koromix/koffi-win32-arm64/win32_arm64/koffi.exp',
];
const KOFFI_BINARIES = KOFFI_WIN32.filter((p) => p.endsWith('.node'));

// electron-vite's output, which does not exist until a build; the test-named files stand for a test that a
// bundler configuration change would let into out/.
const BUILD_OUTPUT = [
  'out/main/index.js',
  'out/main/index.js.map',
  'out/preload/index.cjs',
  'out/renderer/index.html',
  'out/renderer/assets/index-4f2a.js',
  'out/main/pipeline.test.js',
  'out/main/pipeline.test.js.map',
  'out/main/chunks/app-index.spec.mjs.map',
  'out/main/native/sim/build/libwfpsim.so',
  'out/main/wfpsim.dll',
];

const repoFiles = walk(root, (rel) => /^(node_modules|\.git|dist|out)(\/|$)/.test(rel));
const appCandidates = [...repoFiles, ...BUILD_OUTPUT, 'native/sim/build/libwfpsim.so', 'native/sim/build/wfpsim.dll'];
const moduleCandidates = [
  ...walk(join(root, 'node_modules', 'koffi'), () => false),
  ...walk(join(root, 'node_modules', '@koromix'), () => false),
  ...KOFFI_WIN32,
];
const plan = packagingPlan(config);
const packagedApp = new Set(plan.appFiles(appCandidates));
const packagedModules = new Set(plan.moduleFiles(moduleCandidates));

describe('packaged files', () => {
  it('has real repository paths to judge', () => {
    expect(repoFiles).toContain('package.json');
    expect(repoFiles.some((p) => p.startsWith('test/unit/'))).toBe(true);
    expect(moduleCandidates).toContain('node_modules/koffi/index.cjs');
  });

  it('includes koffi and its win32-x64 and win32-arm64 binaries, outside app.asar', () => {
    for (const binary of KOFFI_BINARIES) {
      expect(packagedModules, binary).toContain(binary);
      expect(plan.isUnpacked(binary), binary).toBe(true);
    }
    for (const file of [
      'node_modules/koffi/index.cjs',
      'node_modules/koffi/src/koffi/index.cjs',
      'node_modules/koffi/package.json',
    ]) {
      expect(packagedModules, file).toContain(file);
      expect(plan.isUnpacked(file), file).toBe(true);
    }
    for (const loader of [
      'node_modules/@koromix/koffi-win32-x64/index.js',
      'node_modules/@koromix/koffi-win32-arm64/index.js',
    ]) {
      expect(packagedModules, loader).toContain(loader);
    }
  });

  it("leaves out koffi's packages for other operating systems", () => {
    const foreign = moduleCandidates.filter((p) => /@koromix\/koffi-(linux|darwin|freebsd|openbsd|android)-/.test(p));
    expect(foreign.length).toBeGreaterThan(0);
    expect(foreign.filter((p) => packagedModules.has(p))).toEqual([]);
  });

  it('includes the built app and package.json, inside app.asar', () => {
    for (const file of [
      'package.json',
      'out/main/index.js',
      'out/preload/index.cjs',
      'out/renderer/index.html',
      'out/renderer/assets/index-4f2a.js',
    ]) {
      expect(packagedApp, file).toContain(file);
      expect(plan.isUnpacked(file), file).toBe(false);
    }
  });

  it('leaves out tests and their source maps', () => {
    const tests = appCandidates.filter((p) => p.startsWith('test/') || /\.(test|spec)\.[cm]?[jt]sx?(\.map)?$/.test(p));
    expect(tests).toEqual(expect.arrayContaining(['out/main/pipeline.test.js', 'out/main/pipeline.test.js.map']));
    expect(tests.filter((p) => packagedApp.has(p))).toEqual([]);
  });

  it('leaves out the simulator, benchmarks, docs and sources', () => {
    const unwanted = appCandidates.filter(
      (p) => /^(native|bench|docs|electron|renderer|scripts|build)\//.test(p) || /wfpsim/.test(p),
    );
    expect(unwanted).toEqual(expect.arrayContaining(['native/sim/build/libwfpsim.so', 'out/main/wfpsim.dll']));
    expect(unwanted.filter((p) => packagedApp.has(p))).toEqual([]);
  });

  it('keeps the entry file of every runtime dependency', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const name of Object.keys(pkg.dependencies)) {
      const dir = join(root, 'node_modules', ...name.split('/'));
      const meta = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { main?: string };
      const entry = `node_modules/${name}/${(meta.main ?? 'index.js').replace(/^\.\//, '')}`;
      const candidates = [entry, `${entry}.js`, `${entry}/index.js`].filter((p) => existsSync(join(root, p)));
      expect(candidates.length, `${name} entry`).toBeGreaterThan(0);
      expect(plan.moduleFiles(candidates).length, `${name} entry ${candidates.join(', ')}`).toBeGreaterThan(0);
    }
  });

  it('would package the test files without the exclusions, so the checks above have teeth', () => {
    const loose = packagingPlan({ ...config, files: ['out/**/*', 'package.json'] });
    expect(loose.appFiles(BUILD_OUTPUT)).toEqual(
      expect.arrayContaining(['out/main/pipeline.test.js.map', 'out/main/wfpsim.dll']),
    );
  });
});
