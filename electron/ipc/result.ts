// What travels back over IPC for every command. Errors are values, not thrown exceptions, because Electron flattens
// a thrown error into a string and the renderer needs the code to tell "invalid input" from "WFP refused".
export type IpcErrorCode = 'UNKNOWN_COMMAND' | 'UNTRUSTED_SENDER' | 'INVALID_ARGUMENTS' | 'FAILED';

export interface IpcErrorInfo {
  readonly code: IpcErrorCode;
  readonly message: string;
  /** For INVALID_ARGUMENTS: one line per problem, "path: what is wrong". */
  readonly issues?: readonly string[];
}

export type IpcResult<T = unknown> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: IpcErrorInfo };
