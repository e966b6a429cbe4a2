// The signature check through koffi into the simulator's wintrust/crypt32 (native/sim/src/wintrust.c). Under Wine,
// test/wine/wintrust.test.ts runs the same calls against Wine's real wintrust.dll and crypt32.dll.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import koffi from 'koffi';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { loadTrust } from '../../native/wintrust/functions.js';
import { loadTrustSimControl } from '../../native/wintrust/sim-control.js';
import { TRUST_RESULT, WINTRUST_ACTION_GENERIC_VERIFY_V2 } from '../../native/wintrust/types.js';
import { verifyFileSignature } from '../../native/wintrust/verify.js';

const lib = loadTrust();
const sim = loadTrustSimControl();
const dir = mkdtempSync(join(tmpdir(), 'portcullis-trust-'));
const program = (name: string, bytes = 4096) => {
  const path = join(dir, name);
  writeFileSync(path, Buffer.alloc(bytes, name.length));
  return path;
};

describe('code signatures through the simulated wintrust', () => {
  beforeEach(() => sim.reset());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('binds every function the check calls from the simulator library', () => {
    expect(lib.backend).toBe('simulator');
    for (const name of ['WinVerifyTrust', 'CryptCATAdminAcquireContext2', 'CertGetNameStringW', 'CreateFileW'] as const)
      expect(lib.exported.has(name)).toBe(true);
  });

  it('a signed file verifies and names its signer; a copy stays signed', async () => {
    const path = program('signed.exe');
    sim.signFile(path, 'Contoso Ltd');
    expect(await verifyFileSignature(path, lib)).toEqual({
      verdict: 'signed',
      code: 0,
      symbol: 'ERROR_SUCCESS',
      signer: 'Contoso Ltd',
      source: 'embedded',
    });
    const copy = join(dir, 'copy.exe');
    copyFileSync(path, copy);
    expect((await verifyFileSignature(copy, lib)).signer).toBe('Contoso Ltd');
    expect(sim.openStates()).toBe(0);
  });

  it('a file changed after signing is TRUST_E_BAD_DIGEST, with no signer', async () => {
    const path = program('changed.exe');
    sim.signFile(path, 'Contoso Ltd');
    const bytes = readFileSync(path);
    bytes.writeUInt8(bytes.readUInt8(100) ^ 0xff, 100);
    writeFileSync(path, bytes);
    const result = await verifyFileSignature(path, lib);
    expect(result).toMatchObject({
      verdict: 'bad-digest',
      code: TRUST_RESULT.TRUST_E_BAD_DIGEST,
      symbol: 'TRUST_E_BAD_DIGEST',
    });
    expect(result.signer).toBeUndefined();
    expect(sim.openStates()).toBe(0);
  });

  it('an unsigned file is TRUST_E_NOSIGNATURE; a missing one is unreadable, not unsigned', async () => {
    expect(await verifyFileSignature(program('plain.exe'), lib)).toEqual({
      verdict: 'unsigned',
      code: TRUST_RESULT.TRUST_E_NOSIGNATURE,
      symbol: 'TRUST_E_NOSIGNATURE',
    });
    expect(await verifyFileSignature(join(dir, 'nowhere.exe'), lib)).toMatchObject({
      verdict: 'unreadable',
      symbol: 'ERROR_FILE_NOT_FOUND',
    });
  });

  it('a file without its own signature verifies through the catalog that lists its hash', async () => {
    const path = program('svchost.exe');
    sim.catalogAddFile(path, 'Microsoft Windows');
    expect(await verifyFileSignature(path, lib)).toEqual({
      verdict: 'signed',
      code: 0,
      symbol: 'ERROR_SUCCESS',
      signer: 'Microsoft Windows',
      source: 'catalog',
    });
    // A changed file has another hash: no catalog lists it any more.
    writeFileSync(path, Buffer.concat([readFileSync(path), Buffer.from('x')]));
    expect((await verifyFileSignature(path, lib)).verdict).toBe('unsigned');
    expect(sim.openStates()).toBe(0);
  });

  it('where only the SHA-1 catalog functions exist (Windows 7, Wine 8), the catalog is found through them', async () => {
    const path = program('spoolsv.exe');
    sim.catalogAddFile(path, 'Microsoft Windows');
    const windows7 = {
      ...lib,
      exported: new Set([...lib.exported].filter((n) => !n.endsWith('2'))) as typeof lib.exported,
    };
    expect(windows7.exported.has('CryptCATAdminCalcHashFromFileHandle2')).toBe(false);
    expect(await verifyFileSignature(path, windows7)).toMatchObject({
      verdict: 'signed',
      signer: 'Microsoft Windows',
      source: 'catalog',
    });
    expect(sim.openStates()).toBe(0);
  });

  it('the file handle WinVerifyTrust opens is closed only through the WINTRUST_DATA given to VERIFY', async () => {
    const path = program('held.exe');
    sim.signFile(path, 'Contoso Ltd');
    const owned: unknown[] = [];
    const put = (type: string, value: object) => {
      const ptr = koffi.alloc(type, 1);
      owned.push(ptr);
      koffi.encode(ptr, type, value);
      return ptr;
    };
    const fileInfo = () =>
      put('WINTRUST_FILE_INFO', { cbStruct: 32, pcwszFilePath: path, hFile: null, pgKnownSubject: null });
    const data = (stateAction: number, state: unknown) =>
      put('WINTRUST_DATA', {
        cbStruct: 80,
        dwUIChoice: 2,
        dwUnionChoice: 1,
        u: { pFile: fileInfo() },
        dwStateAction: stateAction,
        hWVTStateData: state,
      });
    try {
      // A caller that closes with a copy of the structures (what an FFI does when it marshals each call afresh).
      const verify = data(1, null);
      expect(lib.fn.WinVerifyTrust(null, WINTRUST_ACTION_GENERIC_VERIFY_V2, verify)).toBe(0);
      const state: unknown = koffi.decode(verify, koffi.offsetof('WINTRUST_DATA', 'hWVTStateData'), 'void *');
      lib.fn.WinVerifyTrust(null, WINTRUST_ACTION_GENERIC_VERIFY_V2, data(2, state));
      expect(sim.openStates()).toBe(1); // the state is gone, the file it opened is not
    } finally {
      for (const ptr of owned) koffi.free(ptr as never);
    }
    // native/wintrust keeps them in place from VERIFY to CLOSE, and leaves nothing open.
    sim.reset();
    await verifyFileSignature(path, lib);
    expect(sim.openStates()).toBe(0);
  });
});
