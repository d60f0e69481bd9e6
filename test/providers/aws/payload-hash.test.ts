// The Lambda client's SHA-256 (src/providers/aws/payload-hash.ts) gives node:crypto's answers for
// everything the signer hashes (HMACs with a key, text, bytes), and hashes a shared inline body
// once however many uploads sign it. End to end, the emulator checks every AWS upload's signature
// against its own hash of the body it received (test/conformance).
import { createHash, createHmac, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { PayloadSha256 } from "../../../src/providers/aws/payload-hash.js";
import { isSharedBody, sharedBody, sharedBodySha256, ZIP_MARKER_BASE64 } from "../../../src/providers/inline-body.js";
import type { LayerArchive } from "../../../src/providers/types.js";

const hex = async (h: PayloadSha256) => Buffer.from(await h.digest()).toString("hex");
const sha = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

async function aBody(): Promise<Buffer> {
  const zip = randomBytes(100_000);
  const archive: LayerArchive = { bytes: zip, sha256: sha(zip), size: zip.length };
  return sharedBody(archive, "aws").body(JSON.stringify({ Content: { ZipFile: ZIP_MARKER_BASE64 } }));
}

describe("PayloadSha256", () => {
  it("is node's SHA-256 of text and bytes, in one update or several", async () => {
    const bytes = randomBytes(1000);
    const h = new PayloadSha256();
    h.update("héllo");
    expect(await hex(h)).toBe(sha(Buffer.from("héllo", "utf8")));
    const parts = new PayloadSha256();
    parts.update(bytes.subarray(0, 10));
    parts.update(new Uint8Array(bytes.buffer, bytes.byteOffset + 10, 990));
    expect(await hex(parts)).toBe(sha(bytes));
    const empty = new PayloadSha256();
    expect(await hex(empty)).toBe(sha(""));
  });

  it("is node's HMAC-SHA256 with a key given as text or bytes", async () => {
    const key = randomBytes(32);
    const h = new PayloadSha256(key);
    h.update("string to sign");
    expect(await hex(h)).toBe(createHmac("sha256", key).update("string to sign").digest("hex"));
    const t = new PayloadSha256("AWS4secret");
    t.update("20261205");
    expect(await hex(t)).toBe(createHmac("sha256", "AWS4secret").update("20261205").digest("hex"));
  });

  it("hashes a shared body once, and gives its digest to every upload that signs it", async () => {
    const body = await aBody();
    expect(isSharedBody(body)).toBe(true);
    const first = new PayloadSha256();
    first.update(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
    const second = new PayloadSha256();
    second.update(body);
    expect(await hex(first)).toBe(sha(body));
    expect(await hex(second)).toBe(sha(body));
    // The same digest object: computed once, kept with the body.
    expect(sharedBodySha256(body)).toBe(sharedBodySha256(body));
  });

  it("hashes a shared body with anything after it, a part of one, or a key, as plain bytes", async () => {
    const body = await aBody();
    const more = new PayloadSha256();
    more.update(body);
    more.update("tail");
    expect(await hex(more)).toBe(sha(Buffer.concat([body, Buffer.from("tail")])));
    const part = new PayloadSha256();
    part.update(body.subarray(1));
    expect(isSharedBody(body.subarray(1))).toBe(false);
    expect(await hex(part)).toBe(sha(body.subarray(1)));
    const keyed = new PayloadSha256("k");
    keyed.update(body);
    expect(await hex(keyed)).toBe(createHmac("sha256", "k").update(body).digest("hex"));
  });

  it("starts again after reset()", async () => {
    const body = await aBody();
    const h = new PayloadSha256();
    h.update(body);
    h.reset();
    h.update("x");
    expect(await hex(h)).toBe(sha("x"));
  });
});
