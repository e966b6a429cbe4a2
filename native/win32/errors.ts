// The error every part of the Windows binding throws: the function that failed, its code, and what it was doing.
export class Win32Error extends Error {
  constructor(
    readonly func: string,
    readonly code: number,
    what: string,
  ) {
    super(`${func} failed (${code >= 0 ? `error ${code}` : `HRESULT 0x${(code >>> 0).toString(16)}`}): ${what}`);
    this.name = 'Win32Error';
  }
}
