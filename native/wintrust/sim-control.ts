// The simulator's code-signature controls (native/sim/src/wintrust.c): sign a real file (a trailer inside it, so a
// copy stays signed and a changed byte breaks it), list a file in a catalog, or give a file that exists only in the
// demo a verdict by path. Not available on Windows, where the real wintrust.dll answers.
import koffi from 'koffi';
import { WfpError } from '../errors.js';
import { simulatorPath } from '../loader.js';

export interface TrustSimControl {
  /** Appends an embedded signature by `signer` to the file as it is now. */
  signFile(path: string, signer: string): void;
  /** Lists the file's current hash in a catalog signed by `signer`. */
  catalogAddFile(path: string, signer: string): void;
  /** WinVerifyTrust's answer for a path, whether or not a file is there (the demo's programs). */
  setFileSignature(path: string, result: number, signer?: string): void;
  /** WinVerifyTrust states opened with VERIFY and not yet closed. */
  openStates(): number;
  reset(): void;
}

export function loadTrustSimControl(libraryPath = simulatorPath()): TrustSimControl {
  if (process.platform === 'win32') throw new Error('the code-signature simulator is not built for Windows');
  const h = koffi.load(libraryPath);
  const f = {
    signFile: h.func('sim_sign_file', 'uint32_t', ['char16_t *', 'char16_t *']),
    catalogAddFile: h.func('sim_catalog_add_file', 'uint32_t', ['char16_t *', 'char16_t *']),
    setFileSignature: h.func('sim_set_file_signature', 'uint32_t', ['char16_t *', 'uint32_t', 'char16_t *']),
    openStates: h.func('int32_t sim_trust_open_states(void)'),
    reset: h.func('uint32_t sim_trust_reset(void)'),
  };
  const ok = (func: string, code: number) => {
    if (code !== 0) throw new WfpError(func, code);
  };
  return {
    signFile: (path, signer) => ok('sim_sign_file', f.signFile(path, signer) as number),
    catalogAddFile: (path, signer) => ok('sim_catalog_add_file', f.catalogAddFile(path, signer) as number),
    setFileSignature: (path, result, signer) =>
      ok('sim_set_file_signature', f.setFileSignature(path, result >>> 0, signer ?? null) as number),
    openStates: () => f.openStates() as number,
    reset: () => ok('sim_trust_reset', f.reset() as number),
  };
}
