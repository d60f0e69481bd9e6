// The zip's base64 string (what the Tencent SDK takes for ZipFile) is built once per zip and shared
// by every target that sends it, from the zip's bytes or from its file.
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { base64Text, peekBase64 } from "../../src/providers/base64.js";
import type { LayerArchive } from "../../src/providers/types.js";

describe("base64Text", () => {
  it("encodes a zip once, however many targets ask", async () => {
    const zip = randomBytes(100_001);
    const archive: LayerArchive = { bytes: zip, sha256: "", size: zip.length };
    const expected = zip.toString("base64");
    const encode = vi.spyOn(Buffer.prototype, "toString");
    try {
      const texts = await Promise.all(Array.from({ length: 12 }, () => base64Text(archive)));
      for (const text of texts) expect(text).toBe(expected);
      expect(encode.mock.calls.filter(([encoding]) => encoding === "base64")).toHaveLength(1);
    } finally {
      encode.mockRestore();
    }
    expect(peekBase64(archive)).toBe(expected);
  });

  it("encodes a view of a larger buffer as the view's bytes only", async () => {
    const whole = randomBytes(64);
    const view = whole.subarray(5, 37);
    expect(await base64Text({ bytes: view, sha256: "", size: view.length })).toBe(Buffer.from(view).toString("base64"));
  });

  it("reads a zip on disk in slices, never whole, into the same text", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "layerctl-base64-"));
    try {
      for (const size of [0, 2, 786_432, 3 * 786_432 + 1]) {
        const zip = randomBytes(size);
        const file = path.join(dir, `${size}.zip`);
        await writeFile(file, zip);
        const archive: LayerArchive = { path: file, sha256: createHash("sha256").update(zip).digest("hex"), size };
        expect(peekBase64(archive)).toBeUndefined();
        expect(await base64Text(archive)).toBe(zip.toString("base64"));
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
