// An inline upload's body is built once per zip and request shape, and is byte for byte the body
// the SDK would have serialized with the zip in place of the marker.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { base64Of } from "../../src/providers/base64.js";
import { bodyWithZip, ownArrayBuffer, ZIP_MARKER, ZIP_MARKER_BASE64 } from "../../src/providers/inline-body.js";

/** What an SDK writes for a request holding `zipBase64`: JSON text with a description around it. */
function serialized(zipBase64: string, description = "deps for the API"): string {
  return JSON.stringify({ Content: { ZipFile: zipBase64 }, Description: description, CompatibleRuntimes: ["python3.10"] });
}

describe("bodyWithZip", () => {
  it("the marker is base64 that decodes and encodes back to itself, with a random tail", () => {
    expect(ZIP_MARKER_BASE64).toMatch(/^LayerctlZipMarker[A-Za-z0-9+/]{15}$/);
    expect(ZIP_MARKER.length).toBe(24);
    expect(Buffer.from(ZIP_MARKER).toString("base64")).toBe(ZIP_MARKER_BASE64);
  });

  // Sizes around the 3-byte groups and the encoder's 48 KiB slices, and the empty zip.
  for (const size of [0, 1, 2, 3, 4, 49_151, 49_152, 49_153, 3 * 49_152 + 2, 200_001]) {
    it(`is the body the SDK would send, for a ${size}-byte zip`, () => {
      const zip = randomBytes(size);
      const body = bodyWithZip(serialized(ZIP_MARKER_BASE64), zip);
      expect(body.toString("utf8")).toBe(serialized(zip.toString("base64")));
    });
  }

  it("keeps text around the zip that is not ASCII as UTF-8", () => {
    const zip = randomBytes(1000);
    const text = serialized(ZIP_MARKER_BASE64, 'Zürich ✓ \u{1F680} "quoted"');
    const body = bodyWithZip(Buffer.from(text, "utf8"), zip);
    expect(body.equals(Buffer.from(serialized(zip.toString("base64"), 'Zürich ✓ \u{1F680} "quoted"'), "utf8"))).toBe(true);
  });

  it("takes the SDK's body as text or as a view of a larger buffer", () => {
    const zip = randomBytes(5000);
    const text = serialized(ZIP_MARKER_BASE64, "as bytes");
    const padded = Buffer.concat([Buffer.from("garbage"), Buffer.from(text), Buffer.from("more garbage")]);
    const view = padded.subarray(7, 7 + Buffer.byteLength(text));
    expect(bodyWithZip(view, zip).toString()).toBe(serialized(zip.toString("base64"), "as bytes"));
  });

  it("builds one body per zip and request shape, shared by every target that sends it", () => {
    const zip = randomBytes(10_000);
    const first = bodyWithZip(serialized(ZIP_MARKER_BASE64), zip);
    for (let target = 0; target < 11; target++) expect(bodyWithZip(serialized(ZIP_MARKER_BASE64), zip)).toBe(first);
    // Another description is another body; another zip too.
    const other = bodyWithZip(serialized(ZIP_MARKER_BASE64, "other"), zip);
    expect(other).not.toBe(first);
    expect(bodyWithZip(serialized(ZIP_MARKER_BASE64), randomBytes(10_000))).not.toBe(first);
  });

  it("reuses the zip's base64 when it was built already, with the same bytes", () => {
    const zip = randomBytes(70_001);
    const expected = serialized(zip.toString("base64"), "after Tencent");
    base64Of(zip);
    expect(bodyWithZip(serialized(ZIP_MARKER_BASE64, "after Tencent"), zip).toString()).toBe(expected);
  });

  it("owns its whole ArrayBuffer, so an SDK can view it without a copy", () => {
    const body = bodyWithZip(serialized(ZIP_MARKER_BASE64), randomBytes(3));
    expect(body.byteOffset).toBe(0);
    expect(body.buffer.byteLength).toBe(body.length);
    expect(ownArrayBuffer(body)).toBe(body.buffer);
  });

  it("refuses a body without the marker, or with it twice", () => {
    const zip = randomBytes(10);
    expect(() => bodyWithZip(serialized("AAAA"), zip)).toThrow(/marker exactly once/);
    expect(() => bodyWithZip(serialized(ZIP_MARKER_BASE64, ZIP_MARKER_BASE64), zip)).toThrow(/marker exactly once/);
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
