// How a native call that may wait on the disk (WinVerifyTrust hashing a file, FindFirstFileW, CreateFileW) is made.
// On the main thread it must never wait there: koffi runs it on a thread of libuv's pool and calls back, about 60 µs
// of CPU for the hop alone (measured against the simulator) and a wake-up of the main thread for every call. On the
// file-lookup thread (native/lookups), which does nothing else, the same call is made directly.
import type { BoundFunction } from './wfp/functions.js';

export type NativeCall = <T>(f: BoundFunction, ...args: unknown[]) => Promise<T> | T;

/** On koffi's worker threads; the caller's thread goes on. For the main thread. */
export const callOffThread: NativeCall = <T>(f: BoundFunction, ...args: unknown[]) =>
  new Promise<T>((resolve, reject) => {
    f.async(...args, (err: unknown, result: T) =>
      err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(result),
    );
  });

/** On the calling thread. Only for a thread of our own that may wait (native/lookups/worker.ts). */
export const callHere: NativeCall = <T>(f: BoundFunction, ...args: unknown[]) => f(...args) as T;
