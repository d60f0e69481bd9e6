// OSS behind the ObjectWriter interface (src/providers/object-upload.ts), through ali-oss 6.x,
// imported lazily: only a publish that stages in OSS loads it. ali-oss signs with its default
// (V1, "OSS AK:signature"); its own retries are off (retryMax 0) and retryCall retries each
// call. An endpoint override is addressed by path (sldEnable: http://host:port/<bucket>/<key>).
// Integrity: OSS returns x-oss-hash-crc64ecma (CRC-64/XZ) for every PUT and part; ours must match.
// FC's temporary bucket (no --bucket) is used as the reference clients use it (@alicloud/fc2
// publishLayerVersionForBigCode, Serverless Devs fc3): one streamed PutObject to the key FC names,
// nothing else (no HEAD, no multipart, no delete: what the lent keys may do beyond that one upload
// is not documented), verified by the CRC-64 in the PUT's answer.
import type { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { CloudError } from "../../errors.js";
import { humanBytes } from "../../output/table.js";
import { NEVER_SENT_CODES, SOCKET_ERROR_CODES } from "../network.js";
import { abortPolicy, BucketClient, DEFAULT_UPLOAD, uploadFile, type Digests, type ObjectWriter, type UploadedPart, type UploadSettings } from "../object-upload.js";
import { cloudCall, retryCall } from "../retry.js";
import { abortCommand, removeCommand } from "./storage-commands.js";
import { storageEndpointUrl } from "../storage-endpoint.js";
import { integrityError, withBucketHint } from "../storage-errors.js";
import type { ConnectOptions, StagedObject, StorageClient } from "../types.js";
import { asAliyunCredentials } from "./credentials.js";
import { isExpiredToken } from "./errors.js";
import { CredentialCache, withFreshKeys } from "../credential-cache.js";
import { getTempBucket, type TempBucket } from "./temp-bucket.js";

/** The temporary bucket's one streamed PUT, whatever the zip's size; its answer's CRC-64 is the check. */
const ONE_PUT: UploadSettings = { partSize: Number.POSITIVE_INFINITY, concurrency: 1, readBack: false };

interface OssResult {
  res?: { status?: number; headers?: Record<string, string> };
  uploadId?: string;
  etag?: string;
}
type OssClient = Record<string, (...args: unknown[]) => Promise<OssResult>>;

export async function connectOss(opts: ConnectOptions, storage: { bucket?: string; endpoint?: string }): Promise<StorageClient> {
  const creds = asAliyunCredentials(opts.credentials);
  // No bucket given: FC lends its temporary bucket, with STS credentials for that one upload.
  const temp = storage.bucket ? null : await getTempBucket(opts);
  const bucket = storage.bucket ?? temp!.bucket;
  const mod = (await import("ali-oss")) as unknown as { default?: new (o: object) => OssClient };
  const OSS = (mod.default ?? mod) as unknown as new (o: object) => OssClient;
  // FC's lent keys are for this one upload; the run's own are renewed where they can be.
  const cache = temp
    ? new CredentialCache({
        provider: "aliyun",
        source: "the temporary bucket's keys (FC GetTempBucketToken)",
        keys: { keyId: temp.credentials.accessKeyId, secret: temp.credentials.accessKeySecret, token: temp.credentials.securityToken },
        renewHint: "publish again (FC lends new keys), or name an OSS bucket of your own with --bucket aliyun=NAME",
      })
    : creds.keys;
  const keys = await cache.get();
  const options: Record<string, unknown> = {
    accessKeyId: keys.keyId,
    accessKeySecret: keys.secret,
    bucket,
    region: temp?.ossRegion ?? `oss-${opts.region}`,
    timeout: opts.requestTimeoutMs,
    retryMax: 0,
    secure: true,
  };
  if (keys.token) {
    options.stsToken = keys.token;
    // ali-oss asks refreshSTSToken before a request once the interval has passed: every time, so
    // renewed keys are used at once (the cache answers without a call while its keys are good).
    options.refreshSTSToken = async () => {
      const k = await cache.get();
      return { accessKeyId: k.keyId, accessKeySecret: k.secret, stsToken: k.token };
    };
    options.refreshSTSTokenInterval = 1;
  }
  if (storage.endpoint !== undefined) {
    const url = storageEndpointUrl(storage.endpoint, "OSS", "aliyun");
    options.endpoint = `${url.protocol}//${url.host}`;
    options.secure = url.protocol === "https:";
    options.sldEnable = true;
  }
  return new OssStorage(new OSS(options), bucket, opts, cache, temp, storage.endpoint);
}

const BUCKET_HINTS = (bucket: string, region: string): Record<string, string> => ({
  NoSuchBucket: `create OSS bucket ${bucket} in ${region}, or name another with --bucket aliyun:${region}=NAME (without --bucket FC's temporary bucket is used)`,
  // OSS answers AccessDenied "must be addressed using the specified endpoint" for a bucket in another region.
  AccessDenied: `the bucket ${bucket} may be in another region than ${region} (FC reads layers only from its own region), or the credentials may not write to it`,
});

interface OssErrorShape {
  name?: unknown;
  code?: unknown;
  status?: unknown;
  requestId?: unknown;
  message?: unknown;
}

function toCloudError(err: unknown, action: string, secrets: string[]): CloudError {
  if (err instanceof CloudError) return err;
  const e = (err ?? {}) as OssErrorShape;
  const scrub = (s: string) => secrets.filter((x) => x.length >= 4).reduce((out, x) => out.split(x).join("****"), s);
  const message = scrub(typeof e.message === "string" ? e.message : String(err));
  const code = typeof e.code === "string" && e.code ? e.code : typeof e.name === "string" ? e.name : "OssError";
  const status = typeof e.status === "number" && e.status > 0 ? e.status : undefined;
  const requestId = typeof e.requestId === "string" && e.requestId ? e.requestId : undefined;
  if (status !== undefined) {
    const throttled = status === 429 || status === 503;
    return new CloudError(`OSS ${action}: ${message.split("\n")[0]}`, {
      code,
      provider: "aliyun",
      requestId,
      httpStatus: status,
      retryable: throttled || status >= 500,
      unprocessed: throttled,
      cause: err,
    });
  }
  const name = typeof e.name === "string" ? e.name : "";
  if (/Timeout/i.test(name) || /Timeout/i.test(code)) {
    return new CloudError(`OSS ${action}: no complete answer within ${""}the request timeout`, { code: "RequestTimeout", provider: "aliyun", retryable: true, cause: err });
  }
  if (SOCKET_ERROR_CODES.has(code) || /socket hang up|ECONNRESET/i.test(message)) {
    return new CloudError(`OSS ${action}: connection failed (${code}): ${message.split("\n")[0]}`, {
      code: "NetworkError",
      provider: "aliyun",
      retryable: true,
      unprocessed: NEVER_SENT_CODES.has(code),
      hint: "check the network and the OSS endpoint",
      cause: err,
    });
  }
  return new CloudError(`OSS ${action}: ${message.split("\n")[0]}`, { code, provider: "aliyun", requestId, cause: err });
}

class OssStorage extends BucketClient implements StorageClient, ObjectWriter {
  readonly usesCrc64 = true;
  readonly removable: boolean;

  constructor(
    private readonly oss: OssClient,
    bucket: string,
    opts: ConnectOptions,
    private readonly keys: CredentialCache,
    /** FC's temporary bucket, when borrowing it: its key for this upload, its size limit. */
    private readonly temp: TempBucket | null,
    endpoint?: string,
  ) {
    super(bucket, opts, { removeCommand, abortCommand }, endpoint);
    // Objects in FC's temporary bucket expire on FC's terms; its STS policy is for the upload.
    this.removable = temp === null;
  }

  override keyFor(preferred: string): string {
    return this.temp?.key ?? preferred;
  }

  async stage(file: { path: string; size: number; sha256: string }, key: string, hooks = {}): Promise<StagedObject> {
    const limit = this.temp?.codeSizeLimit ?? null;
    if (limit !== null && file.size > limit) {
      throw new CloudError(`the zip is ${file.size} bytes (${humanBytes(file.size)}); FC's temporary bucket takes at most ${limit} bytes (codeSizeLimit)`, {
        code: "ZipTooLarge",
        provider: "aliyun",
        hint: "leave out files with --exclude or a .layerignore, or stage in an OSS bucket of your own with --bucket aliyun=NAME",
      });
    }
    const whole = await uploadFile(this, file, key, hooks, this.temp ? ONE_PUT : DEFAULT_UPLOAD);
    if (this.temp)
      this.opts.log.debug(`aliyun: ${this.bucket}/${key}: upload checked by the CRC-64 in the PutObject answer (no read-back: FC's temporary keys are for the upload)`);
    return { bucket: this.bucket, key, region: this.opts.region, crc64: whole.crc64 };
  }

  async remove(obj: StagedObject): Promise<void> {
    await this.call("DeleteObject", () => this.oss.delete!(obj.key));
  }

  /** ali-oss takes no abort signal: at the attempt's timeout retryCall gives up on the call and ali-oss's own timeout (the same figure) ends it. */
  private call(action: string, fn: () => Promise<OssResult>, uploadBytes = 0, under: Partial<ReturnType<typeof abortPolicy>> = {}): Promise<OssResult> {
    return withFreshKeys(this.keys, isExpiredToken, () =>
      retryCall(
        // Paced and budgeted with the run's other calls (cloudCall), as storage calls are calls too.
        cloudCall("aliyun", `oss ${action}`, this.opts, { uploadBytes, ...under }),
        fn,
        (err) => withBucketHint(toCloudError(err, action, this.keys.knownSecrets()), BUCKET_HINTS(this.bucket, this.opts.region)),
      ),
    );
  }

  private check(what: string, expected: string | undefined, r: OssResult): void {
    const actual = r.res?.headers?.["x-oss-hash-crc64ecma"];
    if (expected === undefined || actual !== expected) throw integrityError("aliyun", "OSS", what, expected ?? "", actual, r.res?.headers?.["x-oss-request-id"]);
  }

  async putObject(key: string, body: () => Readable, whole: Digests): Promise<void> {
    if (this.temp) {
      // The whole zip (up to FC's limit) in one PUT: streamed from disk, with its length, as
      // ali-oss sends a file (putStream with Content-Length).
      const r = await this.call("PutObject", () => this.oss.put!(key, body(), { mime: "application/zip", contentLength: whole.size }), whole.size);
      this.check("x-oss-hash-crc64ecma", whole.crc64, r);
      return;
    }
    // A single PUT to one's own bucket is at most one part (8 MiB): sent from memory. With a file
    // stream, a reset makes urllib (ali-oss's HTTP client) call back twice and print a warning on
    // the console.
    const bytes = await buffer(body());
    const r = await this.call("PutObject", () => this.oss.put!(key, bytes, { mime: "application/zip" }), whole.size);
    this.check("x-oss-hash-crc64ecma", whole.crc64, r);
  }

  async createUpload(key: string): Promise<string> {
    const r = await this.call("InitiateMultipartUpload", () => this.oss.initMultipartUpload!(key, { mime: "application/zip" }));
    if (!r.uploadId) throw integrityError("aliyun", "OSS", "UploadId", "an upload id", undefined, r.res?.headers?.["x-oss-request-id"]);
    return r.uploadId;
  }

  async uploadPart(key: string, uploadId: string, partNumber: number, bytes: Buffer, digests: Digests, onAttempt: () => void): Promise<string> {
    const r = await this.call(
      "UploadPart",
      () => {
        onAttempt();
        return this.oss.uploadPart!(key, uploadId, partNumber, bytes, 0, bytes.length);
      },
      bytes.length,
    );
    this.check(`x-oss-hash-crc64ecma of part ${partNumber}`, digests.crc64, r);
    return r.etag ?? r.res?.headers?.etag ?? "";
  }

  async completeUpload(key: string, uploadId: string, parts: UploadedPart[]): Promise<void> {
    await this.call("CompleteMultipartUpload", () =>
      this.oss.completeMultipartUpload!(
        key,
        uploadId,
        parts.map((p) => ({ number: p.partNumber, etag: p.etag })),
      ),
    );
  }

  async abortUpload(key: string, uploadId: string): Promise<void> {
    await this.call("AbortMultipartUpload", () => this.oss.abortMultipartUpload!(key, uploadId), 0, abortPolicy());
  }

  async verifyObject(key: string, whole: Digests): Promise<void> {
    const r = await this.call("HeadObject", () => this.oss.head!(key));
    const size = r.res?.headers?.["content-length"];
    if (size !== String(whole.size)) throw integrityError("aliyun", "OSS", "size", String(whole.size), size, r.res?.headers?.["x-oss-request-id"]);
    this.check("x-oss-hash-crc64ecma", whole.crc64, r);
  }
}
