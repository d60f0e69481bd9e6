// CRC-32 (the zip/gzip polynomial). zlib.crc32 is native from Node 20.15; the table is for older 20.x.
import zlib from "node:zlib";

const POLY = 0xedb88320;

let table: Uint32Array | undefined;

function tableCrc32(data: Uint8Array, value: number): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = ~value;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

const native = typeof zlib.crc32 === "function" ? zlib.crc32 : undefined;

/** CRC-32 of `data`, continuing from `value` (the CRC of what came before). */
export function crc32(data: Uint8Array, value = 0): number {
  return native ? native(data, value) : tableCrc32(data, value);
}

// crc32Combine lets large files be deflated in parallel chunks: each chunk's CRC is computed on its
// own and merged in order. Same algorithm as zlib's crc32_combine (multiplication modulo the
// polynomial by x^(8*len2)).
function multModP(a: number, b: number): number {
  let m = 0x80000000;
  let p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return p >>> 0;
}

const X2N = new Uint32Array(32);
X2N[0] = 0x40000000;
for (let k = 1; k < 32; k++) X2N[k] = multModP(X2N[k - 1]!, X2N[k - 1]!);

/** x^(n * 2^k) modulo the polynomial; n may exceed 2^32 (files over 4 GiB). */
function x2nModP(n: number, k: number): number {
  let p = 0x80000000;
  while (n > 0) {
    if (n % 2 === 1) p = multModP(X2N[k & 31]!, p);
    n = Math.floor(n / 2);
    k++;
  }
  return p;
}

/** CRC of A followed by B, from crc(A), crc(B) and B's length in bytes. */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  return (multModP(x2nModP(lengthB, 3), crcA) ^ crcB) >>> 0;
}
