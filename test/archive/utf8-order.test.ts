import { describe, expect, it } from "vitest";
import { compareUtf8 } from "../../src/archive/utf8-order.js";

describe("compareUtf8", () => {
  it("orders strings exactly like their UTF-8 bytes", () => {
    // ASCII, Latin, the high BMP (U+E000-U+FFFF) and astral characters, where UTF-16 order differs.
    const alphabet = ["a", "B", "/", "-", "\u00e9", "\u65e5", "\ue000", "\uff21", "\ufffd", "\u{1f600}", "\u{10000}"];
    let seed = 7;
    const rand = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const words = Array.from({ length: 2000 }, () => Array.from({ length: 1 + Math.floor(rand() * 4) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join(""));
    const byBytes = [...words].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...words].sort(compareUtf8)).toEqual(byBytes);
    expect(compareUtf8("\uffff", "\u{10000}")).toBeLessThan(0); // plain `<` gets this one wrong
  });
});
