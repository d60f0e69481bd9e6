// An inline upload's body is built once per zip, cloud and request shape, from the zip's file (or
// its bytes) without holding the zip, and is byte for byte the body the SDK would have serialized
// with the zip in place of the marker. It lives while some upload holds it.
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { base64Text } from "../../src/providers/base64.js";
import { ownArrayBuffer, sharedBody, ZIP_MARKER, ZIP_MARKER_BASE64 } from "../../src/providers/inline-body.js";
import type { LayerArchive } from "../../src/providers/types.js";

/** What an SDK writes for a request holding `zipBase64`: JSON text with a description around it. */
function serialized(zipBase64: string, description = "deps for the API"): string {
  return JSON.stringify({ Content: { ZipFile: zipBase64 }, Description: description, CompatibleRuntimes: ["python3.10"] });
}

const inMemory = (zip: Buffer): LayerArchive => ({ bytes: zip, sha256: createHash("sha256").update(zip).digest("hex"), size: zip.length });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "layerctl-inline-body-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

let files = 0;
async function onDisk(zip: Buffer): Promise<LayerArchive> {
  const file = path.join(dir, `zip-${files++}.zip`);
  await writeFile(file, zip);
  return { path: file, sha256: createHash("sha256").update(zip).digest("hex"), size: zip.length };
}

describe("SharedBody.body", () => {
  it("the marker is base64 that decodes and encodes back to itself, with a random tail", () => {
    expect(ZIP_MARKER_BASE64).toMatch(/^LayerctlZipMarker[A-Za-z0-9+/]{15}$/);
    expect(ZIP_MARKER.length).toBe(24);
    expect(Buffer.from(ZIP_MARKER).toString("base64")).toBe(ZIP_MARKER_BASE64);
  });

  // Sizes around the 3-byte groups, the encoder's 48 KiB slices and the file reads' 768 KiB, and the empty zip.
  for (const size of [0, 1, 2, 3, 4, 49_151, 49_152, 49_153, 3 * 49_152 + 2, 200_001, 786_431, 786_432, 786_433, 2 * 786_432 + 1]) {
    it(`is the body the SDK would send, for a ${size}-byte zip in memory and on disk`, async () => {
      const zip = randomBytes(size);
      const expected = serialized(zip.toString("base64"));
      expect((await sharedBody(inMemory(zip), "aws").body(serialized(ZIP_MARKER_BASE64))).toString("utf8")).toBe(expected);
      expect((await sharedBody(await onDisk(zip), "aws").body(serialized(ZIP_MARKER_BASE64))).toString("utf8")).toBe(expected);
    });
  }

  it("keeps text around the zip that is not ASCII as UTF-8", async () => {
    const zip = randomBytes(1000);
    const text = serialized(ZIP_MARKER_BASE64, 'Zürich ✓ \u{1F680} "quoted"');
    const body = await sharedBody(inMemory(zip), "aws").body(Buffer.from(text, "utf8"));
    expect(body.equals(Buffer.from(serialized(zip.toString("base64"), 'Zürich ✓ \u{1F680} "quoted"'), "utf8"))).toBe(true);
  });

  it("takes the SDK's body as text or as a view of a larger buffer", async () => {
    const zip = randomBytes(5000);
    const text = serialized(ZIP_MARKER_BASE64, "as bytes");
    const padded = Buffer.concat([Buffer.from("garbage"), Buffer.from(text), Buffer.from("more garbage")]);
    const view = padded.subarray(7, 7 + Buffer.byteLength(text));
    expect((await sharedBody(inMemory(zip), "aws").body(view)).toString()).toBe(serialized(zip.toString("base64"), "as bytes"));
  });

  it("builds one body per zip, cloud and request shape, shared by the uploads that send it", async () => {
    const archive = inMemory(randomBytes(10_000));
    const shared = sharedBody(archive, "aws");
    expect(sharedBody(archive, "aws")).toBe(shared);
    const first = await shared.body(serialized(ZIP_MARKER_BASE64));
    for (let target = 0; target < 11; target++) expect(await sharedBody(archive, "aws").body(serialized(ZIP_MARKER_BASE64))).toBe(first);
    // Another description is another body; another cloud or zip, another SharedBody.
    expect(await shared.body(serialized(ZIP_MARKER_BASE64, "other"))).not.toBe(first);
    expect(sharedBody(archive, "aliyun")).not.toBe(shared);
    expect(sharedBody(inMemory(randomBytes(10_000)), "aws")).not.toBe(shared);
  });

  it("drops its bodies once no upload holds them; a later upload builds them again, the same bytes", async () => {
    const archive = inMemory(randomBytes(10_000));
    const shared = sharedBody(archive, "aws");
    const first = await shared.body(serialized(ZIP_MARKER_BASE64));
    shared.idle();
    // Forgotten: the next upload of the zip gets a SharedBody (and a budget hold) of its own.
    const next = sharedBody(archive, "aws");
    expect(next).not.toBe(shared);
    const again = await next.body(serialized(ZIP_MARKER_BASE64));
    expect(again).not.toBe(first);
    expect(again.equals(first)).toBe(true);
    // The idle one still answers (an upload that held it before it went idle), building anew.
    expect((await shared.body(serialized(ZIP_MARKER_BASE64))).equals(first)).toBe(true);
  });

  it("copies the base64 from another cloud's body, or from the Tencent string, with the same bytes", async () => {
    const zip = randomBytes(100_003);
    const archive = await onDisk(zip);
    const aws = await sharedBody(archive, "aws").body(serialized(ZIP_MARKER_BASE64, "aws"));
    const aliyun = await sharedBody(archive, "aliyun").body(serialized(ZIP_MARKER_BASE64, "aliyun"));
    expect(aliyun.toString()).toBe(serialized(zip.toString("base64"), "aliyun"));
    expect(aws.toString()).toBe(serialized(zip.toString("base64"), "aws"));
    // The file is gone: what is built now can only come from the bodies above, or the string.
    await rm(archive.path!);
    expect(await base64Text(archive)).toBe(zip.toString("base64"));
    expect((await sharedBody(archive, "other").body(serialized(ZIP_MARKER_BASE64, "other"))).toString()).toBe(serialized(zip.toString("base64"), "other"));
  });

  it("refuses a zip whose file changed size since it was checked, and keeps no half-built body", async () => {
    const zip = randomBytes(100_000);
    const archive = await onDisk(zip);
    await truncate(archive.path!, 50_000);
    const shared = sharedBody(archive, "aws");
    await expect(shared.body(serialized(ZIP_MARKER_BASE64))).rejects.toThrow(/changed while it was being published/);
    await writeFile(archive.path!, Buffer.concat([zip, Buffer.from("more")]));
    await expect(shared.body(serialized(ZIP_MARKER_BASE64))).rejects.toThrow(/changed while it was being published/);
    await writeFile(archive.path!, zip);
    expect((await shared.body(serialized(ZIP_MARKER_BASE64))).toString()).toBe(serialized(zip.toString("base64")));
  });

  it("owns its whole ArrayBuffer, so an SDK can view it without a copy", async () => {
    const body = await sharedBody(inMemory(randomBytes(3)), "aws").body(serialized(ZIP_MARKER_BASE64));
    expect(body.byteOffset).toBe(0);
    expect(body.buffer.byteLength).toBe(body.length);
    expect(ownArrayBuffer(body)).toBe(body.buffer);
  });

  it("refuses a body without the marker, or with it twice", async () => {
    const shared = sharedBody(inMemory(randomBytes(10)), "aws");
    await expect(shared.body(serialized("AAAA"))).rejects.toThrow(/marker exactly once/);
    await expect(shared.body(serialized(ZIP_MARKER_BASE64, ZIP_MARKER_BASE64))).rejects.toThrow(/marker exactly once/);
  });
});

describe("ownArrayBuffer", () => {
  it("copies a pooled slice into an ArrayBuffer of its own length", () => {
    const small = Buffer.from("a small body from Node's pool");
    expect(small.buffer.byteLength).toBeGreaterThan(small.length); // the premise: a pool slice
    const own = ownArrayBuffer(small);
    expect(own.byteLength).toBe(small.length);
    expect(Buffer.from(own).equals(small)).toBe(true);
  });
});
