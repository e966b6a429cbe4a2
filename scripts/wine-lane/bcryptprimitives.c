/* ProcessPrng for Wine releases that lack bcryptprimitives.dll (Debian's Wine 8): Rust programs built with
   Rust 1.78 or later import it, among them the win32 binding of rolldown that vitest needs. Built by
   scripts/wine-lane/runtime.mjs with mingw-w64 and placed next to that binding. */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
  while (len) {
    ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
    if (BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0) return FALSE;
    data += chunk;
    len -= chunk;
  }
  return TRUE;
}
