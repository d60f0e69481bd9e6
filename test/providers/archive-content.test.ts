// Aliyun's checksum of a zip (CRC-64) is computed once per zip in a run, or taken from the pass
// that already read it (a copy's download), never read from the file again.
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Crc64 } from "../../src/archive/crc64.js";
import { archiveCrc64, rememberCrc64 } from "../../src/providers/archive-content.js";

describe("archiveCrc64", () => {
  it("reads a zip's file once, however many targets ask", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "layerctl-crc64-"));
    try {
      const zip = randomBytes(300_001);
      const file = path.join(dir, "layer.zip");
      await writeFile(file, zip);
      const archive = { path: file, sha256: createHash("sha256").update(zip).digest("hex"), size: zip.length };
      const expected = new Crc64().update(zip).decimal();
      expect(await Promise.all([archiveCrc64(archive), archiveCrc64(archive)])).toEqual([expected, expected]);
      // The file is gone: only what was computed can answer.
      await rm(file);
      expect(await archiveCrc64({ ...archive })).toBe(expected);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("takes a CRC-64 another pass computed for the zip of that SHA-256", async () => {
    const sha256 = createHash("sha256").update("a downloaded zip").digest("hex");
    rememberCrc64(sha256.toUpperCase(), "1234567890");
    expect(await archiveCrc64({ path: "/nonexistent/layerctl/never-read.zip", sha256, size: 16 })).toBe("1234567890");
  });

  it("does not keep a failure: the next ask reads again", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "layerctl-crc64-"));
    try {
      const zip = randomBytes(1000);
      const file = path.join(dir, "late.zip");
      const archive = { path: file, sha256: createHash("sha256").update(zip).digest("hex"), size: zip.length };
      await expect(archiveCrc64(archive)).rejects.toThrow();
      await writeFile(file, zip);
      expect(await archiveCrc64(archive)).toBe(new Crc64().update(zip).decimal());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
