// Who signed a file, as Windows decides it: WinVerifyTrust with WINTRUST_ACTION_GENERIC_VERIFY_V2 on the file's own
// (embedded) Authenticode signature, then, for a file without one, on the catalog that lists the file's hash (most of
// Windows, svchost.exe included, is catalog-signed). The signer's name comes from the leaf certificate of the first
// signer (WTHelperProvDataFromStateData -> WTHelperGetProvSignerFromChain -> WTHelperGetProvCertFromChain ->
// CertGetNameStringW). Every call that reads the file is made with `call`: on koffi's worker threads (`.async`) from
// the main thread, directly on the file-lookup thread (native/native-call.ts).
// Sources: learn.microsoft.com "Example C Program: Verifying the Signature of a PE File" (WinVerifyTrust flow and
// result codes) and "CryptCATAdminAcquireContext2" / "CryptCATAdminCalcHashFromFileHandle2" (catalog look-up);
// Sysinternals sigcheck and System Informer's verify.c use the same sequence.
import koffi from 'koffi';
import { callOffThread, type NativeCall } from '../native-call.js';
import { loadTrust, type TrustLibrary } from './functions.js';
import {
  CERT_NAME_SIMPLE_DISPLAY_TYPE,
  DRIVER_ACTION_VERIFY,
  TRUST_RESULT,
  WINTRUST_ACTION_GENERIC_VERIFY_V2,
  WTD_CACHE_ONLY_URL_RETRIEVAL,
  WTD_CHOICE_CATALOG,
  WTD_CHOICE_FILE,
  WTD_REVOKE_NONE,
  WTD_STATEACTION_CLOSE,
  WTD_STATEACTION_VERIFY,
  WTD_UI_NONE,
} from './types.js';

/** signed: the signature verifies and chains to a trusted root; bad-digest: the file changed after it was signed. */
export type SignatureVerdict = 'signed' | 'unsigned' | 'bad-digest' | 'untrusted' | 'unreadable';

export interface FileSignature {
  readonly verdict: SignatureVerdict;
  /** WinVerifyTrust's result (an HRESULT, unsigned), 0 when signed. */
  readonly code: number;
  /** Its winerror.h name: TRUST_E_NOSIGNATURE, TRUST_E_BAD_DIGEST, ... */
  readonly symbol: string;
  /** The signer's certificate name ("Google LLC"), when Windows could read one. */
  readonly signer?: string;
  /** Where the signature was found. */
  readonly source?: 'embedded' | 'catalog';
}

const SYMBOLS = new Map<number, string>(Object.entries(TRUST_RESULT).map(([k, v]) => [v, k]));
export function trustSymbol(code: number): string {
  const c = code >>> 0;
  if (c === 2 || c === 0x80070002) return 'ERROR_FILE_NOT_FOUND';
  if (c === 3 || c === 0x80070003) return 'ERROR_PATH_NOT_FOUND';
  if (c === 5 || c === 0x80070005) return 'ERROR_ACCESS_DENIED';
  return SYMBOLS.get(c) ?? `0x${c.toString(16).toUpperCase().padStart(8, '0')}`;
}

function verdictOf(code: number): SignatureVerdict {
  switch (code >>> 0) {
    case TRUST_RESULT.ERROR_SUCCESS:
      return 'signed';
    case TRUST_RESULT.TRUST_E_NOSIGNATURE:
    case TRUST_RESULT.TRUST_E_SUBJECT_FORM_UNKNOWN:
    case TRUST_RESULT.TRUST_E_PROVIDER_UNKNOWN:
      return 'unsigned';
    case TRUST_RESULT.TRUST_E_BAD_DIGEST:
      return 'bad-digest';
    case TRUST_RESULT.CRYPT_E_FILE_ERROR:
    case 2:
    case 3:
    case 5:
    case 0x80070002:
    case 0x80070003:
    case 0x80070005:
      return 'unreadable';
    default:
      return 'untrusted';
  }
}

const isNull = (p: unknown): boolean => p === null || p === undefined || p === 0n || p === 0;

const GENERIC_READ = 0x80000000;
const FILE_SHARE_ALL = 0x1 | 0x2 | 0x4;
const OPEN_EXISTING = 3;
const INVALID_HANDLE_VALUE = 0xffffffffffffffffn;

/**
 * Native memory that outlives one call: WinVerifyTrust's state keeps a pointer to the caller's WINTRUST_DATA (and,
 * through it, to the WINTRUST_FILE_INFO where it stores the file handle it opened) until WTD_STATEACTION_CLOSE, so
 * the structures must stay at one address from VERIFY to CLOSE. Memory koffi marshals for a single call does not:
 * closing with a copy leaves the file open (seen under Wine: the file cannot be deleted afterwards).
 */
class NativeBlock {
  private readonly owned: unknown[] = [];

  struct(type: string, value: object): unknown {
    const ptr = koffi.alloc(type, 1);
    this.owned.push(ptr);
    koffi.encode(ptr, type, value);
    return ptr;
  }

  string(text: string): unknown {
    const ptr = koffi.alloc('char16_t', text.length + 1);
    this.owned.push(ptr);
    koffi.encode(ptr, koffi.array('char16_t', text.length + 1), text);
    return ptr;
  }

  bytes(data: Buffer): unknown {
    const ptr = koffi.alloc('uint8_t', Math.max(1, data.length));
    this.owned.push(ptr);
    koffi.encode(ptr, koffi.array('uint8_t', data.length), [...data]);
    return ptr;
  }

  free(): void {
    for (const ptr of this.owned.splice(0)) koffi.free(ptr as never);
  }
}

const STATE_ACTION_OFFSET = koffi.offsetof('WINTRUST_DATA', 'dwStateAction');
const STATE_DATA_OFFSET = koffi.offsetof('WINTRUST_DATA', 'hWVTStateData');

function trustData(block: NativeBlock, choice: number, member: unknown): unknown {
  return block.struct('WINTRUST_DATA', {
    cbStruct: koffi.sizeof('WINTRUST_DATA'),
    pPolicyCallbackData: null,
    pSIPClientData: null,
    dwUIChoice: WTD_UI_NONE,
    // No revocation check and no network: a firewall must not wait on (or be the one blocking) a CRL download.
    fdwRevocationChecks: WTD_REVOKE_NONE,
    dwUnionChoice: choice,
    u: choice === WTD_CHOICE_FILE ? { pFile: member } : { pCatalog: member },
    dwStateAction: WTD_STATEACTION_VERIFY,
    hWVTStateData: null,
    pwszURLReference: null,
    dwProvFlags: WTD_CACHE_ONLY_URL_RETRIEVAL,
    dwUIContext: 0,
  });
}

/** Runs one WinVerifyTrust on `data` (in a NativeBlock), reads the signer while the state is open, then closes it. */
async function verifyOnce(
  lib: TrustLibrary,
  data: unknown,
  call: NativeCall,
): Promise<{ code: number; signer: string | undefined }> {
  const code = (await call<number>(lib.fn.WinVerifyTrust, null, WINTRUST_ACTION_GENERIC_VERIFY_V2, data)) >>> 0;
  const state: unknown = koffi.decode(data, STATE_DATA_OFFSET, 'void *');
  if (isNull(state)) return { code, signer: undefined };
  try {
    return { code, signer: signerName(lib, state) };
  } finally {
    // The same WINTRUST_DATA, now with CLOSE: Windows releases the state and closes the file it opened.
    koffi.encode(data, STATE_ACTION_OFFSET, 'uint32_t', WTD_STATEACTION_CLOSE);
    await call<number>(lib.fn.WinVerifyTrust, null, WINTRUST_ACTION_GENERIC_VERIFY_V2, data);
  }
}

function signerName(lib: TrustLibrary, state: unknown): string | undefined {
  const provData: unknown = lib.fn.WTHelperProvDataFromStateData(state);
  if (isNull(provData)) return undefined;
  const sgnr: unknown = lib.fn.WTHelperGetProvSignerFromChain(provData, 0, 0, 0);
  if (isNull(sgnr)) return undefined;
  const certPtr: unknown = lib.fn.WTHelperGetProvCertFromChain(sgnr, 0);
  if (isNull(certPtr)) return undefined;
  const cert = koffi.decode(certPtr, 'CRYPT_PROVIDER_CERT') as { pCert: unknown };
  if (isNull(cert.pCert)) return undefined;
  const chars = 256;
  const buffer = Buffer.alloc(chars * 2);
  const n = lib.fn.CertGetNameStringW(cert.pCert, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, null, buffer, chars) as number;
  const name = n > 1 ? buffer.toString('utf16le', 0, (n - 1) * 2).replace(/\0+$/, '') : '';
  return name || undefined;
}

/**
 * The catalog (and member tag) that lists this file's hash: SHA-256 then SHA-1 through the "2" functions (Windows 8
 * and later), SHA-1 through the original ones where those are missing (Windows 7, Wine 8).
 */
async function verifyByCatalog(
  lib: TrustLibrary,
  path: string,
  call: NativeCall,
): Promise<{ code: number; signer?: string } | undefined> {
  const file: unknown = await call(
    lib.fn.CreateFileW,
    path,
    GENERIC_READ,
    FILE_SHARE_ALL,
    null,
    OPEN_EXISTING,
    0,
    null,
  );
  if (isNull(file) || koffi.address(file as never) === INVALID_HANDLE_VALUE) return undefined;
  const v2 =
    lib.exported.has('CryptCATAdminAcquireContext2') && lib.exported.has('CryptCATAdminCalcHashFromFileHandle2');
  try {
    for (const algorithm of v2 ? ['SHA256', 'SHA1'] : [undefined]) {
      const admin: unknown[] = [null];
      const acquired = algorithm
        ? lib.fn.CryptCATAdminAcquireContext2(admin, DRIVER_ACTION_VERIFY, algorithm, null, 0)
        : lib.fn.CryptCATAdminAcquireContext(admin, DRIVER_ACTION_VERIFY, 0);
      if (!acquired) continue;
      try {
        const hash = Buffer.alloc(64);
        const size = [hash.length];
        const hashed = algorithm
          ? await call<number>(lib.fn.CryptCATAdminCalcHashFromFileHandle2, admin[0], file, size, hash, 0)
          : await call<number>(lib.fn.CryptCATAdminCalcHashFromFileHandle, file, size, hash, 0);
        if (!hashed) continue;
        const found = await verifyListed(lib, path, file, admin[0], hash.subarray(0, size[0]), call);
        if (found) return found;
      } finally {
        lib.fn.CryptCATAdminReleaseContext(admin[0], 0);
      }
    }
    return undefined;
  } finally {
    lib.fn.CloseHandle(file);
  }
}

async function verifyListed(
  lib: TrustLibrary,
  path: string,
  file: unknown,
  admin: unknown,
  digest: Buffer,
  call: NativeCall,
): Promise<{ code: number; signer?: string } | undefined> {
  const catInfo: unknown = await call(lib.fn.CryptCATAdminEnumCatalogFromHash, admin, digest, digest.length, 0, null);
  if (isNull(catInfo)) return undefined;
  try {
    const info = {} as { wszCatalogFile?: string };
    if (!lib.fn.CryptCATCatalogInfoFromContext(catInfo, info, 0) || !info.wszCatalogFile) return undefined;
    const block = new NativeBlock();
    try {
      const member = block.struct('WINTRUST_CATALOG_INFO', {
        cbStruct: koffi.sizeof('WINTRUST_CATALOG_INFO'),
        dwCatalogVersion: 0,
        pcwszCatalogFilePath: block.string(info.wszCatalogFile),
        // The catalog names its members by the hash in upper-case hex.
        pcwszMemberTag: block.string(digest.toString('hex').toUpperCase()),
        pcwszMemberFilePath: block.string(path),
        hMemberFile: file,
        pbCalculatedFileHash: block.bytes(digest),
        cbCalculatedFileHash: digest.length,
        pcCatalogContext: null,
        hCatAdmin: admin,
      });
      return await verifyOnce(lib, trustData(block, WTD_CHOICE_CATALOG, member), call);
    } finally {
      block.free();
    }
  } finally {
    lib.fn.CryptCATAdminReleaseCatalogContext(admin, catInfo, 0);
  }
}

/** Checks one file's Authenticode signature, embedded or by catalog. Never throws for a file it cannot read. */
export async function verifyFileSignature(
  path: string,
  lib: TrustLibrary = loadTrust(),
  call: NativeCall = callOffThread,
): Promise<FileSignature> {
  const block = new NativeBlock();
  let embedded: { code: number; signer: string | undefined };
  try {
    const fileInfo = block.struct('WINTRUST_FILE_INFO', {
      cbStruct: koffi.sizeof('WINTRUST_FILE_INFO'),
      pcwszFilePath: block.string(path),
      hFile: null,
      pgKnownSubject: null,
    });
    embedded = await verifyOnce(lib, trustData(block, WTD_CHOICE_FILE, fileInfo), call);
  } finally {
    block.free();
  }
  if (verdictOf(embedded.code) === 'unsigned') {
    const catalog = await verifyByCatalog(lib, path, call);
    if (catalog) return result(catalog.code, catalog.signer, 'catalog');
  }
  return result(embedded.code, embedded.signer, 'embedded');
}

function result(code: number, signer: string | undefined, source: 'embedded' | 'catalog'): FileSignature {
  const verdict = verdictOf(code);
  return {
    verdict,
    code: code >>> 0,
    symbol: trustSymbol(code),
    ...(signer ? { signer } : {}),
    ...(verdict === 'unsigned' || verdict === 'unreadable' ? {} : { source }),
  };
}
