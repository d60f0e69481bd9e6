import { expect, test } from "vitest";
import { buildZip, checkZip } from "../../src/emulator/zip.js";

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
