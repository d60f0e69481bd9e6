// OSS as ali-oss 6.x speaks it to an endpoint override: with `sldEnable` the bucket is the first
// path segment (http://host:port/<bucket>/<key>); ali-oss still sends Host
// <bucket>.oss-<region>.aliyuncs.com, which is where the region comes from.
// Routing on the shared port: a request is OSS's when it is signed "OSS <AccessKeyId>:<signature>"
// (FC's ACS3 signature is "ACS3-HMAC-SHA256 ..."), or its Host is an OSS endpoint name.
// Signature (V1, ali-oss's default; OSS "Include signatures in the Authorization header" doc and
// ali-oss lib/common/signUtils.js): base64(HMAC-SHA1(secret, VERB \n Content-MD5 \n Content-Type \n
// Date-or-x-oss-date \n x-oss-* headers (sorted, "k:v" lines) \n /<bucket>/<key>[?subresources])).
// Errors: OSS error code docs (NoSuchBucket 404, NoSuchKey 404, NoSuchUpload 404, InvalidPart 400,
// InvalidPartOrder 400, EntityTooSmall 400, InvalidDigest 400, SignatureDoesNotMatch 403,
// InvalidAccessKeyId 403, RequestTimeTooSkewed 403, and AccessDenied 403 "must be addressed using
// the specified endpoint" for a bucket of another region). Throttling: OSS documents 503 for
// request-rate limits; references are silent on the code, SlowDown is used (as S3 and COS).
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import {
  crc64StoreOperation,
  header,
  multipartEtag,
  ObjectApi,
  objectAction,
  objectActions,
  type ObjectStore,
  pathStyleTarget,
  spacedHex,
  StoreError,
  xml,
  type BucketState,
  type Crc64Dialect,
} from "../objects.js";
import type { IncomingCall, Reply } from "../types.js";
import type { AliyunContext } from "./index.js";
import type { KeyStore } from "../keys.js";

const OSS_HOST = /^([a-z0-9-]+)\.oss-([a-z0-9-]+?)(?:-internal)?\.aliyuncs\.com(?::\d+)?$/;
/** OSS parts are at least 100 KB, except the last. */
const MIN_PART_BYTES = 100 * 1024;
/** The sub-resources ali-oss puts into the signed resource for these operations. */
const SUBRESOURCES = new Set(["uploads", "uploadId", "partNumber", "acl", "delete", "tagging", "versionId"]);

export const OSS_ACTIONS = objectActions("InitiateMultipartUpload", "UnknownOssOperation");

/** STS keys lent with FC's temporary bucket: one PutObject of one key in that bucket, nothing else. */
export interface LentKey {
  accessKeySecret: string;
  securityToken: string;
  bucket: string;
  /** The object FC named for this upload (<accountId>/<objectName>). */
  objectKey: string;
  expires: number;
}

export function ossRoute(call: IncomingCall): string | null {
  const auth = String(call.headers.authorization ?? "");
  if (!auth.startsWith("OSS ") && !auth.startsWith("OSS4-HMAC-SHA256 ") && !OSS_HOST.test(String(call.headers.host ?? ""))) return null;
  return objectAction(call, pathStyleTarget(call).key, "InitiateMultipartUpload", "UnknownOssOperation");
}

export class OssEmulator extends ObjectApi<AliyunContext> {
  private readonly lent = new Map<string, LentKey>();

  constructor(ctx: AliyunContext, keys: KeyStore) {
    super(ctx, keys, { route: ossRoute, errorReply });
  }

  /** FC's temporary bucket for a region (created on first use) and STS keys to put `objectKey` there. */
  lendTemporaryBucket(region: string, objectKey: string): { bucket: string; accessKeyId: string; key: LentKey } {
    const bucket = `fc-temp-code-${region}`;
    this.store.addBucket(bucket, region);
    const accessKeyId = `STS.${randomBytes(12).toString("hex")}`;
    const key: LentKey = {
      accessKeySecret: randomBytes(20).toString("base64"),
      securityToken: randomBytes(48).toString("base64"),
      bucket,
      objectKey,
      expires: this.ctx.now().getTime() + 3600_000,
    };
    this.lent.set(accessKeyId, key);
    return { bucket, accessKeyId, key };
  }

  /** For FC: the staged zip, or the store's reason it is not there. */
  readForFc(bucket: string, key: string, region: string): ReturnType<ObjectStore["readStaged"]> {
    return this.store.readStaged(bucket, key, region);
  }

  protected async dispatch(call: IncomingCall, action: string): Promise<Reply> {
    const { bucket: name, key } = pathStyleTarget(call);
    const lent = this.verify(call, name, key);
    if (action === "UnknownOssOperation") throw new StoreError(501, "NotImplemented", "The layerctl emulator does not implement this OSS request.");
    // Lent keys: the one upload the reference clients make (one PutObject of the object FC named);
    // their policy beyond that is not documented, so anything else is refused as a policy would.
    if (lent !== null && (lent.bucket !== name || action !== "PutObject" || key !== lent.objectKey)) {
      throw new StoreError(
        403,
        "AccessDenied",
        `You have no right to access this object because of bucket acl (the temporary credentials allow one PutObject of ${lent.objectKey}).`,
      );
    }
    const hostRegion = OSS_HOST.exec(String(call.headers.host ?? ""))?.[2];
    return crc64StoreOperation(OSS_DIALECT, this.store, this.ctx, call, action, { name, bucket: this.bucketIn(name, hostRegion), key });
  }

  private bucketIn(name: string, hostRegion: string | undefined): BucketState {
    const found = this.store.bucket(name, hostRegion);
    if (found.ok) return found.value;
    if (found.reason === "other-region") {
      throw new StoreError(
        403,
        "AccessDenied",
        "The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.",
        {
          BucketName: name,
          Endpoint: `oss-${found.bucketRegion}.aliyuncs.com`,
        },
      );
    }
    throw new StoreError(404, "NoSuchBucket", "The specified bucket does not exist.", { BucketName: name });
  }

  /** Checks the V1 signature; returns what a lent (STS) key is limited to, or null for the account's own key. */
  private verify(call: IncomingCall, bucket: string, key: string): LentKey | null {
    const auth = header(call, "authorization");
    if (!auth) throw new StoreError(403, "AccessDenied", "You have no right to access this object because of bucket acl.");
    const m = /^OSS ([^:]+):(.+)$/.exec(auth);
    if (!m) throw new StoreError(400, "InvalidArgument", "Authorization header is invalid (the layerctl emulator checks the OSS V1 signature ali-oss sends by default).");
    const [, keyId, signature] = m as unknown as [string, string, string];
    let secret: string;
    let lentFor: LentKey | null = null;
    const lent = this.lent.get(keyId);
    const found = this.keys.find(keyId);
    if (found) {
      // The account's key, or one its STS issued (with x-oss-security-token): OSS error codes
      // 0002-00000007 SecurityTokenExpired and 0002-00000002 for a token that does not fit.
      const problem = this.keys.tokenProblem(found, header(call, "x-oss-security-token"));
      if (problem === "expired") throw new StoreError(403, "SecurityTokenExpired", "The security token you provided has expired.");
      if (problem) throw new StoreError(403, "InvalidAccessKeyId", "The security token you provided is invalid.");
      secret = found.secret;
    } else if (lent) {
      if (header(call, "x-oss-security-token") !== lent.securityToken) throw new StoreError(403, "InvalidAccessKeyId", "The security token you provided is invalid.");
      if (this.ctx.now().getTime() > lent.expires) throw new StoreError(403, "SecurityTokenExpired", "The security token you provided has expired.");
      secret = lent.accessKeySecret;
      lentFor = lent;
    } else throw new StoreError(403, "InvalidAccessKeyId", "The OSS Access Key Id you provided does not exist in our records.", { OSSAccessKeyId: keyId });
    const date = header(call, "x-oss-date") ?? header(call, "date") ?? "";
    const when = Date.parse(date);
    if (Number.isNaN(when)) throw new StoreError(403, "AccessDenied", "Date header is missing or not an RFC 1123 date.");
    if (Math.abs(when - this.ctx.now().getTime()) > this.ctx.tuning.maxClockSkewMs) {
      throw new StoreError(403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.", {
        RequestTime: date,
        ServerTime: this.ctx.now().toUTCString(),
      });
    }
    const ossHeaders = Object.keys(call.headers)
      .filter((h) => h.startsWith("x-oss-"))
      .sort()
      .map((h) => `${h}:${(header(call, h) ?? "").trim()}`);
    const sub = [...call.url.searchParams].filter(([k]) => SUBRESOURCES.has(k)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const resource = `/${bucket}/${key}${sub.length ? `?${sub.map(([k, v]) => (v === "" ? k : `${k}=${v}`)).join("&")}` : ""}`;
    const canonical = [call.method, header(call, "content-md5") ?? "", header(call, "content-type") ?? "", date, ...ossHeaders, resource].join("\n");
    const expected = createHmac("sha1", secret).update(canonical, "utf8").digest();
    const given = Buffer.from(signature, "base64");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      // OSS echoes what it signed, also as bytes in space-separated hex (StringToSignBytes).
      throw new StoreError(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.", {
        StringToSign: canonical,
        StringToSignBytes: spacedHex(canonical),
        OSSAccessKeyId: keyId,
      });
    }
    return lentFor;
  }
}

function requestId(call: IncomingCall): string {
  return call.requestId.replace(/-/g, "").slice(0, 24).toUpperCase();
}

const OSS_DIALECT: Crc64Dialect = {
  crcHeader: "x-oss-hash-crc64ecma",
  badDigest: "InvalidDigest",
  minPartBytes: MIN_PART_BYTES,
  // OSS writes ETags in upper case.
  etag: (md5, parts) => `"${(parts ? multipartEtag({ md5, partMd5s: parts }) : md5).toUpperCase()}"`,
  location: (name, bucket, key) => `http://${name}.oss-${bucket.region}.aliyuncs.com/${key}`,
  ok,
};

function ok(call: IncomingCall, status: number, body?: Buffer, headers: Record<string, string> = {}): Reply {
  return { status, headers: { "x-oss-request-id": requestId(call), ...headers }, body: body ?? Buffer.alloc(0) };
}

function errorReply(call: IncomingCall, err: StoreError): Reply {
  const headers: Record<string, string> = { "x-oss-request-id": requestId(call) };
  if (call.method === "HEAD") return { status: err.status, headers, body: Buffer.alloc(0) };
  return {
    status: err.status,
    headers: { ...headers, "content-type": "application/xml" },
    body: xml("Error", { Code: err.code, Message: err.message, RequestId: requestId(call), HostId: String(call.headers.host ?? ""), ...err.extra }),
  };
}
