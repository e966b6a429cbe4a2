// The Authenticode structures (wintrust.h, mscat.h), in the SDK's order and with its names. test/unit/layout.test.ts
// holds every size and offset against the golden file compiled from the mingw-w64 headers (native/layout).
// WINTRUST_DATA's anonymous union is named `u` here (ANONYMOUS_MEMBERS in native/wfp/base-types.ts makes it
// transparent to the layout check, as C does).
import koffi from 'koffi';
import { GUID } from '../wfp/base-types.js';

export const WINTRUST_FILE_INFO = koffi.struct('WINTRUST_FILE_INFO', {
  cbStruct: 'uint32_t',
  pcwszFilePath: 'char16_t *',
  hFile: 'void *',
  pgKnownSubject: koffi.pointer(GUID),
});

export const WINTRUST_CATALOG_INFO = koffi.struct('WINTRUST_CATALOG_INFO', {
  cbStruct: 'uint32_t',
  dwCatalogVersion: 'uint32_t',
  pcwszCatalogFilePath: 'char16_t *',
  pcwszMemberTag: 'char16_t *',
  pcwszMemberFilePath: 'char16_t *',
  hMemberFile: 'void *',
  pbCalculatedFileHash: 'uint8_t *',
  cbCalculatedFileHash: 'uint32_t',
  pcCatalogContext: 'void *',
  /** Windows 8 and later (NTDDI_WIN8): the catalog admin context the hash was computed with. */
  hCatAdmin: 'void *',
});

export const WINTRUST_DATA = koffi.struct('WINTRUST_DATA', {
  cbStruct: 'uint32_t',
  pPolicyCallbackData: 'void *',
  pSIPClientData: 'void *',
  dwUIChoice: 'uint32_t',
  fdwRevocationChecks: 'uint32_t',
  dwUnionChoice: 'uint32_t',
  u: koffi.union({
    pFile: koffi.pointer(WINTRUST_FILE_INFO),
    pCatalog: koffi.pointer(WINTRUST_CATALOG_INFO),
    pBlob: 'void *',
    pSgnr: 'void *',
    pCert: 'void *',
  }),
  dwStateAction: 'uint32_t',
  hWVTStateData: 'void *',
  pwszURLReference: 'char16_t *',
  dwProvFlags: 'uint32_t',
  dwUIContext: 'uint32_t',
});

/** One certificate of a signer's chain; native/ reads only pCert (the CERT_CONTEXT for CertGetNameStringW). */
export const CRYPT_PROVIDER_CERT = koffi.struct('CRYPT_PROVIDER_CERT', {
  cbStruct: 'uint32_t',
  pCert: 'void *',
  fCommercial: 'int32_t',
  fTrustedRoot: 'int32_t',
  fSelfSigned: 'int32_t',
  fTestCert: 'int32_t',
  dwRevokedReason: 'uint32_t',
  dwConfidence: 'uint32_t',
  dwError: 'uint32_t',
  pTrustListContext: 'void *',
  fTrustListSignerCert: 'int32_t',
  pCtlContext: 'void *',
  dwCtlError: 'uint32_t',
  fIsCyclic: 'int32_t',
  pChainElement: 'void *',
});

/** mscat.h: the catalog file that holds a file's hash (MAX_PATH wide characters). */
export const CATALOG_INFO = koffi.struct('CATALOG_INFO', {
  cbStruct: 'uint32_t',
  wszCatalogFile: koffi.array('char16_t', 260),
});

export const WINTRUST_STRUCTS = {
  WINTRUST_FILE_INFO,
  WINTRUST_CATALOG_INFO,
  WINTRUST_DATA,
  CRYPT_PROVIDER_CERT,
  CATALOG_INFO,
} as const;

// WinVerifyTrust's WINTRUST_DATA values (wintrust.h).
export const WTD_UI_NONE = 2;
export const WTD_REVOKE_NONE = 0;
export const WTD_CHOICE_FILE = 1;
export const WTD_CHOICE_CATALOG = 2;
export const WTD_STATEACTION_VERIFY = 1;
export const WTD_STATEACTION_CLOSE = 2;
/** Only the locally cached revocation data: a check never waits on the network. */
export const WTD_CACHE_ONLY_URL_RETRIEVAL = 0x1000;
export const WTD_REVOCATION_CHECK_NONE = 0x10;
export const CERT_NAME_SIMPLE_DISPLAY_TYPE = 4;

/** softpub.h WINTRUST_ACTION_GENERIC_VERIFY_V2 {00AAC56B-CD44-11d0-8CC2-00C04FC295EE}. */
export const WINTRUST_ACTION_GENERIC_VERIFY_V2 = {
  Data1: 0x00aac56b,
  Data2: 0xcd44,
  Data3: 0x11d0,
  Data4: [0x8c, 0xc2, 0x00, 0xc0, 0x4f, 0xc2, 0x95, 0xee],
};

/** mscat.h DRIVER_ACTION_VERIFY {F750E6C3-38EE-11d1-85E5-00C04FC295EE}: the policy CryptCATAdmin looks catalogs up under. */
export const DRIVER_ACTION_VERIFY = {
  Data1: 0xf750e6c3,
  Data2: 0x38ee,
  Data3: 0x11d1,
  Data4: [0x85, 0xe5, 0x00, 0xc0, 0x4f, 0xc2, 0x95, 0xee],
};

// winerror.h
export const TRUST_RESULT = {
  ERROR_SUCCESS: 0,
  TRUST_E_NOSIGNATURE: 0x800b0100,
  TRUST_E_BAD_DIGEST: 0x80096010,
  TRUST_E_SUBJECT_NOT_TRUSTED: 0x800b0004,
  TRUST_E_PROVIDER_UNKNOWN: 0x800b0001,
  TRUST_E_SUBJECT_FORM_UNKNOWN: 0x800b0003,
  TRUST_E_EXPLICIT_DISTRUST: 0x800b0111,
  CERT_E_EXPIRED: 0x800b0101,
  CERT_E_UNTRUSTEDROOT: 0x800b0109,
  CERT_E_CHAINING: 0x800b010a,
  CERT_E_REVOKED: 0x800b010c,
  CRYPT_E_SECURITY_SETTINGS: 0x80092026,
  CRYPT_E_FILE_ERROR: 0x80092003,
} as const;
