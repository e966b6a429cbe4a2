// Evaluates the configuration's file patterns with electron-builder's own matcher code (app-builder-lib's
// FileMatcher, getMainFileMatchers, getNodeModuleFileMatcher and the asarUnpack matcher), walking paths the way
// its copier does: a file is packaged only when every folder above it passes the filter too.
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import type { Configuration } from 'electron-builder';

const root = join(import.meta.dirname, '..', '..', '..');
const builderRequire = createRequire(join(root, 'node_modules', 'app-builder-lib', 'package.json'));

interface StatLike {
  isDirectory(): boolean;
  moduleFullFilePath?: string;
}
type Filter = (file: string, stat: StatLike) => boolean;
interface Matcher {
  patterns: string[];
  createFilter(): Filter;
}
interface FileMatcherModule {
  FileMatcher: new (from: string, to: string, expand: (s: string) => string, patterns?: string[]) => Matcher;
  getMainFileMatchers(
    appDir: string,
    destination: string,
    expand: (s: string) => string,
    platformOptions: object,
    platformPackager: object,
    outDir: string,
    isElectronCompile: boolean,
  ): Matcher[];
  getNodeModuleFileMatcher(
    appDir: string,
    destination: string,
    expand: (s: string) => string,
    platformOptions: object,
    info: object,
  ): Matcher;
  getFileMatchers(config: object, name: string, destination: string, options: object): Matcher[] | null;
  excludedNames: string;
  excludedExts: string;
}
const fm = builderRequire('./out/fileMatcher') as FileMatcherModule;

// NodeModuleCopyHelper's fixed exclusions (app-builder-lib/out/util/NodeModuleCopyHelper.js), which apply before
// the patterns; included so that a file the patterns keep but electron-builder drops is not counted as packaged.
const EXCLUDED_NAMES = new Set([
  '.DS_Store',
  'node_modules',
  'CHANGELOG.md',
  'ChangeLog',
  'changelog.md',
  'Changelog.md',
  'Changelog',
  'binding.gyp',
  '.npmignore',
  'node_gyp_bins',
  ...fm.excludedNames.split(','),
]);
const TOP_LEVEL_EXCLUDED = new Set([
  'karma.conf.js',
  '.coveralls.yml',
  'README.md',
  'readme.markdown',
  'README',
  'readme.md',
  'Readme.md',
  'Readme',
  'readme',
  'test',
  'tests',
  '__tests__',
  'powered-test',
  'example',
  'examples',
  '.bin',
]);
const NODE_MODULE_EXCLUDED_EXTS = ['.o', '.obj', '.pdb', ...fm.excludedExts.split(',').map((e) => `.${e}`)];

const identity = (s: string) => s;
const stat = (dir: boolean, moduleFullFilePath?: string): StatLike => ({
  isDirectory: () => dir,
  ...(moduleFullFilePath === undefined ? {} : { moduleFullFilePath }),
});

export interface PackagingPlan {
  /** App files (repository-relative, '/' separated) that end up in the package. */
  appFiles(paths: readonly string[]): string[];
  /** node_modules files (e.g. node_modules/koffi/index.cjs) that end up in the package. */
  moduleFiles(paths: readonly string[]): string[];
  /** Whether a packaged path is stored outside app.asar. */
  isUnpacked(path: string): boolean;
}

export function packagingPlan(config: Configuration, appDir = root): PackagingPlan {
  const destination = join(appDir, 'dist', 'win-unpacked', 'resources', 'app');
  const outDir = join(appDir, config.directories?.output ?? 'dist');
  const winOptions = config.win ?? {};
  const info = {
    projectDir: appDir,
    buildResourcesDir: join(appDir, config.directories?.buildResources ?? 'build'),
    isPrepackedAppAsar: false,
    config,
    debugLogger: { isEnabled: false },
  };
  const [main] = fm.getMainFileMatchers(appDir, destination, identity, winOptions, { info, config }, outDir, false);
  if (!main) throw new Error('electron-builder produced no file matcher');
  const mainFilter = main.createFilter();
  const modulePatterns = fm.getNodeModuleFileMatcher(appDir, destination, identity, winOptions, info).patterns;
  const unpackMatchers = fm.getFileMatchers(config, 'asarUnpack', destination, {
    macroExpander: identity,
    customBuildOptions: winOptions,
    globalOutDir: outDir,
    defaultSrc: appDir,
  });
  const unpackFilter = unpackMatchers?.[0]?.createFilter();

  const walkPasses = (relative: string, test: (abs: string, rel: string, dir: boolean) => boolean) => {
    const parts = relative.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const rel = parts.slice(0, i).join('/');
      if (!test(join(appDir, ...parts.slice(0, i)), rel, i < parts.length)) return false;
    }
    return true;
  };

  return {
    appFiles: (paths) =>
      paths.filter(
        (p) => !p.startsWith('node_modules/') && walkPasses(p, (abs, _rel, dir) => mainFilter(abs, stat(dir))),
      ),

    moduleFiles: (paths) =>
      paths.filter((p) => {
        const match = /^node_modules\/((?:@[^/]+\/)?[^/]+)\/(.+)$/.exec(p);
        if (!match?.[1] || !match[2]) return false;
        const [, name, inside] = match;
        const depDir = join(appDir, 'node_modules', ...name.split('/'));
        const filter = new fm.FileMatcher(depDir, destination, identity, modulePatterns).createFilter();
        const parts = inside.split('/');
        for (let i = 0; i < parts.length; i++) {
          const part = parts[i] ?? '';
          const isDir = i < parts.length - 1;
          if (EXCLUDED_NAMES.has(part) || part.startsWith('._')) return false;
          if (!isDir && NODE_MODULE_EXCLUDED_EXTS.some((ext) => part.endsWith(ext))) return false;
          if (i === 0 && TOP_LEVEL_EXCLUDED.has(part)) return false;
          const within = parts.slice(0, i + 1).join('/');
          const full = `node_modules/${name}/${within}`;
          if (!filter(join(depDir, ...within.split('/')), stat(isDir, full.split('/').join(sep)))) return false;
        }
        return true;
      }),

    isUnpacked: (p) =>
      unpackFilter !== undefined &&
      unpackFilter(
        join(appDir, ...p.split('/')),
        stat(false, p.startsWith('node_modules/') ? p.split('/').join(sep) : undefined),
      ),
  };
}
