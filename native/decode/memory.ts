// Copying foreign memory into a JS buffer with one native call. Decoding runs once per WFP event, so its native
// calls are what it costs: koffi.decode of one field is a call (~0.1 µs), and koffi.decode of a byte array also
// builds a fresh typed array, an off-heap allocation each time (~0.5-1 µs). The C runtime's memcpy into a buffer
// allocated once is one call for a whole struct; its fields are then read in JS.
import koffi from 'koffi';

type Copy = (into: Buffer, address: unknown, length: number) => void;

let copy: Copy | undefined;

function bindCopy(): Copy {
  try {
    const [path, name] =
      process.platform === 'win32'
        ? ['kernel32.dll', 'RtlMoveMemory']
        : process.platform === 'darwin'
          ? ['libSystem.B.dylib', 'memcpy']
          : ['libc.so.6', 'memcpy'];
    // The return value (memcpy's destination) is not wanted: declared void, so koffi builds nothing for it.
    const fn = koffi.load(path).func(name, 'void', ['void *', 'void *', 'size_t']);
    return (into, address, length) => fn(into, address, length);
  } catch {
    // No C runtime found under the usual name: the same bytes through koffi, one typed array per call.
    return (into, address, length) => into.set(koffi.decode(address, 0, 'uint8_t', length) as Uint8Array);
  }
}

/** Copies `length` bytes at `address` to the start of `into` (which must hold them). */
export function copyInto(into: Buffer, address: unknown, length: number): void {
  (copy ??= bindCopy())(into, address, length);
}
