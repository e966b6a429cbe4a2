/* kernel32's WIN32_FIND_DATAW (minwinbase.h) with the SDK's names and x64 layout, checked by build/layout_asserts.h. */
#ifndef PORTCULLIS_SIM_FILES_TYPES_H
#define PORTCULLIS_SIM_FILES_TYPES_H

#include "wfp_types.h"

typedef struct WIN32_FIND_DATAW {
  DWORD dwFileAttributes;
  FILETIME ftCreationTime;
  FILETIME ftLastAccessTime;
  FILETIME ftLastWriteTime;
  DWORD nFileSizeHigh;
  DWORD nFileSizeLow;
  DWORD dwReserved0;
  DWORD dwReserved1;
  WCHAR cFileName[260];
  WCHAR cAlternateFileName[14];
} WIN32_FIND_DATAW;

/* Remembers a program's path in its real case (files.c); the scenario registers its programs. */
void sim_files_add(const char16_t *path);

#endif
