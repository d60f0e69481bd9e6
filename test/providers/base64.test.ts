// The zip's base64 is built once per zip and shared by every target that sends it as a string.
import { describe, expect, it, vi } from "vitest";
import { randomBytes } from "node:crypto";
import { base64Of } from "../../src/providers/base64.js";

describe("base64Of", () => {
  it("encodes a zip once, however many targets ask", () => {
    const zip = randomBytes(100_001);
    const expected = zip.toString("base64");
    const encode = vi.spyOn(Buffer.prototype, "toString");
    try {
      for (let target = 0; target < 12; target++) expect(base64Of(zip)).toBe(expected);
      expect(encode.mock.calls.filter(([encoding]) => encoding === "base64")).toHaveLength(1);
    } finally {
      encode.mockRestore();
    }
  });

  it("encodes a view of a larger buffer as the view's bytes only", () => {
    const whole = randomBytes(64);
    const view = whole.subarray(5, 37);
    expect(base64Of(view)).toBe(Buffer.from(view).toString("base64"));
  });
});
