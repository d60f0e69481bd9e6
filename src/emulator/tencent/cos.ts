// COS (XML API) as cos-nodejs-sdk-v5 3.x speaks it. The SDK builds virtual-hosted URLs only; with
// its `Ip` option (how layerctl points it at an endpoint override) the connection comes here and
// the Host header keeps the real name: <bucket>-<appid>.cos.<region>.myqcloud.com.
// Routing on the shared port: a request is COS's when its Host is such a name (bucket and region
// come from it, as at the real endpoint).
// Signature: the "q-sign-algorithm=sha1" Authorization header (COS "Request signature" doc,
// product/436/7778, and the SDK's util.getAuth): SignKey = HMAC-SHA1(SecretKey, q-key-time);
// HttpString = method \n /key \n params \n headers \n; StringToSign = sha1 \n q-sign-time \n
// sha1(HttpString) \n; signature = HMAC-SHA1(SignKey, StringToSign), all hex.
// Errors: COS "Error codes" doc (NoSuchBucket 404, NoSuchKey 404, NoSuchUpload 404, InvalidPart 400,
// EntityTooSmall 400, SignatureDoesNotMatch 403, InvalidAccessKeyId 403, AccessDenied 403
// "Request has expired", SlowDown 503, InternalError 500). A bucket asked for at another region's
// endpoint is not known there: NoSuchBucket (references silent on a code of its own).
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import {
  crc64StoreOperation,
  header,
  multipartEtag,
  ObjectApi,
  objectAction,
  objectActions,
  type ObjectStore,
  StoreError,
  xml,
  type BucketState,
  type Crc64Dialect,
  type StoredObject,
} from "../objects.js";
import type { IncomingCall, Reply } from "../types.js";
import type { TencentContext } from "./index.js";
import type { KeyStore } from "../keys.js";

const COS_HOST = /^([a-z0-9-]+-\d+)\.cos\.([a-z0-9-]+)\.myqcloud\.com(?::\d+)?$/;
/** COS parts are at least 1 MB, except the last. */
const MIN_PART_BYTES = 1024 * 1024;

export const COS_ACTIONS = objectActions("InitiateMultipartUpload", "UnknownCosOperation");

export function cosRoute(call: IncomingCall): string | null {
  if (!COS_HOST.test(String(call.headers.host ?? ""))) return null;
  return objectAction(call, call.rawPath.slice(1), "InitiateMultipartUpload", "UnknownCosOperation");
}

/** COS's own encoding (the SDK's camSafeUrlEncode): encodeURIComponent plus !'()*. */
function camSafe(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export class CosEmulator extends ObjectApi<TencentContext> {
  constructor(ctx: TencentContext, keys: KeyStore) {
    super(ctx, keys, { route: cosRoute, errorReply });
  }

  /** For SCF: the staged object's record now, without its bytes (undefined: not there). */
  stagedObject(bucket: string, key: string, region: string): StoredObject | undefined {
    const found = this.store.object(bucket, key, region);
    return found.ok ? found.value : undefined;
  }

  /** For SCF: called before an object is deleted, with a test of whether it is that bucket (named with its APPID), key and region. */
  watchRemovals(watcher: (removing: (bucket: string, key: string, region: string) => boolean) => void): void {
    this.store.watchRemovals((b, removedKey) =>
      watcher((bucket, key, region) => {
        const found = this.store.bucket(bucket, region);
        return key === removedKey && found.ok && found.value === b;
      }),
    );
  }

  /** For SCF: the staged zip (bucket named with its APPID), or the store's reason it is not there. */
  readForScf(bucket: string, key: string, region: string): ReturnType<ObjectStore["readStaged"]> {
    return this.store.readStaged(bucket, key, region);
  }

  protected async dispatch(call: IncomingCall, action: string): Promise<Reply> {
    const [, bucketName, region] = COS_HOST.exec(String(call.headers.host))! as unknown as [string, string, string];
    const key = this.verify(call);
    if (action === "UnknownCosOperation") throw new StoreError(501, "NotImplemented", "The layerctl emulator does not implement this COS request.");
    if (!bucketName.endsWith(`-${this.ctx.credentials.appId}`)) throw new StoreError(403, "AccessDenied", "Access Denied.");
    return crc64StoreOperation(COS_DIALECT, this.store, this.ctx, call, action, { name: bucketName, bucket: this.bucketIn(bucketName, region), key });
  }

  private bucketIn(name: string, region: string): BucketState {
    const found = this.store.bucket(name, region);
    if (found.ok) return found.value;
    throw new StoreError(404, "NoSuchBucket", "The specified bucket does not exist.");
  }

  /** Checks the q-sign-algorithm=sha1 signature; returns the object key it covers. */
  private verify(call: IncomingCall): string {
    const auth = header(call, "authorization");
    if (!auth) throw new StoreError(403, "AccessDenied", "Access Denied.");
    const f = new Map(auth.split("&").map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)] as const));
    const need = ["q-sign-algorithm", "q-ak", "q-sign-time", "q-key-time", "q-header-list", "q-url-param-list", "q-signature"];
    if (need.some((k) => !f.has(k)) || f.get("q-sign-algorithm") !== "sha1") throw new StoreError(403, "AccessDenied", "Authorization is not a q-sign-algorithm=sha1 signature.");
    const found = this.keys.find(f.get("q-ak")!);
    if (!found) throw new StoreError(403, "InvalidAccessKeyId", "The access key Id format you provided is invalid.");
    // Temporary keys send their token in x-cos-security-token. The COS error-code table names no
    // code for an expired one; ExpiredToken/InvalidToken are S3's, whose error codes COS follows.
    const problem = this.keys.tokenProblem(found, header(call, "x-cos-security-token"));
    if (problem === "expired") throw new StoreError(400, "ExpiredToken", "The provided token has expired.");
    if (problem) throw new StoreError(403, "InvalidToken", "The provided token is malformed or otherwise invalid.");
    const [start, end] = f.get("q-sign-time")!.split(";").map(Number) as [number, number];
    const now = this.ctx.now().getTime() / 1000;
    const skew = this.ctx.tuning.maxClockSkewMs / 1000;
    // The SDK recognises this exact message as a clock problem (and corrects its clock from Date).
    if (!(start - skew <= now && now <= end)) throw new StoreError(403, "AccessDenied", "Request has expired");
    let key: string;
    try {
      key = decodeURIComponent(call.rawPath.slice(1));
    } catch {
      key = call.rawPath.slice(1);
    }
    const params = f.get("q-url-param-list")!.split(";").filter(Boolean);
    const query = new Map<string, string>();
    for (const [k, v] of call.url.searchParams) query.set(camSafe(k).toLowerCase(), v);
    const paramString = params.map((k) => `${k}=${camSafe(query.get(k) ?? "")}`).join("&");
    const headers = f.get("q-header-list")!.split(";").filter(Boolean);
    const headerString = headers.map((h) => `${h}=${camSafe(header(call, h) ?? "")}`).join("&");
    const httpString = [call.method.toLowerCase(), `/${key}`, paramString, headerString, ""].join("\n");
    const signKey = createHmac("sha1", found.secret).update(f.get("q-key-time")!).digest("hex");
    const stringToSign = ["sha1", f.get("q-sign-time")!, createHash("sha1").update(httpString).digest("hex"), ""].join("\n");
    const expected = createHmac("sha1", signKey).update(stringToSign).digest();
    const given = /^[0-9a-f]{40}$/.test(f.get("q-signature")!) ? Buffer.from(f.get("q-signature")!, "hex") : Buffer.alloc(0);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new StoreError(403, "SignatureDoesNotMatch", "The Signature you specified is invalid.");
    return key;
  }
}

const COS_DIALECT: Crc64Dialect = {
  crcHeader: "x-cos-hash-crc64ecma",
  badDigest: "BadDigest",
  minPartBytes: MIN_PART_BYTES,
  etag: (md5, parts) => `"${parts ? multipartEtag({ md5, partMd5s: parts }) : md5}"`,
  location: (_name, _bucket, key, call) => `${String(call.headers.host)}/${key}`,
  ok,
};

function ok(call: IncomingCall, status: number, body?: Buffer, headers: Record<string, string> = {}): Reply {
  const xmlBody = body !== undefined && body[0] === 0x3c && !("Content-Type" in headers);
  return { status, headers: { "x-cos-request-id": cosRequestId(call), ...(xmlBody ? { "content-type": "application/xml" } : {}), ...headers }, body: body ?? Buffer.alloc(0) };
}

function errorReply(call: IncomingCall, err: StoreError): Reply {
  const headers: Record<string, string> = { "x-cos-request-id": cosRequestId(call) };
  if (call.method === "HEAD") return { status: err.status, headers, body: Buffer.alloc(0) };
  return {
    status: err.status,
    headers: { ...headers, "content-type": "application/xml" },
    body: xml("Error", {
      Code: err.code,
      Message: err.message,
      Resource: `${String(call.headers.host)}${call.rawPath}`,
      RequestId: cosRequestId(call),
      TraceId: Buffer.from(call.requestId).toString("base64"),
    }),
  };
}

/** COS request ids are base64-looking strings. */
function cosRequestId(call: IncomingCall): string {
  return Buffer.from(call.requestId.replace(/-/g, ""), "hex").toString("base64").replace(/=+$/, "");
}
