// CRC-64/XZ: the checksum Alibaba Cloud FC and OSS call "crc64ecma" (codeChecksum, code.checksum).
// ECMA-182 polynomial, reflected, initial value and final XOR all ones; check("123456789") is
// 0x995DC9BBDF1939FA. Not the unreflected CRC-64/ECMA-182 that some libraries ship under that name.
//
// JavaScript has no fast 64-bit integers, so the register is kept as two 32-bit halves and the
// data is processed eight bytes at a time with eight lookup tables ("slicing-by-8"): layer zips
// of 50 MB and more are checksummed on both sides of every upload. Where the bytes allow it,
// the eight are read as two 32-bit words (a third less time than eight byte reads).

/** The reflected ECMA-182 polynomial 0xC96C5795D7870F42, as two halves. */
const POLY_HI = 0xc96c5795;
const POLY_LO = 0xd7870f42;

const TABLE_LO = new Uint32Array(8 * 256);
const TABLE_HI = new Uint32Array(8 * 256);

/**
 * Words read through a Uint32Array are in the machine's byte order: the word reads assume
 * little-endian (x64, arm64); a big-endian machine (s390x) goes a byte at a time.
 */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

(function buildTables(): void {
  for (let n = 0; n < 256; n++) {
    let lo = n;
    let hi = 0;
    for (let bit = 0; bit < 8; bit++) {
      const carry = lo & 1;
      lo = (lo >>> 1) | (hi << 31);
      hi = hi >>> 1;
      if (carry) {
        lo ^= POLY_LO;
        hi ^= POLY_HI;
      }
    }
    TABLE_LO[n] = lo >>> 0;
    TABLE_HI[n] = hi >>> 0;
  }
  // Table k advances a byte through k further zero bytes.
  for (let k = 1; k < 8; k++) {
    for (let n = 0; n < 256; n++) {
      const prevLo = TABLE_LO[(k - 1) * 256 + n]!;
      const prevHi = TABLE_HI[(k - 1) * 256 + n]!;
      const idx = prevLo & 0xff;
      TABLE_LO[k * 256 + n] = (((prevLo >>> 8) | (prevHi << 24)) ^ TABLE_LO[idx]!) >>> 0;
      TABLE_HI[k * 256 + n] = ((prevHi >>> 8) ^ TABLE_HI[idx]!) >>> 0;
    }
  }
})();

/** Incremental CRC-64/XZ, for data that arrives in pieces. */
export class Crc64 {
  // The register before the final XOR (starts at all ones).
  private lo = 0xffffffff;
  private hi = 0xffffffff;

  update(data: Uint8Array): this {
    let lo = this.lo;
    let hi = this.hi;
    const len = data.length;
    const T = TABLE_LO;
    const H = TABLE_HI;
    let i = 0;
    // Byte at a time up to a 4-byte boundary of the backing memory (a Uint32Array view needs an
    // aligned offset), then eight bytes at a time as two words, then the last few bytes. Short
    // pieces are not worth a view.
    const head = LITTLE_ENDIAN && len >= 64 ? (4 - (data.byteOffset % 4)) % 4 : len;
    for (; i < head; i++) {
      const idx = (lo ^ data[i]!) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ T[idx]!;
      hi = (hi >>> 8) ^ H[idx]!;
    }
    if (i < len) {
      const words = new Uint32Array(data.buffer, data.byteOffset + i, ((len - i) >>> 3) << 1);
      for (let w = 0; w < words.length; w += 2) {
        const l = lo ^ words[w]!;
        const h = hi ^ words[w + 1]!;
        const a = 1792 + (l & 0xff);
        const b = 1536 + ((l >>> 8) & 0xff);
        const c = 1280 + ((l >>> 16) & 0xff);
        const d = 1024 + (l >>> 24);
        const e = 768 + (h & 0xff);
        const f = 512 + ((h >>> 8) & 0xff);
        const g = 256 + ((h >>> 16) & 0xff);
        const k = h >>> 24;
        lo = T[a]! ^ T[b]! ^ T[c]! ^ T[d]! ^ T[e]! ^ T[f]! ^ T[g]! ^ T[k]!;
        hi = H[a]! ^ H[b]! ^ H[c]! ^ H[d]! ^ H[e]! ^ H[f]! ^ H[g]! ^ H[k]!;
      }
      i += words.length * 4;
    }
    for (; i < len; i++) {
      const idx = (lo ^ data[i]!) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ T[idx]!;
      hi = (hi >>> 8) ^ H[idx]!;
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
    return this;
  }

  /** The checksum of everything so far, as an unsigned 64-bit integer. */
  value(): bigint {
    const lo = (this.lo ^ 0xffffffff) >>> 0;
    const hi = (this.hi ^ 0xffffffff) >>> 0;
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** Decimal string, the form FC sends and expects (e.g. "11051210869376104954"). */
  decimal(): string {
    return this.value().toString(10);
  }
}

/** CRC-64/XZ of `data` as an unsigned 64-bit integer. */
export function crc64(data: Uint8Array): bigint {
  return new Crc64().update(data).value();
}

/** CRC-64/XZ of `data` as a decimal string, as Alibaba Cloud FC writes codeChecksum. */
export function crc64Decimal(data: Uint8Array): string {
  return new Crc64().update(data).decimal();
}
