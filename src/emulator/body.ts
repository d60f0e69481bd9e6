// Request bodies: read up to a cap, and hashed (SHA-256, what the three clouds' signatures cover)
// as they arrive when the cloud will check that hash, while each chunk is still in the
// processor's cache: hashing a 53 MB inline upload afterwards, from memory, took a third longer.
import { createHash, type Hash } from "node:crypto";
import type http from "node:http";
import type { IncomingCall } from "./types.js";

/** The body's SHA-256 in hex: taken while it was read, or now (and kept for the next asker). */
export function bodySha256Hex(call: IncomingCall): string {
  call.bodySha256 ??= createHash("sha256").update(call.body).digest("hex");
  return call.bodySha256;
}

/**
 * The body (with its SHA-256 when `hash`), or null as soon as it grows past `max`: what came is
 * dropped and the rest is read and thrown away (closing instead could reset the connection
 * before the client reads the answer). A content-length within the cap gets one buffer of that
 * size, filled as the chunks come: a 50 MB inline upload is not kept twice (its chunks, then
 * their join) nor copied again at the end. Without one (chunked), or should more come than it
 * said, the chunks are joined instead.
 */
export function readBody(req: http.IncomingMessage, max: number, hash: boolean): Promise<{ bytes: Buffer; sha256?: string } | null> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    let whole = Number.isSafeInteger(declared) && declared > 0 && declared <= max ? Buffer.allocUnsafe(declared) : null;
    const chunks: Buffer[] = [];
    const digest: Hash | null = hash ? createHash("sha256") : null;
    let size = 0;
    const onData = (c: Buffer) => {
      if (size + c.length > max) {
        req.off("data", onData);
        req.resume();
        whole = null;
        chunks.length = 0;
        return void resolve(null);
      }
      if (whole && size + c.length <= whole.length) {
        c.copy(whole, size);
      } else {
        if (whole) chunks.push(whole.subarray(0, size));
        whole = null;
        chunks.push(c);
      }
      digest?.update(c);
      size += c.length;
    };
    req.on("data", onData);
    req.on("end", () => resolve({ bytes: whole ? whole.subarray(0, size) : Buffer.concat(chunks, size), sha256: digest?.digest("hex") }));
    req.on("error", reject);
  });
}
