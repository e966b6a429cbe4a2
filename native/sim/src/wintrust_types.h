/*
 * The wintrust.h / mscat.h structures the simulator's WinVerifyTrust and CryptCATAdmin* read and write, with the
 * SDK's names and the x64 Windows layout (build/layout_asserts.h checks them against native/layout/golden.json).
 */
#ifndef PORTCULLIS_SIM_WINTRUST_TYPES_H
#define PORTCULLIS_SIM_WINTRUST_TYPES_H

#include "wfp_types.h"

typedef struct WINTRUST_FILE_INFO {
  DWORD cbStruct;
  const WCHAR *pcwszFilePath;
  HANDLE hFile;
  GUID *pgKnownSubject;
} WINTRUST_FILE_INFO;

typedef struct WINTRUST_CATALOG_INFO {
  DWORD cbStruct;
  DWORD dwCatalogVersion;
  const WCHAR *pcwszCatalogFilePath;
  const WCHAR *pcwszMemberTag;
  const WCHAR *pcwszMemberFilePath;
  HANDLE hMemberFile;
  uint8_t *pbCalculatedFileHash;
  DWORD cbCalculatedFileHash;
  void *pcCatalogContext;
  HANDLE hCatAdmin;
} WINTRUST_CATALOG_INFO;

typedef struct WINTRUST_DATA {
  DWORD cbStruct;
  void *pPolicyCallbackData;
  void *pSIPClientData;
  DWORD dwUIChoice;
  DWORD fdwRevocationChecks;
  DWORD dwUnionChoice;
  union {
    WINTRUST_FILE_INFO *pFile;
    WINTRUST_CATALOG_INFO *pCatalog;
    void *pBlob;
    void *pSgnr;
    void *pCert;
  };
  DWORD dwStateAction;
  HANDLE hWVTStateData;
  WCHAR *pwszURLReference;
  DWORD dwProvFlags;
  DWORD dwUIContext;
} WINTRUST_DATA;

typedef struct CRYPT_PROVIDER_CERT {
  DWORD cbStruct;
  void *pCert;
  BOOL fCommercial;
  BOOL fTrustedRoot;
  BOOL fSelfSigned;
  BOOL fTestCert;
  DWORD dwRevokedReason;
  DWORD dwConfidence;
  DWORD dwError;
  void *pTrustListContext;
  BOOL fTrustListSignerCert;
  void *pCtlContext;
  DWORD dwCtlError;
  BOOL fIsCyclic;
  void *pChainElement;
} CRYPT_PROVIDER_CERT;

typedef struct CATALOG_INFO {
  DWORD cbStruct;
  WCHAR wszCatalogFile[260];
} CATALOG_INFO;

#endif
