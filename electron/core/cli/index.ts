// Entry of the `portcullis` command (scripts/portcullis.mjs loads this, bundled or through tsx).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNativeBackend } from '../backend/native';
import { endProcessNow } from '../util/end-process';
import { runCli } from './run';

export { runCli, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliDeps, type CliIo } from './run';
export { parseArgs, usage } from './args';

/** Runs the CLI on this process's arguments and streams; resolves with the exit code. */
export function main(
  argv: readonly string[] = process.argv.slice(2),
  options: { readonly dataDir?: string } = {},
): Promise<number> {
  const interrupted = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  return runCli(
    argv,
    {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      interrupted,
    },
    {
      backend: () => createNativeBackend(),
      endProcessNow,
      version: process.env.npm_package_version ?? packageVersion(),
      ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
    },
  );
}

/** The version in our package.json, found above this file (source, out/main bundle, or app.asar). */
function packageVersion(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'portcullis' && pkg.version) return pkg.version;
      } catch {
        return undefined;
      }
    }
    dir = dirname(dir);
  }
  return undefined;
}
