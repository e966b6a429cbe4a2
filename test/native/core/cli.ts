// The `portcullis` command in the native suite: in this process against the simulator (the CLI's own entry, runCli),
// or as the separate program a user starts (scripts/portcullis.mjs), which gets a simulator of its own.
import { join, resolve } from 'node:path';
import { createNativeBackend } from '../../../electron/core/backend/native';
import { runCli } from '../../../electron/core/cli/run';
import { runProgram } from '../fixtures/child';

export const repo = resolve(import.meta.dirname, '..', '..', '..');

export interface CliResult {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

/** Runs the CLI in this process on `dataDir`, through the native layer into the simulator. */
export async function cliInProcess(argv: readonly string[], dataDir: string): Promise<CliResult> {
  let out = '';
  let err = '';
  const code = await runCli(
    [...argv],
    { stdout: (t) => (out += t), stderr: (t) => (err += t) },
    { backend: () => createNativeBackend(), dataDir },
  );
  return { code, out, err };
}

/** Starts `portcullis <argv>` as a program of its own with `env` added; killed (SIGKILL) after `limitMs`. */
export async function cliProgram(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  limitMs = 25_000,
): Promise<CliResult> {
  const r = await runProgram([join(repo, 'scripts', 'portcullis.mjs'), ...argv], limitMs, env);
  return { code: r.code, out: r.stdout, err: r.stderr };
}
