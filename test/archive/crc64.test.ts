import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { Crc64, crc64, crc64Decimal } from "../../src/archive/crc64.js";

// Bit-at-a-time reference straight from the CRC-64/XZ parameters (reflected ECMA-182 polynomial,
// init and xorout all ones), independent of the table-driven code under test.
function reference(data: Uint8Array): bigint {
  const poly = 0xc96c5795d7870f42n;
  let crc = 0xffffffffffffffffn;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let i = 0; i < 8; i++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  return crc ^ 0xffffffffffffffffn;
}

describe("crc64 (CRC-64/XZ, FC's crc64ecma)", () => {
  it("has the catalogued check value for '123456789'", () => {
    expect(crc64(Buffer.from("123456789"))).toBe(0x995dc9bbdf1939fan);
    expect(crc64Decimal(Buffer.from("123456789"))).toBe("11051210869376104954");
  });

  it("is 0 for no data", () => {
    expect(crc64Decimal(new Uint8Array(0))).toBe("0");
  });

  it("matches the bitwise reference for every length around the 8-byte stride", () => {
    for (let n = 0; n <= 40; n++) {
      const data = randomBytes(n);
      expect(crc64(data), `length ${n}`).toBe(reference(data));
    }
    const odd = randomBytes(4099);
    expect(crc64(odd)).toBe(reference(odd));
  });

  it("works on views that do not start at offset 0", () => {
    const backing = randomBytes(1000);
    const view = backing.subarray(3, 997);
    expect(crc64(view)).toBe(reference(Buffer.from(view)));
  });

  it("matches the reference at every alignment of the backing memory and across the word-read threshold", () => {
    // Long enough views are read as 32-bit words after a byte-wise run up to a 4-byte boundary.
    const backing = randomBytes(300);
    for (let offset = 0; offset < 8; offset++) {
      for (const n of [63, 64, 65, 66, 67, 71, 72, 73, 79, 80, 200, 292]) {
        const view = backing.subarray(offset, offset + n);
        expect(crc64(view), `offset ${offset} length ${n}`).toBe(reference(Buffer.from(view)));
      }
    }
  });

  it("gives the same result fed in pieces of any size", () => {
    const data = randomBytes(10_000);
    const whole = crc64(data);
    for (const piece of [1, 3, 7, 8, 13, 64, 65, 100, 4096]) {
      const inc = new Crc64();
      for (let i = 0; i < data.length; i += piece) inc.update(data.subarray(i, i + piece));
      expect(inc.value(), `pieces of ${piece}`).toBe(whole);
    }
  });

  it("writes the decimal form of the full unsigned 64-bit value (no sign, no precision loss)", () => {
    const data = Buffer.from("layerctl");
    const value = crc64(data);
    expect(crc64Decimal(data)).toBe(value.toString());
    expect(BigInt(crc64Decimal(data))).toBe(reference(data));
  });
});
