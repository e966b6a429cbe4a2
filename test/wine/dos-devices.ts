// Windows' own drive table (kernel32 DefineDosDeviceW / QueryDosDeviceW), for the Windows ABI lane under Wine.
import koffi from 'koffi';

const DDD_RAW_TARGET_PATH = 0x1;
const DDD_REMOVE_DEFINITION = 0x2;
const CHARS = 1024;

let kernel32: {
  define: (flags: number, device: string, target: string | null) => number;
  query: (device: string, buffer: Buffer, chars: number) => number;
  lastError: () => number;
} | null = null;

function k32(): NonNullable<typeof kernel32> {
  if (process.platform !== 'win32') throw new Error('the Windows drive table exists only on Windows (or under Wine)');
  if (!kernel32) {
    const lib = koffi.load('kernel32.dll');
    kernel32 = {
      define: lib.func('__stdcall', 'DefineDosDeviceW', 'int', ['uint32_t', 'char16_t *', 'char16_t *']),
      query: lib.func('__stdcall', 'QueryDosDeviceW', 'uint32_t', ['char16_t *', 'void *', 'uint32_t']),
      lastError: lib.func('__stdcall', 'GetLastError', 'uint32_t', []),
    };
  }
  return kernel32;
}

/** The device a drive letter ("C:") points at, as the real kernel32 answers, or undefined. */
export function queryDrive(drive: string): string | undefined {
  const buffer = Buffer.alloc(CHARS * 2);
  const n = k32().query(drive, buffer, CHARS);
  return n === 0 ? undefined : buffer.toString('utf16le', 0, n * 2).split('\0')[0];
}

/** Points a drive letter at an NT device (replacing what it pointed at), or removes it when device is null. */
export function setDrive(drive: string, device: string | null): void {
  const k = k32();
  const current = queryDrive(drive);
  if (current === device) return;
  if (current !== undefined && !k.define(DDD_RAW_TARGET_PATH | DDD_REMOVE_DEFINITION, drive, current))
    throw new Error(`DefineDosDeviceW could not remove ${drive} -> ${current} (error ${k.lastError()})`);
  if (device !== null && !k.define(DDD_RAW_TARGET_PATH, drive, device))
    throw new Error(`DefineDosDeviceW could not map ${drive} -> ${device} (error ${k.lastError()})`);
}
