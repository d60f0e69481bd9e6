// The request body of an inline upload, built once per zip and request shape and shared by every
// target that sends it. A 40 MB zip is a 53 MB base64 JSON body, and each SDK used to build its
// own copies per target (AWS: a doubling buffer per request; Aliyun: the JSON string, bytes
// hashed for the signature and bytes sent, the last kept alive by an SDK timer for the whole read
// timeout): twelve targets of one zip peaked at ~680 MB.
//
// The SDK still builds the request: it serializes it with a small marker in place of the zip,
// and the adapter swaps that body for the shared one whose bytes are the marker's surroundings
// with the zip's base64 in between: the same bytes the SDK would have written, built once.
import { peekBase64 } from "./base64.js";

/**
 * Marker bytes sent to the SDK instead of the zip; their base64 is this text: readable, with a
 * random tail per process, so no description or name a user writes can hold it. (Any 32 base64
 * characters decode to 24 bytes that encode back to the same text.)
 */
export const ZIP_MARKER_BASE64 = `LayerctlZipMarker${randomBase64(15)}`;
export const ZIP_MARKER: Uint8Array = Buffer.from(ZIP_MARKER_BASE64, "base64");

function randomBase64(length: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  let text = "";
  for (let i = 0; i < length; i++) text += alphabet[Math.floor(Math.random() * 64)];
  return text;
}

/**
 * Bytes of base64 encoded per slice while building a body (a multiple of 3 keeps slices exact).
 * Small, so each slice's text is an ordinary young string that the next scavenge frees: Node
 * makes texts of ~1 MB and more external strings, which linger until a full collection (at
 * 768 KiB slices a 40 MB zip left 56 MB of them behind).
 */
const SLICE = 3 * 16 * 1024;

const bodies = new WeakMap<Uint8Array, Map<string, Buffer>>();

/**
 * The body `serialized` stands for, with the zip's base64 where the marker is. `serialized` is
 * the SDK's body for the marker request (JSON text or its bytes). Built on first use per zip and
 * surroundings, then shared; the Buffer owns its whole ArrayBuffer (offset 0, exact length), so
 * `Buffer.from(body.buffer)` views it without a copy.
 */
export function bodyWithZip(serialized: string | Uint8Array, zip: Uint8Array): Buffer {
  const text = typeof serialized === "string" ? serialized : Buffer.from(serialized.buffer, serialized.byteOffset, serialized.byteLength).toString("utf8");
  const at = text.indexOf(ZIP_MARKER_BASE64);
  if (at < 0 || text.indexOf(ZIP_MARKER_BASE64, at + 1) >= 0) {
    throw new Error("internal: the SDK's request body does not hold the zip marker exactly once");
  }
  const prefix = text.slice(0, at);
  const suffix = text.slice(at + ZIP_MARKER_BASE64.length);
  const key = `${prefix}\u0000${suffix}`;
  let perZip = bodies.get(zip);
  if (!perZip) bodies.set(zip, (perZip = new Map()));
  let body = perZip.get(key);
  if (!body) {
    body = build(prefix, zip, suffix);
    perZip.set(key, body);
  }
  return body;
}

function build(prefix: string, zip: Uint8Array, suffix: string): Buffer {
  const b64Length = Math.ceil(zip.byteLength / 3) * 4;
  const head = Buffer.byteLength(prefix, "utf8");
  const body = Buffer.allocUnsafeSlow(head + b64Length + Buffer.byteLength(suffix, "utf8"));
  let at = body.write(prefix, 0, "utf8");
  const shared = peekBase64(zip);
  if (shared !== undefined) {
    at += body.write(shared, at, "latin1");
  } else {
    const bytes = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
    for (let i = 0; i < bytes.length; i += SLICE) at += body.write(bytes.subarray(i, i + SLICE).toString("base64"), at, "latin1");
  }
  at += body.write(suffix, at, "utf8");
  if (at !== body.length) throw new Error("internal: an inline body was not filled exactly");
  return body;
}

/**
 * `bytes` as an ArrayBuffer of exactly its length, for an SDK that copies Buffers but views
 * ArrayBuffers. A shared body (built above) is its own ArrayBuffer already; a small Buffer may be
 * a slice of Node's pool, so it is copied into one of its own.
 */
export function ownArrayBuffer(bytes: Buffer): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  const own = Buffer.allocUnsafeSlow(bytes.length);
  bytes.copy(own);
  return own.buffer as ArrayBuffer;
}

const sharedKeys = new WeakMap<Uint8Array, Map<string, object>>();

/**
 * The identity of the body `provider` builds around `zip` (one per zip and cloud: every target of
 * the cloud sends that one buffer), for counting it once against the run's upload budget.
 */
export function sharedBodyKey(zip: Uint8Array, provider: string): object {
  let perZip = sharedKeys.get(zip);
  if (!perZip) sharedKeys.set(zip, (perZip = new Map()));
  let key = perZip.get(provider);
  if (!key) perZip.set(provider, (key = {}));
  return key;
}
