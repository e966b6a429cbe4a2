// `Portcullis.exe --cli <command>` runs the command-line tool inside the packaged app, with no window, tray or
// single-instance lock: the uninstaller runs `--cli reset` this way, and it must work while the app is running.
import { CLI_ARG } from '../core/app-identity';

export interface CliModeDeps {
  readonly exit: (code: number) => void;
  readonly runCli: (args: readonly string[]) => Promise<number>;
  readonly log: (message: string, error: unknown) => void;
}

/** The arguments after --cli, or undefined when the app was not started as the command-line tool. */
export function cliArguments(argv: readonly string[]): readonly string[] | undefined {
  const at = argv.indexOf(CLI_ARG);
  return at === -1 ? undefined : argv.slice(at + 1);
}

/** Runs the CLI when asked to; resolves true when it did (the process is then exiting with the CLI's code). */
export async function runCliMode(argv: readonly string[], deps: CliModeDeps): Promise<boolean> {
  const args = cliArguments(argv);
  if (args === undefined) return false;
  let code = 1;
  try {
    code = await deps.runCli(args);
  } catch (error) {
    deps.log('portcullis --cli failed', error);
  }
  deps.exit(code);
  return true;
}
