import { describe, expect, it, test } from "vitest";
import { buildZip, checkZip, decodeBase64Strict } from "../../src/emulator/zip.js";

test("inspectZip accepts built zips, with or without an archive comment", () => {
  const zip = buildZip([
    { name: "a.txt", data: Buffer.from("hello") },
    { name: "b/c.txt", data: Buffer.from("world!") },
  ]);
  expect(checkZip(zip)).toEqual({ ok: true, entries: 2, uncompressedSize: 11 });
  const comment = Buffer.from("a comment");
  const withComment = Buffer.concat([zip, comment]);
  withComment.writeUInt16LE(comment.length, zip.length - 2);
  expect(checkZip(withComment)).toEqual({ ok: true, entries: 2, uncompressedSize: 11 });
});

test("inspectZip rejects non-zips, truncated zips and empty archives", () => {
  const zip = buildZip([{ name: "a.txt", data: Buffer.from("hello") }]);
  expect(checkZip(Buffer.from("hello world, this is not a zip"))).toEqual({ ok: false, reason: "not-zip" });
  expect(checkZip(zip.subarray(0, zip.length - 5))).toEqual({ ok: false, reason: "not-zip" });
  expect(checkZip(Buffer.concat([zip, Buffer.from("trailing garbage")]))).toEqual({ ok: false, reason: "not-zip" });
  expect(checkZip(buildZip([]))).toEqual({ ok: false, reason: "empty" });
});

test("buildZip is deterministic", () => {
  const files = [{ name: "x.py", data: Buffer.from("x = 1\n") }];
  expect(buildZip(files).equals(buildZip(files))).toBe(true);
});

test("no module but src/archive/crc32.ts takes crc32 from node:zlib (Node 20.0-20.14 lack it)", async () => {
  const { readdirSync, readFileSync } = await import("node:fs");
  const root = new URL("../../src/", import.meta.url);
  const offenders = (readdirSync(root, { recursive: true }) as string[])
    .filter((f) => f.endsWith(".ts") && f !== "archive/crc32.ts")
    .filter((f) => /import\s*\{[^}]*\bcrc32\b[^}]*\}\s*from\s*"node:zlib"|zlib\.crc32/.test(readFileSync(new URL(f, root), "utf8")));
  expect(offenders).toEqual([]);
});

describe("decodeBase64Strict", () => {
  // What the clouds' decoders take: padded, canonical base64 of the standard alphabet, nothing else.
  const CANONICAL = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

  it("decodes padded base64 of every length", () => {
    for (let n = 0; n < 20; n++) {
      const bytes = Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff));
      expect(decodeBase64Strict(bytes.toString("base64"))?.equals(bytes), `${n} bytes`).toBe(true);
    }
  });

  it.each([
    ["missing padding", "QUJDRA"],
    ["'=' in the middle", "QQ==QUJD"],
    ["'=' inside a group", "QU=DQUJD"],
    ["'=' starting the last group", "QUJD=UJD"],
    ["three '='", "QUJDQ==="],
    ["only '='", "===="],
    ["URL-safe '-'", "QUJ-"],
    ["URL-safe '_'", "QU_D"],
    ["a space", "QUJD QUJ"],
    ["a line feed", "QUJD\nQUJ"],
    ["a character outside the alphabet", "QUJ*"],
    ["a latin1 character", "QUJ\u00c4"],
    // Node's decoder would read these as their low byte ("C", "A"): a decode of "ABC", "ABA".
    ["a character above U+00FF whose low byte is base64", "QUJ\u0144"],
    ["a CJK character whose low byte is base64", "QUJ\u4e41"],
  ])("refuses %s", (_name, text) => {
    expect(decodeBase64Strict(text)).toBeNull();
  });

  // The decoder's own behaviour that the checks rely on (skipping foreign characters, stopping
  // at "="), pinned on whichever Node runs the suite: every one-byte text of 8 characters over
  // the alphabet's edges either is canonical and decodes to what the encoder wrote, or is refused.
  it("agrees with the canonical pattern on every 8-character text over a small alphabet", () => {
    const chars = ["A", "z", "+", "/", "=", "-", "_", " ", "*", "\u00ff"];
    const pick = (k: number, i: number) => chars[Math.floor(k / chars.length ** i) % chars.length]!;
    for (let k = 0; k < chars.length ** 4; k++) {
      for (const tail of ["QUJD", "QQ==", "QUI="]) {
        const text = pick(k, 0) + pick(k, 1) + pick(k, 2) + pick(k, 3) + tail;
        const got = decodeBase64Strict(text);
        expect(got !== null, JSON.stringify(text)).toBe(CANONICAL.test(text));
        if (got) expect(got.toString("base64")).toBe(text);
      }
    }
  });
});
