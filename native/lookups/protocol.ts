// What the main thread and the file-lookup thread say to each other: requests in batches, answers in batches.
export type LookupOp = 'realCase' | 'signature' | 'identity';

export interface LookupRequest {
  readonly id: number;
  readonly op: LookupOp;
  readonly path: string;
}

export interface LookupAnswer {
  readonly id: number;
  readonly value?: unknown;
  /** The lookup threw (it never should: each says "unreadable" or undefined for a file it cannot read). */
  readonly error?: string;
}

/** What the main thread sends: a batch of requests, or the word to end once the batch in hand is done. */
export type LookupMessage = { readonly requests: readonly LookupRequest[] } | { readonly stop: true };

export interface LookupThreadData {
  /** The library to call instead of Windows' own DLLs (the simulator); decided by the main thread. */
  readonly libraryPath?: string;
  /** Two Int32 shared with the main thread, at SHARED_IN_CALL and SHARED_STOPPING. */
  readonly shared: Int32Array;
}

/**
 * The id of the request the thread is inside of, 0 between requests. The main thread reads it when the thread does
 * not answer, and when the process is about to end (file-lookups.ts).
 */
export const SHARED_IN_CALL = 0;
/** Set to 1 by the main thread when it gives the thread up: the rest of the batch in hand is left unanswered. */
export const SHARED_STOPPING = 1;
