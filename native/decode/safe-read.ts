// Reading memory that may not be there. WFP's blobs carry their own size, which has not always been right; the
// bytes inside the page the data starts in are always readable (protection is per page), but the next page may
// not be mapped at all. Before entering another page we ask the kernel to copy the bytes for us: it reports an
// unreadable page as an error instead of faulting (ReadProcessMemory on Windows, process_vm_readv on Linux).
import koffi from 'koffi';

type Probe = (address: bigint, length: number) => Uint8Array | undefined;

let probe: Probe | null | undefined;

function createProbe(): Probe | null {
  try {
    if (process.platform === 'win32') {
      const kernel32 = koffi.load('kernel32.dll');
      const readProcessMemory = kernel32.func('__stdcall', 'ReadProcessMemory', 'int', [
        'void *',
        'void *',
        'void *',
        'size_t',
        'void *',
      ]);
      const CURRENT_PROCESS = 0xffffffffffffffffn;
      return (address, length) => {
        const out = Buffer.alloc(length);
        return readProcessMemory(CURRENT_PROCESS, address, out, length, null) ? new Uint8Array(out) : undefined;
      };
    }
    if (process.platform === 'linux') {
      const libc = koffi.load('libc.so.6');
      const iovec = koffi.struct({ base: 'void *', len: 'size_t' });
      const readv = libc.func('process_vm_readv', 'intptr_t', [
        'int',
        koffi.pointer(iovec),
        'ulong',
        koffi.pointer(iovec),
        'ulong',
        'ulong',
      ]);
      return (address, length) => {
        const out = Buffer.alloc(length);
        const n = Number(readv(process.pid, { base: out, len: length }, 1, { base: address, len: length }, 1, 0));
        return n === length ? new Uint8Array(out) : undefined;
      };
    }
  } catch {
    // no probe on this platform: fall through
  }
  return null;
}

/**
 * Copies `length` bytes at `address` if all of them are readable, else undefined. Where the platform offers no
 * safe copy, reads directly (the caller only asks for bytes its size field promises).
 */
export function readIfMapped(address: bigint, length: number): Uint8Array | undefined {
  if (probe === undefined) probe = createProbe();
  if (probe === null) return koffi.decode(address, 0, 'uint8_t', length) as Uint8Array;
  return probe(address, length);
}
