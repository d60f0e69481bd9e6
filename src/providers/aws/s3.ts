// S3 behind the ObjectWriter interface (src/providers/object-upload.ts). Imported lazily: only a
// publish that stages in S3 loads @aws-sdk/client-s3. The SDK's own retries are off (maxAttempts
// 1): retryCall retries each call, each part separately. Integrity: every PUT carries a CRC-32
// (the SDK's flexible checksums; a streamed PUT sends it as an aws-chunked trailer) and S3 returns
// the CRC-32 it computed, which must equal ours. ETags are not compared: with SSE-KMS they are
// not MD5s.
import type { S3Client } from "@aws-sdk/client-s3";
import type { Readable } from "node:stream";
import { crc32 } from "../../archive/crc32.js";
import { UsageError } from "../../errors.js";
import { DEFAULT_UPLOAD, uploadFile, type Digests, type ObjectWriter, type UploadedPart } from "../object-upload.js";
import { retryCall } from "../retry.js";
import { integrityError, withBucketHint } from "../storage-errors.js";
import type { ConnectOptions, StagedObject, StorageClient } from "../types.js";
import { awsIdentity, isAwsCredentials, knownSecrets, type AwsCredentials } from "./credentials.js";
import { withFreshKeys } from "../credential-cache.js";
import { isExpiredToken, toCloudError } from "./errors.js";
import { quietAwsSdk } from "./sdk-env.js";

type S3Sdk = typeof import("@aws-sdk/client-s3");

export async function connectS3(opts: ConnectOptions, storage: { bucket?: string; endpoint?: string }): Promise<StorageClient> {
  if (!storage.bucket) throw new Error("internal: S3 staging needs a bucket");
  if (!isAwsCredentials(opts.credentials)) {
    throw new UsageError("aws: no usable credentials were resolved", { code: "MissingCredentials", hint: "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE" });
  }
  quietAwsSdk();
  const sdk = await import("@aws-sdk/client-s3");
  const s3 = new sdk.S3Client({
    region: opts.region,
    endpoint: storage.endpoint,
    // An endpoint override (the emulator, MinIO, LocalStack) is one host: address buckets by path.
    forcePathStyle: storage.endpoint !== undefined,
    ...(storage.endpoint !== undefined ? { useFipsEndpoint: false, useDualstackEndpoint: false } : {}),
    credentials: awsIdentity(opts.credentials),
    maxAttempts: 1,
    // The SDK's own notes (e.g. "non-retryable streaming request" before retryCall retries it) are debug detail.
    logger: {
      debug: (m: unknown) => opts.log.debug(`aws s3 sdk: ${String(m)}`),
      info: (m: unknown) => opts.log.debug(`aws s3 sdk: ${String(m)}`),
      warn: (m: unknown) => opts.log.debug(`aws s3 sdk: ${String(m)}`),
      error: (m: unknown) => opts.log.debug(`aws s3 sdk: ${String(m)}`),
    },
    requestHandler: { requestTimeout: opts.requestTimeoutMs, connectionTimeout: Math.min(opts.requestTimeoutMs, 10_000), throwOnRequestTimeout: true },
  });
  return new S3Storage(sdk, s3, storage.bucket, opts, opts.credentials);
}

const BUCKET_HINTS = (bucket: string, region: string): Record<string, string> => ({
  NoSuchBucket: `create S3 bucket ${bucket} in ${region}, or name another with --bucket aws:${region}=NAME`,
  AuthorizationHeaderMalformed: `the bucket ${bucket} is not in ${region}: Lambda reads layers only from a bucket in the layer's region`,
  PermanentRedirect: `the bucket ${bucket} is not in ${region}: Lambda reads layers only from a bucket in the layer's region`,
  AccessDenied: `the credentials may not write to S3 bucket ${bucket}; check its policy (s3:PutObject, s3:DeleteObject)`,
});

/** S3 writes CRC-32 checksums as the 4 big-endian bytes in base64. */
function crc32Base64(value: number): string {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value >>> 0);
  return b.toString("base64");
}

/** A multipart upload's COMPOSITE checksum: the CRC-32 of the parts' CRC-32s, then "-<parts>". */
function compositeCrc32(parts: UploadedPart[]): string {
  const raw = Buffer.concat(parts.map((p) => Buffer.from(crc32Base64(p.digests.crc32), "base64")));
  return `${crc32Base64(crc32(raw))}-${parts.length}`;
}

class S3Storage implements StorageClient, ObjectWriter {
  readonly removable = true;
  readonly usesCrc64 = false;

  constructor(
    private readonly sdk: S3Sdk,
    private readonly s3: S3Client,
    readonly bucket: string,
    private readonly opts: ConnectOptions,
    private readonly credentials: AwsCredentials,
  ) {}

  keyFor(preferred: string): string {
    return preferred;
  }

  async stage(file: { path: string; size: number; sha256: string }, key: string, hooks = {}): Promise<StagedObject> {
    await uploadFile(this, file, key, hooks, DEFAULT_UPLOAD);
    return { bucket: this.bucket, key, region: this.opts.region };
  }

  async remove(obj: StagedObject): Promise<void> {
    await this.call("DeleteObject", (o) => this.s3.send(new this.sdk.DeleteObjectCommand({ Bucket: obj.bucket, Key: obj.key }), o));
  }

  /** `send` gets the attempt's abort signal: it tears the socket down at the attempt's timeout, body still streaming or not. */
  private call<T>(action: string, send: (options: { abortSignal: AbortSignal }) => Promise<T>, uploadBytes = 0): Promise<T> {
    const ctx = { action, timeoutMs: this.opts.requestTimeoutMs, secrets: knownSecrets(this.credentials) };
    const { requestTimeoutMs, retry, log } = this.opts;
    return withFreshKeys(this.credentials.keys, isExpiredToken, () =>
      retryCall(
        { name: `aws s3 ${action}`, provider: "aws", timeoutMs: requestTimeoutMs, uploadBytes, retry, log },
        (abortSignal) => send({ abortSignal }),
        (err) => withBucketHint(toCloudError(err, ctx), BUCKET_HINTS(this.bucket, this.opts.region)),
      ),
    );
  }

  private check(what: string, expected: string, actual: string | undefined, requestId: string | undefined): void {
    if (actual !== expected) throw integrityError("aws", "S3", what, expected, actual, requestId);
  }

  async putObject(key: string, body: () => Readable, whole: Digests): Promise<void> {
    const out = await this.call(
      "PutObject",
      (o) =>
        this.s3.send(
          new this.sdk.PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body(), ContentLength: whole.size, ChecksumAlgorithm: "CRC32", ContentType: "application/zip" }),
          o,
        ),
      whole.size,
    );
    this.check("CRC-32", crc32Base64(whole.crc32), out.ChecksumCRC32, out.$metadata.requestId);
  }

  async createUpload(key: string): Promise<string> {
    const out = await this.call("CreateMultipartUpload", (o) =>
      this.s3.send(new this.sdk.CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ChecksumAlgorithm: "CRC32", ContentType: "application/zip" }), o),
    );
    if (!out.UploadId) throw integrityError("aws", "S3", "UploadId", "an upload id", undefined, out.$metadata.requestId);
    return out.UploadId;
  }

  async uploadPart(key: string, uploadId: string, partNumber: number, bytes: Buffer, digests: Digests, onAttempt: () => void): Promise<string> {
    const out = await this.call(
      "UploadPart",
      (o) => {
        onAttempt();
        return this.s3.send(
          new this.sdk.UploadPartCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, PartNumber: partNumber, Body: bytes, ChecksumAlgorithm: "CRC32" }),
          o,
        );
      },
      bytes.length,
    );
    this.check(`CRC-32 of part ${partNumber}`, crc32Base64(digests.crc32), out.ChecksumCRC32, out.$metadata.requestId);
    if (!out.ETag) throw integrityError("aws", "S3", `ETag of part ${partNumber}`, "an ETag", undefined, out.$metadata.requestId);
    return out.ETag;
  }

  async completeUpload(key: string, uploadId: string, parts: UploadedPart[]): Promise<void> {
    const out = await this.call("CompleteMultipartUpload", (o) =>
      this.s3.send(
        new this.sdk.CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag, ChecksumCRC32: crc32Base64(p.digests.crc32) })) },
        }),
        o,
      ),
    );
    this.check("composite CRC-32", compositeCrc32(parts), out.ChecksumCRC32, out.$metadata.requestId);
  }

  async abortUpload(key: string, uploadId: string): Promise<void> {
    await this.call("AbortMultipartUpload", (o) => this.s3.send(new this.sdk.AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId }), o));
  }

  async verifyObject(key: string, whole: Digests, parts: UploadedPart[] | null): Promise<void> {
    const out = await this.call("HeadObject", (o) => this.s3.send(new this.sdk.HeadObjectCommand({ Bucket: this.bucket, Key: key, ChecksumMode: "ENABLED" }), o));
    this.check("size", String(whole.size), out.ContentLength === undefined ? undefined : String(out.ContentLength), out.$metadata.requestId);
    this.check("CRC-32", parts ? compositeCrc32(parts) : crc32Base64(whole.crc32), out.ChecksumCRC32, out.$metadata.requestId);
  }
}
