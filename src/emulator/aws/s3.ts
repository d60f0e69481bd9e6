// S3 as @aws-sdk/client-s3 (3.1164) speaks it to an endpoint override: path-style addressing
// (http://host:port/<bucket>/<key>), SigV4 for service "s3", flexible checksums (CRC-32) sent as a
// header for buffered bodies or as the trailer of an aws-chunked body
// (x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER) for streamed ones.
// Routing on the shared port: a request is S3's when its SigV4 credential scope names the "s3"
// service (Lambda's is "lambda"), or when its Host is an S3 endpoint name.
// References: S3 API reference (PutObject, CreateMultipartUpload, UploadPart,
// CompleteMultipartUpload, AbortMultipartUpload, HeadObject, DeleteObject), "Error responses"
// (codes and statuses below), "Checking object integrity" (composite checksums), and
// "Authenticating requests (AWS Signature Version 4)" incl. "Signature calculations for the
// Authorization header: transferring payload in multiple chunks" (aws-chunked trailers).
// With tuning.s3Checksums false it answers like the S3-compatible stores that return no checksum
// (moto, MinIO, Ceph RGW, older LocalStack): a checksum sent is still checked against the body,
// but none is returned, in no answer; ETags stay S3's (the MD5, or the MD5 of the parts' MD5s
// with "-N"), and the bad-checksum fault then damages the ETag, the one thing left to check.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { crc32 } from "../../archive/crc32.js";
import {
  pathStyleTarget,
  checkCompletion,
  checkContentMd5,
  header,
  multipartEtag,
  ObjectApi,
  objectAction,
  objectActions,
  partNumber,
  spacedHex,
  StoreError,
  xml,
  type BucketState,
  type StoredObject,
} from "../objects.js";
import type { IncomingCall, Reply } from "../types.js";
import { bodySha256Hex } from "../body.js";
import type { AwsContext } from "./index.js";
import { canonicalQuery, lookUpKey } from "./signature.js";
import type { KeyStore } from "../keys.js";

const S3_HOST = /(^|\.)s3[.-]([a-z0-9-]+\.)?amazonaws\.com(:\d+)?$/i;
const SCOPE = /Credential=[^/]+\/\d{8}\/[^/]+\/s3\/aws4_request/;
/** S3's minimum part size, except for the last part. */
const MIN_PART_BYTES = 5 * 1024 * 1024;

export const S3_ACTIONS = objectActions("CreateMultipartUpload", "UnknownS3Operation");

export function s3Route(call: IncomingCall): string | null {
  const auth = String(call.headers.authorization ?? "");
  if (!SCOPE.test(auth) && !S3_HOST.test(String(call.headers.host ?? ""))) return null;
  return objectAction(call, pathStyleTarget(call).key, "CreateMultipartUpload", "UnknownS3Operation");
}

export class S3Emulator extends ObjectApi<AwsContext> {
  constructor(ctx: AwsContext, keys: KeyStore) {
    super(ctx, keys, { route: s3Route, errorReply });
  }

  /** A signed payload hash (not UNSIGNED-PAYLOAD nor STREAMING-*) is checked against the body. */
  hashesBody(call: IncomingCall): boolean {
    return /^[0-9a-f]{64}$/i.test(header(call, "x-amz-content-sha256") ?? "");
  }

  /** For Lambda: the staged zip, or why it cannot be read. */
  async readForLambda(bucket: string, key: string, region: string): Promise<{ ok: true; bytes: Buffer } | { ok: false; code: string; message: string }> {
    const got = await this.store.readStaged(bucket, key, region);
    if (got.ok) return got;
    if (got.reason === "no-bucket") return { ok: false, code: "NoSuchBucket", message: "The specified bucket does not exist" };
    if (got.reason === "other-region")
      return { ok: false, code: "PermanentRedirect", message: `The bucket is in this region: ${got.bucketRegion}. Please use this region to retry the request` };
    return { ok: false, code: "NoSuchKey", message: "The specified key does not exist." };
  }

  protected async dispatch(call: IncomingCall, action: string): Promise<Reply> {
    const region = this.verify(call);
    const { bucket: name, key } = pathStyleTarget(call);
    if (action === "UnknownS3Operation") throw new StoreError(501, "NotImplemented", "A header or query you provided implies functionality that is not implemented.");
    const bucket = this.bucketIn(name, region);
    const q = call.url.searchParams;
    const now = this.ctx.now();
    switch (action) {
      case "PutObject": {
        const { data, checksum } = this.payload(call);
        const o = await this.store.put(bucket, key, data, now);
        await this.ctx.save();
        return ok(call, 200, undefined, { ETag: this.etag(o.md5, call), ...this.checksumHeader(o, checksum, call.corruptChecksum) });
      }
      case "CreateMultipartUpload": {
        const algorithm = header(call, "x-amz-checksum-algorithm");
        if (algorithm !== undefined && algorithm.toUpperCase() !== "CRC32") throw notImplemented(`checksum algorithm ${algorithm}`);
        const id = this.store.createUpload(bucket, key);
        await this.ctx.save();
        const headers: Record<string, string> = {
          "content-type": "application/xml",
          ...(algorithm && this.ctx.tuning.s3Checksums ? { "x-amz-checksum-algorithm": "CRC32", "x-amz-checksum-type": "COMPOSITE" } : {}),
        };
        return ok(call, 200, xml("InitiateMultipartUploadResult", { Bucket: name, Key: key, UploadId: id }), headers);
      }
      case "UploadPart": {
        const n = partNumber(call);
        const upload = bucket.uploads[q.get("uploadId") ?? ""];
        if (!upload || upload.key !== key) throw noSuchUpload(q.get("uploadId") ?? "");
        const { data, checksum } = this.payload(call);
        const part = await this.store.putPart(upload, n, data);
        await this.ctx.save();
        return ok(call, 200, undefined, {
          ETag: this.etag(part.md5, call),
          ...this.checksumHeader({ ...part, partCrc32s: null, partMd5s: null, lastModified: "" }, checksum, call.corruptChecksum),
        });
      }
      case "CompleteMultipartUpload": {
        const id = q.get("uploadId") ?? "";
        const upload = bucket.uploads[id];
        if (!upload || upload.key !== key) throw noSuchUpload(id);
        const o = (await this.store.complete(bucket, id, checkCompletion(upload, call.body, MIN_PART_BYTES), now))!;
        await this.ctx.save();
        return ok(
          call,
          200,
          xml("CompleteMultipartUploadResult", {
            Location: `${this.ctx.baseUrl()}/${name}/${encodeURIComponent(key).replace(/%2F/g, "/")}`,
            Bucket: name,
            Key: key,
            ETag: this.etag(multipartEtag(o), call),
            ...(this.ctx.tuning.s3Checksums ? { ChecksumCRC32: compositeCrc32(o, call.corruptChecksum), ChecksumType: "COMPOSITE" } : {}),
          }),
          { "content-type": "application/xml" },
        );
      }
      case "AbortMultipartUpload": {
        const id = q.get("uploadId") ?? "";
        if (!bucket.uploads[id]) throw noSuchUpload(id);
        delete bucket.uploads[id];
        await this.ctx.save();
        return ok(call, 204);
      }
      case "HeadObject":
      case "GetObject": {
        const o = bucket.objects[key];
        if (!o) throw new StoreError(404, "NoSuchKey", "The specified key does not exist.", { Key: key });
        const headers: Record<string, string> = {
          ETag: this.etag(o.partMd5s ? multipartEtag(o) : o.md5, call),
          "Last-Modified": new Date(o.lastModified).toUTCString(),
          "Content-Type": "application/zip",
        };
        if (header(call, "x-amz-checksum-mode")?.toUpperCase() === "ENABLED" && this.ctx.tuning.s3Checksums) {
          headers["x-amz-checksum-crc32"] = o.partCrc32s ? compositeCrc32(o, call.corruptChecksum) : crc32Base64(o.crc32, call.corruptChecksum);
          headers["x-amz-checksum-type"] = o.partCrc32s ? "COMPOSITE" : "FULL_OBJECT";
        }
        // HEAD too: Node sends the headers (Content-Length of the object) and drops the body.
        return ok(call, 200, await this.store.read(o), headers);
      }
      case "DeleteObject": {
        this.store.remove(bucket, key);
        await this.ctx.save();
        return ok(call, 204);
      }
    }
    throw notImplemented(action);
  }

  /** A quoted ETag; damaged by the bad-checksum fault when it is the only check the store offers. */
  private etag(value: string, call: IncomingCall): string {
    const damaged = call.corruptChecksum && !this.ctx.tuning.s3Checksums;
    return `"${damaged ? `${value.slice(0, 31)}${value[31] === "0" ? "1" : "0"}${value.slice(32)}` : value}"`;
  }

  /** S3 echoes the checksum it computed when the request carried one; a store without checksums never does. */
  private checksumHeader(o: StoredObject, sent: boolean, corrupt: boolean): Record<string, string> {
    return sent && this.ctx.tuning.s3Checksums ? { "x-amz-checksum-crc32": crc32Base64(o.crc32, corrupt) } : {};
  }

  private bucketIn(name: string, region: string): BucketState {
    const found = this.store.bucket(name, region);
    if (found.ok) return found.value;
    if (found.reason === "other-region") {
      // S3 answers a SigV4 request signed for another region than the bucket's with this error.
      throw new StoreError(400, "AuthorizationHeaderMalformed", `The authorization header is malformed; the region '${region}' is wrong; expecting '${found.bucketRegion}'`, {
        Region: found.bucketRegion!,
      });
    }
    throw new StoreError(404, "NoSuchBucket", "The specified bucket does not exist", { BucketName: name });
  }

  /** SigV4 as @smithy/signature-v4 signs for S3: the path as sent (not escaped twice), the x-amz-content-sha256 header as the payload hash. */
  private verify(call: IncomingCall): string {
    const auth = header(call, "authorization");
    if (!auth) throw new StoreError(403, "AccessDenied", "Access Denied");
    const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
    if (!m)
      throw new StoreError(
        400,
        "AuthorizationHeaderMalformed",
        'The authorization header is malformed; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
      );
    const [, keyId, scopeDate, region, signedList, signature] = m as unknown as [string, string, string, string, string, string];
    // Temporary keys come with their session token (x-amz-security-token); S3's "Error responses"
    // table: ExpiredToken and InvalidToken, both 400.
    const key = lookUpKey(this.keys, keyId, header(call, "x-amz-security-token"), {
      unknownKey: () => new StoreError(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.", { AWSAccessKeyId: keyId }),
      badToken: () => new StoreError(400, "InvalidToken", "The provided token is malformed or otherwise invalid."),
      expiredToken: () => new StoreError(400, "ExpiredToken", "The provided token has expired."),
    });
    const amzDate = header(call, "x-amz-date") ?? "";
    const t = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
    if (!t) throw new StoreError(403, "AccessDenied", "AWS authentication requires a valid Date or x-amz-date header");
    const when = Date.UTC(+t[1]!, +t[2]! - 1, +t[3]!, +t[4]!, +t[5]!, +t[6]!);
    if (Math.abs(when - this.ctx.now().getTime()) > this.ctx.tuning.maxClockSkewMs) {
      throw new StoreError(403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.", {
        RequestTime: amzDate,
        ServerTime: this.ctx.now().toISOString(),
      });
    }
    const payloadHash = header(call, "x-amz-content-sha256");
    if (!payloadHash) throw new StoreError(400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256");
    const signed = signedList.split(";");
    const canonicalHeaders = signed.map((h) => `${h}:${(header(call, h) ?? "").replace(/\s+/g, " ").trim()}\n`).join("");
    const canonical = [call.method, call.rawPath, canonicalQuery(call.url.search), canonicalHeaders, signedList, payloadHash].join("\n");
    const scope = `${scopeDate}/${region}/s3/aws4_request`;
    const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${createHash("sha256").update(canonical).digest("hex")}`;
    let k: Buffer = createHmac("sha256", `AWS4${key.secret}`).update(scopeDate).digest();
    for (const part of [region, "s3", "aws4_request"]) k = createHmac("sha256", k).update(part).digest();
    const expected = createHmac("sha256", k).update(toSign).digest();
    if (!timingSafeEqual(expected, Buffer.from(signature, "hex"))) {
      // S3 echoes what it signed, also as bytes in space-separated hex (its error response for
      // SignatureDoesNotMatch): the session token, a signed header, is in there in every form.
      throw new StoreError(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.", {
        AWSAccessKeyId: keyId,
        StringToSign: toSign,
        SignatureProvided: signature,
        StringToSignBytes: spacedHex(toSign),
        CanonicalRequest: canonical,
        CanonicalRequestBytes: spacedHex(canonical),
      });
    }
    return region;
  }

  /** The object's bytes and the CRC-32 the client sent (header or aws-chunked trailer), both checked. */
  private payload(call: IncomingCall): { data: Buffer; checksum: boolean } {
    const hash = header(call, "x-amz-content-sha256")!;
    let data = call.body;
    let trailer: Record<string, string> = {};
    if (hash === "STREAMING-UNSIGNED-PAYLOAD-TRAILER") {
      if (!/(^|,)\s*aws-chunked\s*(,|$)/.test(header(call, "content-encoding") ?? ""))
        throw new StoreError(400, "InvalidArgument", "aws-chunked content encoding is required for streaming payloads");
      ({ data, trailer } = decodeChunked(call.body));
      const declared = header(call, "x-amz-decoded-content-length");
      if (declared === undefined || Number(declared) !== data.length) {
        throw new StoreError(400, "IncompleteBody", "You did not provide the number of bytes specified by the x-amz-decoded-content-length HTTP header");
      }
    } else if (hash.startsWith("STREAMING-")) {
      // Signed chunks (STREAMING-AWS4-HMAC-SHA256-PAYLOAD...): the SDK does not send them; not emulated.
      throw notImplemented(`x-amz-content-sha256 ${hash}`);
    } else if (hash !== "UNSIGNED-PAYLOAD" && hash !== bodySha256Hex(call)) {
      throw new StoreError(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
    checkContentMd5(call, data, "BadDigest");
    const algorithm = (header(call, "x-amz-sdk-checksum-algorithm") ?? "").toUpperCase();
    const sent = header(call, "x-amz-checksum-crc32") ?? trailer["x-amz-checksum-crc32"];
    for (const name of [...Object.keys(trailer), ...Object.keys(call.headers)]) {
      if (/^x-amz-checksum-(?!crc32$|mode$|algorithm$|type$)/.test(name)) throw notImplemented(`${name} (the emulator checks CRC32 only)`);
    }
    if (algorithm && algorithm !== "CRC32") throw notImplemented(`checksum algorithm ${algorithm}`);
    if (sent !== undefined && sent !== crc32Base64(crc32(data))) throw new StoreError(400, "BadDigest", "The CRC32 you specified did not match the calculated checksum.");
    return { data, checksum: sent !== undefined };
  }
}

/** aws-chunked: "<hex size>[;ext]\r\n<bytes>\r\n" ... "0\r\n" then trailer lines and an empty line. */
function decodeChunked(body: Buffer): { data: Buffer; trailer: Record<string, string> } {
  const chunks: Buffer[] = [];
  let p = 0;
  const bad = () => new StoreError(400, "InvalidChunkSizeError", "Only the last chunk is allowed to have a size less than 8192 bytes");
  for (;;) {
    const eol = body.indexOf("\r\n", p);
    if (eol === -1) throw bad();
    const size = Number.parseInt(body.toString("latin1", p, eol).split(";")[0]!, 16);
    if (!Number.isFinite(size) || size < 0) throw bad();
    p = eol + 2;
    if (size === 0) break;
    if (p + size + 2 > body.length) throw new StoreError(400, "IncompleteBody", "The request body terminated unexpectedly");
    chunks.push(body.subarray(p, p + size));
    p += size + 2;
  }
  const trailer: Record<string, string> = {};
  for (const line of body.toString("latin1", p).split("\r\n")) {
    if (line === "") continue;
    const colon = line.indexOf(":");
    if (colon > 0) trailer[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { data: Buffer.concat(chunks), trailer };
}

function crc32Base64(value: number, corrupt = false): string {
  const b = Buffer.alloc(4);
  b.writeUInt32BE((corrupt ? value ^ 1 : value) >>> 0);
  return b.toString("base64");
}

function compositeCrc32(o: StoredObject, corrupt: boolean): string {
  const raw = Buffer.concat((o.partCrc32s ?? [o.crc32]).map((c) => Buffer.from(crc32Base64(c), "base64")));
  return `${crc32Base64(crc32(raw), corrupt)}-${(o.partCrc32s ?? [o.crc32]).length}`;
}

function noSuchUpload(id: string): StoreError {
  return new StoreError(404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.", {
    UploadId: id,
  });
}

function notImplemented(what: string): StoreError {
  return new StoreError(501, "NotImplemented", `A header or query you provided implies functionality that is not implemented (layerctl emulator: ${what}).`);
}

function ok(call: IncomingCall, status: number, body?: Buffer, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { "x-amz-request-id": call.requestId.replace(/-/g, "").slice(0, 16).toUpperCase(), "x-amz-id-2": hostId(call), ...headers },
    body: body ?? Buffer.alloc(0),
  };
}

function errorReply(call: IncomingCall, err: StoreError): Reply {
  const requestId = call.requestId.replace(/-/g, "").slice(0, 16).toUpperCase();
  const headers: Record<string, string> = { "x-amz-request-id": requestId, "x-amz-id-2": hostId(call) };
  // A HEAD answer has no body: the SDK names the error after the status (NotFound, Forbidden...).
  if (call.method === "HEAD") return { status: err.status, headers, body: Buffer.alloc(0) };
  if (err.code === "SlowDown" || err.status === 503) headers["Retry-After"] = "1";
  return {
    status: err.status,
    headers: { ...headers, "content-type": "application/xml" },
    body: xml("Error", { Code: err.code, Message: err.message, ...err.extra, RequestId: requestId, HostId: hostId(call) }),
  };
}

function hostId(call: IncomingCall): string {
  return Buffer.from(call.requestId).toString("base64");
}
