// A buffer of ours as the decoder reads it. Fields are read through typed-array views made once per buffer, not
// through Buffer's per-call read methods or BigInt reads: a DataView for fields at any offset, 16- and 32-bit
// units for text and interning keys. What an event's pointers lead to is found through an EventMemory: WFP's own
// memory (copied in, a native call per pointee) or the event ring's copies (already in the same buffer).

export class EventBytes {
  readonly u8: Uint8Array;
  readonly view: DataView;
  readonly units: Uint16Array;
  readonly words: Uint32Array;

  /** `buffer` starts at a 4-byte boundary (Buffer.alloc never carves from the shared pool, so its own do). */
  constructor(readonly buffer: Buffer) {
    if (buffer.byteOffset % 4 !== 0 || buffer.length % 4 !== 0)
      throw new RangeError('EventBytes needs a 4-byte aligned buffer of whole words');
    this.u8 = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
    this.view = new DataView(buffer.buffer, buffer.byteOffset, buffer.length);
    this.units = new Uint16Array(buffer.buffer, buffer.byteOffset, buffer.length / 2);
    this.words = new Uint32Array(buffer.buffer, buffer.byteOffset, buffer.length / 4);
  }

  /** The pointer-sized field at `at` is NULL. */
  isNull(at: number): boolean {
    return this.view.getUint32(at, true) === 0 && this.view.getUint32(at + 4, true) === 0;
  }
}

/**
 * What the pointers of an event in `b` lead to. Each method gets the offset of the pointer field in `b` and returns
 * the offset in `b` where the bytes it leads to now are (4-byte aligned), or -1 for NULL; it throws MalformedEvent
 * when they cannot be had.
 */
export interface EventMemory {
  /** `length` bytes of the detail struct. */
  detail(b: EventBytes, pointerAt: number, length: number): number;
  /** `length` bytes of a SID: asked for its 8-byte head first, then for the length the head states. */
  sid(b: EventBytes, pointerAt: number, length: number): number;
  /** The application id's text from `bytes` (even, > 0) bytes of its blob, up to its first NUL. */
  appId(b: EventBytes, pointerAt: number, bytes: number): string;
}
