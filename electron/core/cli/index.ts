// Entry of the `portcullis` command (scripts/portcullis.mjs loads this, bundled or through tsx).
import { createNativeBackend } from '../backend/native';
import { runCli } from './run';

export { runCli, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliDeps, type CliIo } from './run';
export { parseArgs, USAGE } from './args';

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
      version: process.env.npm_package_version,
      ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
    },
  );
}
