// Where header readers get their bytes: a buffer already in memory (a small file the deflater has
// read whole, or an inflated zip entry), the file itself (a large one, read at a few offsets), or
// what a streamed zip entry left behind (its first and last bytes). Readers ask for small ranges.
import fs from "node:fs";

export interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes at `offset` (fewer past the end); throws Unavailable where a capture holds no such bytes. */
  read(offset: number, length: number): Uint8Array;
}

/** The bytes asked for are not in a partial capture: the caller may read the whole entry and try again. */
export class Unavailable extends Error {
  constructor(
    readonly offset: number,
    readonly length: number,
  ) {
    super(`bytes ${offset}+${length} were not captured`);
  }
}

export function memorySource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: (offset, length) => bytes.subarray(Math.max(0, offset), Math.max(0, Math.min(bytes.length, offset + length))),
  };
}

/** Reads at offsets of an open file; the caller closes `fd`. */
export function fileSource(fd: number, size: number): ByteSource {
  return {
    size,
    read(offset, length) {
      const n = Math.max(0, Math.min(length, size - offset));
      const buf = Buffer.allocUnsafe(n);
      let got = 0;
      while (got < n) {
        const r = fs.readSync(fd, buf, got, n - got, offset + got);
        if (r === 0) break;
        got += r;
      }
      return buf.subarray(0, got);
    },
  };
}

/** Ranges of a larger whole (a zip entry streamed past): reads inside them succeed, others throw Unavailable. */
export function capturedSource(size: number, ranges: Array<{ offset: number; bytes: Uint8Array }>): ByteSource {
  return {
    size,
    read(offset, length) {
      const end = Math.min(size, offset + length);
      if (end <= offset) return new Uint8Array(0);
      for (const r of ranges) {
        if (offset >= r.offset && end <= r.offset + r.bytes.length) return r.bytes.subarray(offset - r.offset, end - r.offset);
      }
      throw new Unavailable(offset, length);
    },
  };
}
