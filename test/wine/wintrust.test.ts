// The signature check against Wine's real wintrust.dll and crypt32.dll: the same binding as on Windows, with the
// Authenticode-signed Windows node.exe this lane runs in, a copy of it with one byte changed, and the simulator DLL
// (built here with mingw-w64, never signed).
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { simulatorPath } from '../../native/loader.js';
import { callHere } from '../../native/native-call.js';
import { loadTrust } from '../../native/wintrust/functions.js';
import { TRUST_RESULT } from '../../native/wintrust/types.js';
import { verifyFileSignature } from '../../native/wintrust/verify.js';

const lib = loadTrust();
const dir = mkdtempSync(join(tmpdir(), 'portcullis-trust-'));

describe("code signatures from Wine's wintrust and crypt32", () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('binds from the real wintrust.dll, not from the simulator', () => {
    expect(lib.backend).toBe('windows');
    // Wine 8 has the SHA-1 catalog functions but not CryptCATAdminCalcHashFromFileHandle2 (Windows 8+): the check
    // falls back to them, as on Windows 7.
    expect(lib.exported.has('CryptCATAdminAcquireContext')).toBe(true);
    expect(lib.exported.has('CryptCATAdminCalcHashFromFileHandle')).toBe(true);
    expect(lib.exported.has('CryptCATAdminEnumCatalogFromHash')).toBe(true);
  });

  it('the signed node.exe verifies (0) and its signer comes from the certificate', async () => {
    const result = await verifyFileSignature(process.execPath, lib);
    expect(result).toMatchObject({ verdict: 'signed', code: 0, source: 'embedded' });
    expect(result.signer).toBe('OpenJS Foundation');
  });

  it('a copy of node.exe with one byte changed is TRUST_E_BAD_DIGEST', async () => {
    const bytes = readFileSync(process.execPath);
    bytes.writeUInt8(bytes.readUInt8(4096) ^ 0x01, 4096);
    const changed = join(dir, 'node-changed.exe');
    writeFileSync(changed, bytes);
    const result = await verifyFileSignature(changed, lib);
    expect(result).toMatchObject({ verdict: 'bad-digest', code: TRUST_RESULT.TRUST_E_BAD_DIGEST });
    // An unchanged copy is still signed: the signature travels inside the file.
    const copy = join(dir, 'node-copy.exe');
    copyFileSync(process.execPath, copy);
    expect((await verifyFileSignature(copy, lib)).verdict).toBe('signed');
    // WinVerifyTrust opened both files; closing its state closed them, so they can go at once.
    rmSync(copy);
    rmSync(changed);
  });

  it("the simulator's DLL has no signature: TRUST_E_NOSIGNATURE, and no catalog lists it", async () => {
    const result = await verifyFileSignature(simulatorPath(), lib);
    expect(result).toEqual({
      verdict: 'unsigned',
      code: TRUST_RESULT.TRUST_E_NOSIGNATURE,
      symbol: 'TRUST_E_NOSIGNATURE',
    });
  });

  it('a file that is not there is reported unreadable, not unsigned', async () => {
    expect((await verifyFileSignature(join(dir, 'missing.exe'), lib)).verdict).toBe('unreadable');
  });

  // The file-lookup thread (native/lookups) makes these calls directly rather than through koffi's worker threads.
  // The thread itself cannot start in this lane: Node 20 does not run NODE_OPTIONS' --import in worker threads, so
  // the lane's redirection of koffi to its Windows build (scripts/wine-lane/koffi-hook.mjs) would not reach it. Its
  // way of calling does, here on the test's thread.
  it('with direct calls, as the file-lookup thread makes them: the same verdicts and signer, the files closed after', async () => {
    const copy = join(dir, 'node-direct-copy.exe');
    copyFileSync(process.execPath, copy);
    const direct = await verifyFileSignature(copy, lib, callHere);
    expect(direct).toEqual(await verifyFileSignature(copy, lib));
    expect(direct).toMatchObject({ verdict: 'signed', signer: 'OpenJS Foundation' });
    expect(await verifyFileSignature(simulatorPath(), lib, callHere)).toMatchObject({
      verdict: 'unsigned',
      symbol: 'TRUST_E_NOSIGNATURE',
    });
    expect((await verifyFileSignature(join(dir, 'missing.exe'), lib, callHere)).verdict).toBe('unreadable');
    rmSync(copy);
  });
});
