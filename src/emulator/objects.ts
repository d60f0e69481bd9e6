// The object stores' common core, cloud-neutral: buckets with a region, objects, multipart
// uploads. Each cloud's protocol (src/emulator/aws/s3.ts, tencent/cos.ts, aliyun/oss.ts) wraps it
// in its own addressing, signature, headers and error codes, and is registered with its cloud as
// a companion API on the same port (cloud.ts). Contents live in the shared blob store
// (content-addressed); buckets are kept in the cloud's regional state (`buckets` of the region
// they are in), so they are saved with it.
import { createHash, randomUUID } from "node:crypto";
import { crc32 } from "../archive/crc32.js";
import { Crc64 } from "../archive/crc64.js";
import { dict, type BaseTuning, type Companion } from "./cloud.js";
import type { BlobStore, IncomingCall, Reply } from "./types.js";
import type { KeyStore } from "./keys.js";

export interface StoredObject {
  blob: string;
  size: number;
  /** hex */
  md5: string;
  crc32: number;
  /** CRC-64/XZ, decimal */
  crc64: string;
  /** How the object was written: parts' CRC-32s for a multipart upload (S3's composite checksum). */
  partCrc32s: number[] | null;
  /** The MD5s of the parts (an S3 multipart ETag is the MD5 of these, then -N). */
  partMd5s: string[] | null;
  lastModified: string;
}

export interface UploadState {
  key: string;
  parts: Record<string, Omit<StoredObject, "partCrc32s" | "partMd5s" | "lastModified">>;
}

export interface BucketState {
  region: string;
  objects: Record<string, StoredObject>;
  uploads: Record<string, UploadState>;
}

/** What a cloud's region state holds for its store (absent until the region has a bucket). */
export interface StoreRegion {
  buckets?: Record<string, BucketState>;
}

/** The cloud's regions, as the skeleton keeps them (CloudContext.region / regions). */
export interface StoreRegions {
  region(name: string): StoreRegion;
  regions(): Record<string, StoreRegion>;
}

/** The largest body a store takes here: far above the 8 MiB parts layerctl sends (the stores themselves take 5 GB per PUT). */
export const STORE_MAX_REQUEST_BYTES = 256 * 1024 * 1024;

export type Lookup<T> = { ok: true; value: T } | { ok: false; reason: "no-bucket" | "other-region" | "no-key"; bucketRegion?: string };

export class ObjectStore {
  private readonly removalWatchers: Array<(b: BucketState, key: string) => void> = [];

  constructor(
    private readonly where: StoreRegions,
    private readonly blobs: BlobStore,
    /** --emulator: a bucket is created (in the region asked for) on first use. */
    private readonly autoCreate: boolean,
  ) {}

  addBucket(name: string, region: string): void {
    if (this.find(name)) return;
    (this.where.region(region).buckets ??= dict())[name] = { region, objects: dict(), uploads: dict() };
  }

  /** Bucket names are unique across regions, as in S3 and OSS (COS: within the account). */
  private find(name: string): BucketState | undefined {
    for (const r of Object.values(this.where.regions())) {
      const b = r.buckets?.[name];
      if (b) return b;
    }
    return undefined;
  }

  /** The bucket, if it exists in `region` (region undefined: wherever it is). */
  bucket(name: string, region: string | undefined): Lookup<BucketState> {
    let b = this.find(name);
    if (!b && this.autoCreate && region !== undefined) {
      this.addBucket(name, region);
      b = this.find(name);
    }
    if (!b) return { ok: false, reason: "no-bucket" };
    if (region !== undefined && b.region !== region) return { ok: false, reason: "other-region", bucketRegion: b.region };
    return { ok: true, value: b };
  }

  object(bucket: string, key: string, region: string | undefined): Lookup<StoredObject> {
    const b = this.bucket(bucket, region);
    if (!b.ok) return b;
    const o = b.value.objects[key];
    return o ? { ok: true, value: o } : { ok: false, reason: "no-key" };
  }

  async read(o: StoredObject): Promise<Buffer | undefined> {
    return this.blobs.get(o.blob);
  }

  /** For a layer API reading a staged zip: the bytes, or why it cannot (region undefined: any). */
  async readStaged(
    bucket: string,
    key: string,
    region: string | undefined,
  ): Promise<{ ok: true; bytes: Buffer } | { ok: false; reason: "no-bucket" | "other-region" | "no-key"; bucketRegion?: string }> {
    const found = this.object(bucket, key, region);
    if (!found.ok) return found;
    const bytes = await this.read(found.value);
    return bytes ? { ok: true, bytes } : { ok: false, reason: "no-key" };
  }

  async put(b: BucketState, key: string, bytes: Buffer, now: Date): Promise<StoredObject> {
    const o: StoredObject = { ...(await this.store(bytes)), partCrc32s: null, partMd5s: null, lastModified: now.toISOString() };
    b.objects[key] = o;
    return o;
  }

  /** Tells `watcher` of every object about to be deleted (a layer API still reading one decides what that means). */
  watchRemovals(watcher: (b: BucketState, key: string) => void): void {
    this.removalWatchers.push(watcher);
  }

  /** DeleteObject: idempotent, as in the three stores (deleting a missing key succeeds too). */
  remove(b: BucketState, key: string): void {
    if (!b.objects[key]) return;
    for (const w of this.removalWatchers) w(b, key);
    delete b.objects[key];
  }

  createUpload(b: BucketState, key: string): string {
    const id = randomUUID().replace(/-/g, "");
    b.uploads[id] = { key, parts: dict() };
    return id;
  }

  async putPart(u: UploadState, partNumber: number, bytes: Buffer): Promise<UploadState["parts"][string]> {
    const part = await this.store(bytes);
    u.parts[String(partNumber)] = part;
    return part;
  }

  /** Joins the named parts (in the order given) into the object; null if a part is missing. */
  async complete(b: BucketState, uploadId: string, partNumbers: number[], now: Date): Promise<StoredObject | null> {
    const u = b.uploads[uploadId]!;
    const parts = partNumbers.map((n) => u.parts[String(n)]);
    if (parts.some((p) => p === undefined)) return null;
    const chunks: Buffer[] = [];
    for (const p of parts) {
      const bytes = await this.blobs.get(p!.blob);
      if (!bytes) return null;
      chunks.push(bytes);
    }
    const o: StoredObject = {
      ...(await this.store(Buffer.concat(chunks))),
      partCrc32s: parts.map((p) => p!.crc32),
      partMd5s: parts.map((p) => p!.md5),
      lastModified: now.toISOString(),
    };
    b.objects[u.key] = o;
    delete b.uploads[uploadId];
    return o;
  }

  private async store(bytes: Buffer): Promise<Omit<StoredObject, "partCrc32s" | "partMd5s" | "lastModified">> {
    return {
      blob: await this.blobs.put(bytes),
      size: bytes.length,
      md5: createHash("md5").update(bytes).digest("hex"),
      crc32: crc32(bytes) >>> 0,
      crc64: new Crc64().update(bytes).decimal(),
    };
  }
}

/** An error of any of the stores; each renders it in its own envelope. */
export class StoreError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** How a store is told apart on the shared port, and how it writes an error (its request-id header, its XML). */
export interface StoreWire {
  route(call: IncomingCall): string | null;
  errorReply(call: IncomingCall, err: StoreError): Reply;
}

/** What the three stores share around their own dispatch: error rendering, the body cap and the fault replies. */
export abstract class ObjectApi<C extends StoreContext = StoreContext> implements Companion {
  protected readonly store: ObjectStore;

  constructor(
    protected readonly ctx: C,
    /** The account's keys and those its STS lent: each store checks its own signature against them. */
    protected readonly keys: KeyStore,
    private readonly wire: StoreWire,
  ) {
    this.store = configuredStore(ctx);
  }

  route(call: IncomingCall): string | null {
    return this.wire.route(call);
  }

  protected errorReply(call: IncomingCall, err: StoreError): Reply {
    return this.wire.errorReply(call, err);
  }

  protected abstract dispatch(call: IncomingCall, action: string): Promise<Reply>;

  readonly maxRequestBytes = STORE_MAX_REQUEST_BYTES;

  /** The stores check their signature once the body is read (S3's covers it); the cap bounds what is read. */
  admit(): Reply | null {
    return null;
  }

  tooLarge(call: IncomingCall): Reply {
    return this.errorReply(call, new StoreError(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size."));
  }

  async handle(call: IncomingCall, action: string): Promise<Reply> {
    try {
      return await this.dispatch(call, action);
    } catch (err) {
      if (err instanceof StoreError) return this.errorReply(call, err);
      throw err;
    }
  }

  // S3, COS and OSS all answer request-rate limits with 503 SlowDown and failures with 500 InternalError.
  faultReply(kind: "throttle" | "server-error", call: IncomingCall): Reply {
    return kind === "throttle"
      ? this.errorReply(call, new StoreError(503, "SlowDown", "Please reduce your request rate."))
      : this.errorReply(call, new StoreError(500, "InternalError", "We encountered an internal error. Please try again."));
  }
}

/** What a store is built from: the cloud's regions, blob store and tuning. */
export type StoreContext = StoreRegions & { blobs: BlobStore; tuning: Pick<BaseTuning, "buckets" | "autoCreateBuckets"> };

/** A store configured from its cloud's tuning: the buckets named there exist from the start. */
function configuredStore(ctx: StoreContext): ObjectStore {
  const store = new ObjectStore(ctx, ctx.blobs, ctx.tuning.autoCreateBuckets ?? false);
  for (const b of ctx.tuning.buckets ?? []) store.addBucket(b.name, b.region);
  return store;
}

/** Every action objectAction can name, with the store's names for `initiate` and `unknown`. */
export function objectActions(initiate: string, unknown: string): Set<string> {
  return new Set(["PutObject", "UploadPart", initiate, "CompleteMultipartUpload", "AbortMultipartUpload", "HeadObject", "GetObject", "DeleteObject", unknown]);
}

/** A request header as one string (repeated ones joined with commas, as HTTP folds them). */
export function header(call: IncomingCall, name: string): string | undefined {
  const v = call.headers[name];
  return Array.isArray(v) ? v.join(",") : v;
}

/**
 * The operation an object request names, the same way in the three XML APIs. `initiate` is the
 * store's name for starting a multipart upload (S3 CreateMultipartUpload, COS/OSS
 * InitiateMultipartUpload); `unknown` the action for anything else.
 */
export function objectAction(call: IncomingCall, key: string, initiate: string, unknown: string): string {
  const q = call.url.searchParams;
  if (key === "") return unknown;
  switch (call.method) {
    case "PUT":
      return q.has("uploadId") || q.has("partNumber") ? "UploadPart" : "PutObject";
    case "POST":
      return q.has("uploads") ? initiate : q.has("uploadId") ? "CompleteMultipartUpload" : unknown;
    case "DELETE":
      return q.has("uploadId") ? "AbortMultipartUpload" : "DeleteObject";
    case "HEAD":
      return "HeadObject";
    case "GET":
      return "GetObject";
    default:
      return unknown;
  }
}

/** Path-style addressing: /<bucket>/<key>, the key percent-decoded (left as sent if it does not decode: then simply not found). */
export function pathStyleTarget(call: IncomingCall): { bucket: string; key: string } {
  const [, bucket = "", ...rest] = call.rawPath.split("/");
  let key = rest.join("/");
  try {
    key = decodeURIComponent(key);
  } catch {
    // kept as sent
  }
  return { bucket, key };
}

/** The part number of an UploadPart, 1-10000 in every store. */
export function partNumber(call: IncomingCall): number {
  const n = Number(call.url.searchParams.get("partNumber"));
  if (!Number.isInteger(n) || n < 1 || n > 10_000)
    throw new StoreError(400, "InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive.", { ArgumentName: "partNumber" });
  return n;
}

/**
 * A CompleteMultipartUpload body checked as S3, COS and OSS check it (same codes in the three):
 * parts ascending, each uploaded with that ETag, all but the last at least `minPartBytes`.
 */
export function checkCompletion(upload: UploadState, body: Buffer, minPartBytes: number): number[] {
  const parts = completedParts(body);
  if (!parts || parts.length === 0) throw new StoreError(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.");
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    const stored = upload.parts[String(p.partNumber)];
    if (i > 0 && p.partNumber <= parts[i - 1]!.partNumber)
      throw new StoreError(400, "InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number.");
    if (!stored || p.etag.replace(/"/g, "").toLowerCase() !== stored.md5) {
      throw new StoreError(
        400,
        "InvalidPart",
        "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
      );
    }
    if (i < parts.length - 1 && stored.size < minPartBytes) throw new StoreError(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.");
  }
  return parts.map((p) => p.partNumber);
}

/** Content-MD5, when sent, must be the body's (S3 and COS call a mismatch BadDigest, OSS InvalidDigest). */
export function checkContentMd5(call: IncomingCall, body: Buffer, code: string): void {
  const md5 = call.headers["content-md5"];
  if (typeof md5 === "string" && md5 !== createHash("md5").update(body).digest("base64"))
    throw new StoreError(400, code, "The Content-MD5 you specified did not match what was received.");
}

/** S3-style ETag of a multipart object: MD5 of the parts' binary MD5s, then -<parts>. */
export function multipartEtag(o: Pick<StoredObject, "md5" | "partMd5s">): string {
  const md5s = o.partMd5s ?? [o.md5];
  return `${createHash("md5")
    .update(Buffer.concat(md5s.map((m) => Buffer.from(m, "hex"))))
    .digest("hex")}-${md5s.length}`;
}

/** A checksum that is certainly not the stored one, for the bad-checksum fault. */
export function corruptDecimal(value: string): string {
  return (BigInt(value) ^ 1n).toString(10);
}

export function xmlEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function xml(root: string, fields: Record<string, string | number | undefined>): Buffer {
  const inner = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<${k}>${xmlEscape(String(v))}</${k}>`)
    .join("");
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<${root}>${inner}</${root}>`);
}

/** The <Part> entries of a CompleteMultipartUpload body, in document order. */
export function completedParts(body: Buffer): Array<{ partNumber: number; etag: string }> | null {
  const text = body.toString("utf8");
  if (!/<CompleteMultipartUpload[\s>]/.test(text)) return null;
  const parts: Array<{ partNumber: number; etag: string }> = [];
  for (const m of text.matchAll(/<Part>([\s\S]*?)<\/Part>/g)) {
    const n = /<PartNumber>\s*(\d+)\s*<\/PartNumber>/.exec(m[1]!);
    const e = /<ETag>([\s\S]*?)<\/ETag>/.exec(m[1]!);
    if (!n) return null;
    parts.push({ partNumber: Number(n[1]), etag: (e?.[1] ?? "").replace(/&quot;/g, '"').trim() });
  }
  return parts;
}

/** How a CRC-64 store (COS, OSS) spells the operations it shares with the other one. */
export interface Crc64Dialect {
  /** x-cos-hash-crc64ecma / x-oss-hash-crc64ecma */
  crcHeader: string;
  /** The code for a body that does not match Content-MD5 (COS BadDigest, OSS InvalidDigest). */
  badDigest: string;
  /** The least size of every part but the last. */
  minPartBytes: number;
  /** ETag as the store writes it, quotes included. */
  etag(md5: string, parts: string[] | null): string;
  /** The Location of a completed upload. */
  location(bucketName: string, bucket: BucketState, key: string, call: IncomingCall): string;
  /** A success reply with the store's request id. */
  ok(call: IncomingCall, status: number, body?: Buffer, headers?: Record<string, string>): Reply;
}

/** The object operations COS and OSS answer alike, once the store checked the signature and found the bucket. */
export async function crc64StoreOperation(
  d: Crc64Dialect,
  store: ObjectStore,
  ctx: { now(): Date; save(): Promise<void> },
  call: IncomingCall,
  action: string,
  target: { name: string; bucket: BucketState; key: string },
): Promise<Reply> {
  const { name, bucket, key } = target;
  const q = call.url.searchParams;
  const crc = (value: string) => (call.corruptChecksum ? corruptDecimal(value) : value);
  const objectHeaders = (o: StoredObject) => ({ ETag: d.etag(o.md5, o.partMd5s), [d.crcHeader]: crc(o.crc64) });
  const upload = (): UploadState => {
    const u = bucket.uploads[q.get("uploadId") ?? ""];
    if (!u || u.key !== key)
      throw new StoreError(404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.", {
        UploadId: q.get("uploadId") ?? "",
      });
    return u;
  };
  const now = ctx.now();
  switch (action) {
    case "PutObject": {
      checkContentMd5(call, call.body, d.badDigest);
      const o = await store.put(bucket, key, call.body, now);
      await ctx.save();
      return d.ok(call, 200, undefined, objectHeaders(o));
    }
    case "InitiateMultipartUpload": {
      const id = store.createUpload(bucket, key);
      await ctx.save();
      return d.ok(call, 200, xml("InitiateMultipartUploadResult", { Bucket: name, Key: key, UploadId: id }), { "content-type": "application/xml" });
    }
    case "UploadPart": {
      const n = partNumber(call);
      const u = upload();
      checkContentMd5(call, call.body, d.badDigest);
      const part = await store.putPart(u, n, call.body);
      await ctx.save();
      return d.ok(call, 200, undefined, { ETag: d.etag(part.md5, null), [d.crcHeader]: crc(part.crc64) });
    }
    case "CompleteMultipartUpload": {
      const u = upload();
      const id = q.get("uploadId")!;
      const o = (await store.complete(bucket, id, checkCompletion(u, call.body, d.minPartBytes), now))!;
      await ctx.save();
      const body = xml("CompleteMultipartUploadResult", { Location: d.location(name, bucket, key, call), Bucket: name, Key: key, ETag: d.etag(o.md5, o.partMd5s) });
      return d.ok(call, 200, body, { "content-type": "application/xml", [d.crcHeader]: crc(o.crc64) });
    }
    case "AbortMultipartUpload": {
      upload();
      delete bucket.uploads[q.get("uploadId")!];
      await ctx.save();
      return d.ok(call, 204);
    }
    case "HeadObject":
    case "GetObject": {
      const o = bucket.objects[key];
      if (!o) throw new StoreError(404, "NoSuchKey", "The specified key does not exist.", { Key: key });
      // HEAD too: Node sends the headers (Content-Length of the object) and drops the body.
      return d.ok(call, 200, await store.read(o), { ...objectHeaders(o), "Last-Modified": new Date(o.lastModified).toUTCString(), "Content-Type": "application/zip" });
    }
    case "DeleteObject": {
      store.remove(bucket, key);
      await ctx.save();
      return d.ok(call, 204);
    }
  }
  throw new StoreError(501, "NotImplemented", `The layerctl emulator does not implement ${action}.`);
}

/** Bytes as S3 and OSS echo them in a signature error: two hex digits each, separated by spaces. */
export function spacedHex(text: string): string {
  return [...Buffer.from(text, "utf8")].map((b) => b.toString(16).padStart(2, "0")).join(" ");
}
