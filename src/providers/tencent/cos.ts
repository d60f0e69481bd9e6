// COS behind the ObjectWriter interface (src/providers/object-upload.ts), through
// cos-nodejs-sdk-v5, imported lazily: only a publish that stages in COS loads it.
// - Addressing: the SDK only builds virtual-hosted URLs (its ForcePathStyle option throws), so an
//   endpoint override goes through the SDK's `Ip` option: the TCP connection goes to the
//   override, the Host header stays <bucket>.cos.<region>.myqcloud.com (signed, as COS checks).
// - Retries: the SDK repeats a failed request itself (up to 3 times on 5xx) unless the body is a
//   stream, so every body is a stream and retryCall does the retrying, one part at a time.
// - Integrity: COS returns x-cos-hash-crc64ecma (CRC-64/XZ) for every PUT and part; ours must match.
import { Readable } from "node:stream";
import { CloudError } from "../../errors.js";
import { NEVER_SENT_CODES, SOCKET_ERROR_CODES } from "../network.js";
import { abortPolicy, BucketClient, DEFAULT_UPLOAD, uploadFile, type Digests, type ObjectWriter, type UploadedPart } from "../object-upload.js";
import { cloudCall, retryCall } from "../retry.js";
import { abortCommand, removeCommand } from "./storage-commands.js";
import { storageEndpointUrl } from "../storage-endpoint.js";
import { integrityError, withBucketHint } from "../storage-errors.js";
import type { ConnectOptions, StagedObject, StorageClient } from "../types.js";
import { asTencentCredentials } from "./credentials.js";
import { isExpiredToken } from "./errors.js";
import { withFreshKeys, type CredentialCache } from "../credential-cache.js";

type CosClient = {
  [op: string]: (params: Record<string, unknown>, cb: (err: unknown, data: CosData) => void) => void;
};
interface CosData {
  statusCode?: number;
  headers?: Record<string, string>;
  UploadId?: string;
  ETag?: string;
}

export async function connectCos(opts: ConnectOptions, storage: { bucket?: string; endpoint?: string }): Promise<StorageClient> {
  if (!storage.bucket) throw new Error("internal: COS staging needs a bucket");
  const creds = asTencentCredentials(opts.credentials);
  const mod = (await import("cos-nodejs-sdk-v5")) as unknown as { default?: CosModule };
  const COS = (mod.default ?? mod) as unknown as CosModule;
  const options: Record<string, unknown> = {
    // Each request is signed with the keys of the moment (renewed ones after a refresh), by the
    // SDK's own signer: an Authorization string handed back makes the SDK keep no keys of its own.
    getAuthorization(o: AuthorizationRequest, done: (auth: { Authorization: string; SecurityToken?: string } | string) => void) {
      creds.keys.get().then(
        (k) =>
          done({
            Authorization: COS.getAuthorization({ ...o, SecretId: k.keyId, SecretKey: k.secret }),
            SecurityToken: k.token ?? "",
          }),
        // A key that cannot be had signs nothing: the request fails with the SDK's format error,
        // and the call (which got the keys first, see CosStorage.call) has the real one.
        () => done(""),
      );
    },
    Timeout: opts.requestTimeoutMs,
    // The backup domain (tencentcos.cn) is another host than the one the user allowed.
    AutoSwitchHost: false,
    KeepAlive: true,
  };
  if (storage.endpoint !== undefined) {
    const url = storageEndpointUrl(storage.endpoint, "COS", "tencent");
    options.Protocol = url.protocol;
    options.Ip = url.host;
  }
  return new CosStorage(new COS(options), storage.bucket, opts, creds.keys, storage.endpoint);
}

/** The module's export: the client class, with the SDK's signer as a static (util.getAuth). */
type CosModule = (new (o: object) => CosClient) & { getAuthorization(o: Record<string, unknown>): string };

/** What the SDK passes getAuthorization (Method, Pathname, Query, Headers, ForceSignHost, ...). */
type AuthorizationRequest = Record<string, unknown>;

const BUCKET_HINTS = (bucket: string, region: string): Record<string, string> => ({
  // COS answers NoSuchBucket for a bucket in another region too (the regional endpoint does not know it).
  NoSuchBucket: `COS bucket ${bucket} does not exist in ${region}; SCF reads layers only from a bucket in the layer's region`,
  AccessDenied: `the credentials may not write to COS bucket ${bucket}; check its policy (PutObject, DeleteObject)`,
});

interface CosErrorShape {
  code?: unknown;
  message?: unknown;
  statusCode?: unknown;
  headers?: Record<string, string>;
  error?: { Code?: string; Message?: string; RequestId?: string } | string;
}

function toCloudError(err: unknown, action: string, secrets: string[]): CloudError {
  if (err instanceof CloudError) return err;
  const e = (err ?? {}) as CosErrorShape;
  const scrub = (s: string) => secrets.filter((x) => x.length >= 4).reduce((out, x) => out.split(x).join("****"), s);
  const body = typeof e.error === "object" && e.error !== null ? e.error : undefined;
  const status = typeof e.statusCode === "number" ? e.statusCode : undefined;
  const code = body?.Code || (typeof e.code === "string" ? e.code : "") || "CosError";
  const message = scrub(body?.Message || (typeof e.message === "string" ? e.message : String(err)));
  const requestId = e.headers?.["x-cos-request-id"] || body?.RequestId || undefined;
  if (status !== undefined) {
    const throttled = status === 429 || status === 503 || code === "SlowDown";
    return new CloudError(`COS ${action}: ${message}`, {
      code,
      provider: "tencent",
      requestId,
      httpStatus: status,
      retryable: throttled || status >= 500 || code === "RequestTimeout",
      unprocessed: throttled,
      cause: err,
    });
  }
  if (SOCKET_ERROR_CODES.has(code) || code === "ESOCKETTIMEDOUT" || /socket hang up/i.test(message)) {
    return new CloudError(`COS ${action}: connection failed (${code}): ${message}`, {
      code: code === "ETIMEDOUT" || code === "ESOCKETTIMEDOUT" ? "RequestTimeout" : "NetworkError",
      provider: "tencent",
      retryable: true,
      unprocessed: NEVER_SENT_CODES.has(code),
      hint: "check the network and the COS endpoint",
      cause: err,
    });
  }
  return new CloudError(`COS ${action}: ${message}`, { code, provider: "tencent", cause: err });
}

class CosStorage extends BucketClient implements StorageClient, ObjectWriter {
  readonly removable = true;
  readonly usesCrc64 = true;

  constructor(
    private readonly cos: CosClient,
    bucket: string,
    opts: ConnectOptions,
    private readonly keys: CredentialCache,
    endpoint?: string,
  ) {
    super(bucket, opts, { removeCommand, abortCommand }, endpoint);
  }

  async stage(file: { path: string; size: number; sha256: string }, key: string, hooks = {}): Promise<StagedObject> {
    const whole = await uploadFile(this, file, key, hooks, DEFAULT_UPLOAD);
    return { bucket: this.bucket, key, region: this.opts.region, crc64: whole.crc64 };
  }

  async remove(obj: StagedObject): Promise<void> {
    await this.call("DeleteObject", "deleteObject", { Key: obj.key });
  }

  private call(action: string, op: string, params: Record<string, unknown>, under: Partial<ReturnType<typeof abortPolicy>> = {}): Promise<CosData> {
    const base = { Bucket: this.bucket, Region: this.opts.region };
    const uploadBytes = typeof params.ContentLength === "number" ? params.ContentLength : 0;
    // The SDK takes no abort signal: at the attempt's timeout retryCall gives up on the call and the
    // SDK's own Timeout (the same figure) closes the socket.
    return withFreshKeys(this.keys, isExpiredToken, () =>
      retryCall(
        // Paced and budgeted with the run's other calls (cloudCall), as storage calls are calls too.
        cloudCall("tencent", `cos ${action}`, this.opts, { uploadBytes, ...under }),
        () =>
          new Promise<CosData>((resolve, reject) => {
            // Streams are consumed by an attempt: make the body afresh for each one.
            const body = typeof params.Body === "function" ? (params.Body as () => Readable)() : params.Body;
            this.cos[op]!({ ...base, ...params, ...(body === undefined ? {} : { Body: body }) }, (err, data) => (err ? reject(err) : resolve(data)));
          }),
        (err) => withBucketHint(toCloudError(err, action, this.keys.knownSecrets()), BUCKET_HINTS(this.bucket, this.opts.region)),
      ),
    );
  }

  private check(what: string, expected: string | undefined, data: CosData): void {
    const actual = data.headers?.["x-cos-hash-crc64ecma"];
    if (expected === undefined || actual !== expected) throw integrityError("tencent", "COS", what, expected ?? "", actual, data.headers?.["x-cos-request-id"]);
  }

  async putObject(key: string, body: () => Readable, whole: Digests): Promise<void> {
    const data = await this.call("PutObject", "putObject", { Key: key, Body: body, ContentLength: whole.size, ContentType: "application/zip" });
    this.check("x-cos-hash-crc64ecma", whole.crc64, data);
  }

  async createUpload(key: string): Promise<string> {
    const data = await this.call("InitiateMultipartUpload", "multipartInit", { Key: key, ContentType: "application/zip" });
    if (!data.UploadId) throw integrityError("tencent", "COS", "UploadId", "an upload id", undefined, data.headers?.["x-cos-request-id"]);
    return data.UploadId;
  }

  async uploadPart(key: string, uploadId: string, partNumber: number, bytes: Buffer, digests: Digests, onAttempt: () => void): Promise<string> {
    const data = await this.call("UploadPart", "multipartUpload", {
      Key: key,
      UploadId: uploadId,
      PartNumber: partNumber,
      // Made afresh for each attempt (see call()): that is when an attempt starts.
      Body: () => {
        onAttempt();
        return Readable.from([bytes]);
      },
      ContentLength: bytes.length,
    });
    this.check(`x-cos-hash-crc64ecma of part ${partNumber}`, digests.crc64, data);
    const etag = data.ETag ?? data.headers?.etag;
    if (!etag) throw integrityError("tencent", "COS", `ETag of part ${partNumber}`, "an ETag", undefined, data.headers?.["x-cos-request-id"]);
    return etag;
  }

  async completeUpload(key: string, uploadId: string, parts: UploadedPart[]): Promise<void> {
    await this.call("CompleteMultipartUpload", "multipartComplete", {
      Key: key,
      UploadId: uploadId,
      Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })),
    });
  }

  async abortUpload(key: string, uploadId: string): Promise<void> {
    await this.call("AbortMultipartUpload", "multipartAbort", { Key: key, UploadId: uploadId }, abortPolicy());
  }

  async verifyObject(key: string, whole: Digests): Promise<void> {
    const data = await this.call("HeadObject", "headObject", { Key: key });
    const size = data.headers?.["content-length"];
    if (size !== String(whole.size)) throw integrityError("tencent", "COS", "size", String(whole.size), size, data.headers?.["x-cos-request-id"]);
    this.check("x-cos-hash-crc64ecma", whole.crc64, data);
  }
}
