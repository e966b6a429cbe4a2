// Ending the process without Node's teardown, for when a thread of ours is inside a call into Windows that does not
// return (native/lookups/file-lookups.ts, callsHoldingExit): a normal exit or quit frees Node's environment, which
// joins every worker thread first (node::FreeEnvironment calls stop_sub_worker_contexts) and would wait for that call.

/**
 * Ends this process at once, once what was written to stdout and stderr has gone out: writes to a terminal are
 * asynchronous on Windows, to a pipe on POSIX (Node's docs, "A note on process I/O"). On Windows process.kill with
 * SIGKILL is TerminateProcess, "the unconditional termination of the target process" (Node's docs, process "Signal
 * events"): no thread of ours is waited for, and the exit code is 1 (libuv's uv__kill, src/win/process.c). Never
 * resolves.
 */
export function endProcessNow(): Promise<never> {
  return new Promise(() => {
    process.stdout.write('', () => process.stderr.write('', () => process.kill(process.pid, 'SIGKILL')));
  });
}

/** Why the process is ended at once: the calls that would have held it. */
export function whyEndingAtOnce(held: readonly string[], what: 'quitting' | 'exiting'): string {
  return `${held.join('; ')} has not returned, and ${what} would wait for it.`;
}
