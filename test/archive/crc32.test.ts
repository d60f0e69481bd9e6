import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { crc32, crc32Combine } from "../../src/archive/crc32.js";

describe("crc32", () => {
  it("has the catalogued check value", () => {
    expect(crc32(Buffer.from("123456789"))).toBe(0xcbf43926);
  });

  it("combines the CRCs of consecutive pieces into the CRC of the whole", () => {
    const data = randomBytes(300_000);
    for (const cut of [0, 1, 4096, 123_457, 299_999, 300_000]) {
      const a = data.subarray(0, cut);
      const b = data.subarray(cut);
      expect(crc32Combine(crc32(a), crc32(b), b.length)).toBe(crc32(data));
    }
  });
});
