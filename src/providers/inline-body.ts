// The request body of an inline upload, built once per zip, cloud and request shape and shared by
// the uploads of that cloud in flight. A 40 MB zip is a 53 MB base64 JSON body, and each SDK used
// to build its own copies per target (AWS: a doubling buffer per request; Aliyun: the JSON string,
// bytes hashed for the signature and bytes sent, the last kept alive by an SDK timer for the whole
// read timeout): twelve targets of one zip peaked at ~680 MB.
//
// The SDK still builds the request: it serializes it with a small marker in place of the zip,
// and the adapter swaps that body for the shared one whose bytes are the marker's surroundings
// with the zip's base64 in between: the same bytes the SDK would have written, built once.
//
// The zip itself is not held: the base64 is written into the body slice by slice, from the zip's
// file (or from its bytes, for an archive that lives only in memory). A body is kept while some
// upload of it is in flight; when the last one ends (Traffic tells SharedBody.idle) it is dropped,
// so what the run's upload budget counts is what memory holds: a copy of a 40 MB version to AWS
// and Aliyun holds their two bodies, not the zip besides.
import { createHash } from "node:crypto";
import { base64Length, fillBase64, rememberBase64 } from "./base64.js";
import type { SharedBodyHold } from "./traffic.js";
import type { LayerArchive } from "./types.js";

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
 * One cloud's inline bodies for one zip (one per request shape: the text around the zip), built on
 * first use and shared by that cloud's uploads in flight. It is the object the run's upload
 * budget counts once (TargetTraffic.gate), and is told when no upload holds it any more.
 */
export class SharedBody implements SharedBodyHold {
  private readonly bodies = new Map<string, Promise<Buffer>>();

  constructor(
    readonly archive: LayerArchive,
    private readonly forget: () => void,
  ) {}

  /**
   * The body `serialized` stands for, with the zip's base64 where the marker is. `serialized` is
   * the SDK's body for the marker request (JSON text or its bytes). The Buffer owns its whole
   * ArrayBuffer (offset 0, exact length), so `Buffer.from(body.buffer)` views it without a copy.
   */
  body(serialized: string | Uint8Array): Promise<Buffer> {
    const text = typeof serialized === "string" ? serialized : Buffer.from(serialized.buffer, serialized.byteOffset, serialized.byteLength).toString("utf8");
    const at = text.indexOf(ZIP_MARKER_BASE64);
    if (at < 0 || text.indexOf(ZIP_MARKER_BASE64, at + 1) >= 0) {
      return Promise.reject(new Error("internal: the SDK's request body does not hold the zip marker exactly once"));
    }
    const prefix = text.slice(0, at);
    const suffix = text.slice(at + ZIP_MARKER_BASE64.length);
    const key = `${prefix}\u0000${suffix}`;
    let body = this.bodies.get(key);
    if (!body) {
      body = build(prefix, this.archive, suffix);
      this.bodies.set(key, body);
      // A failed build (the file went away) is not kept: the next attempt tries again.
      body.catch(() => this.bodies.get(key) === body && this.bodies.delete(key));
    }
    return body;
  }

  /** No upload holds the bodies any more: drop them (a later upload builds them again). */
  idle(): void {
    this.bodies.clear();
    this.forget();
  }
}

const shared = new WeakMap<LayerArchive, Map<string, SharedBody>>();

/** The SharedBody of `provider`'s uploads of `archive` (every target of the cloud sends its bodies). */
export function sharedBody(archive: LayerArchive, provider: string): SharedBody {
  let perArchive = shared.get(archive);
  if (!perArchive) shared.set(archive, (perArchive = new Map()));
  let body = perArchive.get(provider);
  if (!body) {
    const made: SharedBody = new SharedBody(archive, () => perArchive.get(provider) === made && perArchive.delete(provider));
    perArchive.set(provider, (body = made));
  }
  return body;
}

/** The body being built per zip: the next waits for it, to copy the base64 from it rather than encode the zip again. */
const building = new WeakMap<LayerArchive, Promise<unknown>>();

function build(prefix: string, archive: LayerArchive, suffix: string): Promise<Buffer> {
  const before = building.get(archive);
  const mine = (before !== undefined ? before.then(ignore, ignore) : Promise.resolve()).then(() => fill(prefix, archive, suffix));
  building.set(archive, mine);
  return mine;
}

function ignore(): void {}

async function fill(prefix: string, archive: LayerArchive, suffix: string): Promise<Buffer> {
  const body = Buffer.allocUnsafeSlow(Buffer.byteLength(prefix, "utf8") + base64Length(archive) + Buffer.byteLength(suffix, "utf8"));
  const start = body.write(prefix, 0, "utf8");
  let at = await fillBase64(archive, body, start);
  at += body.write(suffix, at, "utf8");
  rememberBase64(archive, body, start);
  if (at !== body.length) throw new Error("internal: an inline body was not filled exactly");
  builtBodies.add(body.buffer);
  return body;
}

/** The ArrayBuffers of the bodies built above: never written again once built. */
const builtBodies = new WeakSet<ArrayBufferLike>();
const digests = new WeakMap<ArrayBufferLike, Buffer>();

/** `bytes` are the whole of a shared body built above (immutable: its digest may be kept). */
export function isSharedBody(bytes: ArrayBufferView): boolean {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && builtBodies.has(bytes.buffer);
}

/**
 * The SHA-256 of a shared body (isSharedBody), computed on first use and kept as long as the body
 * is. Each upload's signer hashes the body it sends (SigV4's payload hash): the uploads of one
 * body to several regions need it once.
 */
export function sharedBodySha256(body: ArrayBufferView): Buffer {
  if (!isSharedBody(body)) throw new Error("internal: sharedBodySha256 of bytes that are not a shared body");
  let digest = digests.get(body.buffer);
  if (!digest) {
    digest = createHash("sha256")
      .update(Buffer.from(body.buffer, body.byteOffset, body.byteLength))
      .digest();
    digests.set(body.buffer, digest);
  }
  return digest;
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
