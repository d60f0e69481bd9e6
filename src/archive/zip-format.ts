// Byte layouts of the zip records we write (APPNOTE 6.3). Pure functions: both the main thread and
// the deflate workers build headers with them.

export const METHOD_STORE = 0;
export const METHOD_DEFLATE = 8;

/** Sizes and offsets at or above this need zip64 fields. */
export const MAX_32 = 0xffffffff;
/** Entry counts at or above this need the zip64 end record (0xffff itself means "see zip64"). */
export const MAX_16 = 0xffff;

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_ZIP64_END = 0x06064b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_END = 0x06054b50;

// "Made by" Unix (3) so extractors honour the Unix mode in the high 16 bits of the external
// attributes; 45 = spec 4.5 (zip64).
const VERSION_MADE_BY = (3 << 8) | 45;
const VERSION_DEFAULT = 20;
const VERSION_ZIP64 = 45;
const FLAG_UTF8 = 1 << 11;
const MSDOS_DIRECTORY = 0x10;
const ZIP64_EXTRA_ID = 0x0001;

export const LOCAL_HEADER_SIZE = 30;
const CENTRAL_HEADER_SIZE = 46;

export const MODE_DIR = 0o40755;
export const MODE_FILE = 0o100644;
export const MODE_EXEC = 0o100755;
export const MODE_LINK = 0o120777;

export interface LocalFields {
  name: Buffer;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** DOS time in the low 16 bits, DOS date in the high 16 bits. */
  dosDateTime: number;
}

export interface CentralFields extends LocalFields {
  mode: number;
  offset: number;
}

function flagsFor(name: Buffer): number {
  for (let i = 0; i < name.length; i++) if (name[i]! >= 0x80) return FLAG_UTF8;
  return 0;
}

/** Local headers carry zip64 sizes only when the entry's size needs them (known before writing). */
export function localNeedsZip64(size: number): boolean {
  return size >= MAX_32;
}

export function localHeaderLength(nameLength: number, size: number): number {
  return LOCAL_HEADER_SIZE + nameLength + (localNeedsZip64(size) ? 20 : 0);
}

/** Writes the local header into `out` at `at`; returns the offset just past it. */
export function writeLocalHeader(out: Buffer, at: number, e: LocalFields): number {
  const zip64 = localNeedsZip64(e.size);
  out.writeUInt32LE(SIG_LOCAL, at);
  out.writeUInt16LE(zip64 ? VERSION_ZIP64 : VERSION_DEFAULT, at + 4);
  out.writeUInt16LE(flagsFor(e.name), at + 6);
  out.writeUInt16LE(e.method, at + 8);
  out.writeUInt32LE(e.dosDateTime >>> 0, at + 10);
  out.writeUInt32LE(e.crc >>> 0, at + 14);
  out.writeUInt32LE(zip64 ? MAX_32 : e.compressedSize, at + 18);
  out.writeUInt32LE(zip64 ? MAX_32 : e.size, at + 22);
  out.writeUInt16LE(e.name.length, at + 26);
  out.writeUInt16LE(zip64 ? 20 : 0, at + 28);
  let p = at + LOCAL_HEADER_SIZE + e.name.copy(out, at + LOCAL_HEADER_SIZE);
  if (zip64) {
    out.writeUInt16LE(ZIP64_EXTRA_ID, p);
    out.writeUInt16LE(16, p + 2);
    out.writeBigUInt64LE(BigInt(e.size), p + 4);
    out.writeBigUInt64LE(BigInt(e.compressedSize), p + 12);
    p += 20;
  }
  return p;
}

export function localHeader(e: LocalFields): Buffer {
  const out = Buffer.alloc(localHeaderLength(e.name.length, e.size));
  writeLocalHeader(out, 0, e);
  return out;
}

interface Overflow {
  sizes: boolean;
  offset: boolean;
  /** Length of the zip64 extra field's data, 0 when none is needed. */
  dataLength: number;
}

function centralOverflow(e: CentralFields): Overflow {
  // A local zip64 header implies zip64 sizes here too, so both records agree.
  const sizes = localNeedsZip64(e.size) || e.compressedSize >= MAX_32;
  const offset = e.offset >= MAX_32;
  return { sizes, offset, dataLength: (sizes ? 16 : 0) + (offset ? 8 : 0) };
}

export function centralHeaderLength(e: CentralFields): number {
  const { dataLength } = centralOverflow(e);
  return CENTRAL_HEADER_SIZE + e.name.length + (dataLength ? 4 + dataLength : 0);
}

/** Writes the central directory header into `out` at `at`; returns the offset just past it. */
export function writeCentralHeader(out: Buffer, at: number, e: CentralFields): number {
  const o = centralOverflow(e);
  const isDir = (e.mode & 0o170000) === 0o040000;
  out.writeUInt32LE(SIG_CENTRAL, at);
  out.writeUInt16LE(VERSION_MADE_BY, at + 4);
  out.writeUInt16LE(o.dataLength ? VERSION_ZIP64 : VERSION_DEFAULT, at + 6);
  out.writeUInt16LE(flagsFor(e.name), at + 8);
  out.writeUInt16LE(e.method, at + 10);
  out.writeUInt32LE(e.dosDateTime >>> 0, at + 12);
  out.writeUInt32LE(e.crc >>> 0, at + 16);
  out.writeUInt32LE(o.sizes ? MAX_32 : e.compressedSize, at + 20);
  out.writeUInt32LE(o.sizes ? MAX_32 : e.size, at + 24);
  out.writeUInt16LE(e.name.length, at + 28);
  out.writeUInt16LE(o.dataLength ? 4 + o.dataLength : 0, at + 30);
  out.writeUInt16LE(0, at + 32); // comment length
  out.writeUInt16LE(0, at + 34); // disk number
  out.writeUInt16LE(0, at + 36); // internal attributes
  out.writeUInt32LE(((e.mode << 16) | (isDir ? MSDOS_DIRECTORY : 0)) >>> 0, at + 38);
  out.writeUInt32LE(o.offset ? MAX_32 : e.offset, at + 42);
  let p = at + CENTRAL_HEADER_SIZE + e.name.copy(out, at + CENTRAL_HEADER_SIZE);
  if (o.dataLength) {
    out.writeUInt16LE(ZIP64_EXTRA_ID, p);
    out.writeUInt16LE(o.dataLength, p + 2);
    p += 4;
    // Order fixed by the spec: uncompressed size, compressed size, local header offset.
    if (o.sizes) {
      p = out.writeBigUInt64LE(BigInt(e.size), p);
      p = out.writeBigUInt64LE(BigInt(e.compressedSize), p);
    }
    if (o.offset) p = out.writeBigUInt64LE(BigInt(e.offset), p);
  }
  return p;
}

/** End of central directory, preceded by the zip64 end record and locator when counts or offsets overflow. */
export function endRecords(entryCount: number, cdOffset: number, cdSize: number): Buffer {
  const zip64 = entryCount >= MAX_16 || cdOffset >= MAX_32 || cdSize >= MAX_32;
  const out = Buffer.alloc((zip64 ? 56 + 20 : 0) + 22);
  let p = 0;
  if (zip64) {
    const zip64EndOffset = cdOffset + cdSize;
    out.writeUInt32LE(SIG_ZIP64_END, 0);
    out.writeBigUInt64LE(44n, 4); // size of the rest of this record
    out.writeUInt16LE(VERSION_MADE_BY, 12);
    out.writeUInt16LE(VERSION_ZIP64, 14);
    out.writeUInt32LE(0, 16); // this disk
    out.writeUInt32LE(0, 20); // disk with the central directory
    out.writeBigUInt64LE(BigInt(entryCount), 24);
    out.writeBigUInt64LE(BigInt(entryCount), 32);
    out.writeBigUInt64LE(BigInt(cdSize), 40);
    out.writeBigUInt64LE(BigInt(cdOffset), 48);
    out.writeUInt32LE(SIG_ZIP64_LOCATOR, 56);
    out.writeUInt32LE(0, 60);
    out.writeBigUInt64LE(BigInt(zip64EndOffset), 64);
    out.writeUInt32LE(1, 72); // total disks
    p = 76;
  }
  const count = Math.min(entryCount, MAX_16);
  out.writeUInt32LE(SIG_END, p);
  out.writeUInt16LE(0, p + 4);
  out.writeUInt16LE(0, p + 6);
  out.writeUInt16LE(count, p + 8);
  out.writeUInt16LE(count, p + 10);
  out.writeUInt32LE(Math.min(cdSize, MAX_32), p + 12);
  out.writeUInt32LE(Math.min(cdOffset, MAX_32), p + 16);
  out.writeUInt16LE(0, p + 20); // comment length
  return out;
}
