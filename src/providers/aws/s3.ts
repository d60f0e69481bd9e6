// S3 behind the ObjectWriter interface (src/providers/object-upload.ts). Imported lazily: only a
// publish that stages in S3 loads @aws-sdk/client-s3. The SDK's own retries are off (maxAttempts
// 1): retryCall retries each call, each part separately.
// Integrity, with what the store returns, best first:
//   1. CRC-32: every PUT carries one (the SDK's flexible checksums; a streamed PUT sends it as an
//      aws-chunked trailer) and S3 returns the CRC-32 it computed (a multipart upload's is
//      COMPOSITE: the CRC-32 of the parts' CRC-32s, "-N"), which must equal ours.
//   2. The ETag, where a store returns no checksum (moto, MinIO, Ceph RGW, older LocalStack): a
//      single PUT's ETag is the body's MD5, a multipart upload's the MD5 of the parts' binary
//      MD5s plus "-N" (S3 "Checking object integrity"), both computed while the zip streams.
//      Not for SSE-KMS objects, whose ETags are no MD5s.
//   3. Neither: nothing is compared at the store, and the upload is checked end to end only, by
//      the CodeSha256 Lambda reports for the published layer (which publishLayer always compares
//      with ours: a store that checks nothing is therefore never a reason to refuse).
// Which check was made is said at --debug.
import type { S3Client } from "@aws-sdk/client-s3";
import type { Readable } from "node:stream";
import { createHash } from "node:crypto";
import { crc32 } from "../../archive/crc32.js";
import { UsageError } from "../../errors.js";
import { abortPolicy, BucketClient, DEFAULT_UPLOAD, uploadFile, type Digests, type ObjectWriter, type UploadedPart } from "../object-upload.js";
import { cloudCall, retryCall } from "../retry.js";
import { abortCommand, removeCommand } from "./storage-commands.js";
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
  return new S3Storage(sdk, s3, storage.bucket, opts, opts.credentials, storage.endpoint);
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

/** A multipart upload's ETag as S3 computes it: the MD5 of the parts' binary MD5s, then "-<parts>". */
export function multipartEtag(parts: UploadedPart[]): string {
  const md5 = createHash("md5");
  for (const p of parts) md5.update(Buffer.from(p.digests.md5, "hex"));
  return `${md5.digest("hex")}-${parts.length}`;
}

/** What an S3 answer offers to check an upload by. */
interface Answer {
  ChecksumCRC32?: string;
  ETag?: string;
  ServerSideEncryption?: string;
  $metadata: { requestId?: string };
}

/** The checks that can be made, in order of preference (see the header). */
type Check = "CRC-32" | "ETag (MD5)" | "none";

class S3Storage extends BucketClient implements StorageClient, ObjectWriter {
  readonly removable = true;
  readonly usesCrc64 = false;

  constructor(
    private readonly sdk: S3Sdk,
    private readonly s3: S3Client,
    bucket: string,
    opts: ConnectOptions,
    private readonly credentials: AwsCredentials,
    endpoint?: string,
  ) {
    super(bucket, opts, { removeCommand, abortCommand }, endpoint);
  }

  /** How each answer of the current upload was checked (said at --debug once it is done). */
  private readonly checks = new Set<Check>();

  async stage(file: { path: string; size: number; sha256: string }, key: string, hooks = {}): Promise<StagedObject> {
    this.checks.clear();
    await uploadFile(this, file, key, hooks, DEFAULT_UPLOAD);
    const how = [...this.checks].filter((c) => c !== "none");
    this.opts.log.debug(
      how.length > 0
        ? `aws s3: ${this.bucket}/${key}: upload checked by ${how.join(" and ")}${this.checks.has("none") ? " (some answers carried neither)" : ""}; end to end by Lambda's CodeSha256 after publishing`
        : `aws s3: ${this.bucket}/${key}: the store returned no checksum and no MD5 ETag: the upload is checked end to end only, by Lambda's CodeSha256 after publishing`,
    );
    return { bucket: this.bucket, key, region: this.opts.region };
  }

  async remove(obj: StagedObject): Promise<void> {
    await this.call("DeleteObject", (o) => this.s3.send(new this.sdk.DeleteObjectCommand({ Bucket: obj.bucket, Key: obj.key }), o));
  }

  /** `send` gets the attempt's abort signal: it tears the socket down at the attempt's timeout, body still streaming or not. */
  private call<T>(action: string, send: (options: { abortSignal: AbortSignal }) => Promise<T>, uploadBytes = 0, under: Partial<ReturnType<typeof abortPolicy>> = {}): Promise<T> {
    const ctx = { action, timeoutMs: this.opts.requestTimeoutMs, secrets: knownSecrets(this.credentials) };
    return withFreshKeys(this.credentials.keys, isExpiredToken, () =>
      retryCall(
        // Paced and budgeted with the run's other calls (cloudCall), as storage calls are calls too.
        cloudCall("aws", `s3 ${action}`, this.opts, { uploadBytes, ...under }),
        (abortSignal) => send({ abortSignal }),
        (err) => withBucketHint(toCloudError(err, ctx), BUCKET_HINTS(this.bucket, this.opts.region)),
      ),
    );
  }

  private check(what: string, expected: string, actual: string | undefined, requestId: string | undefined): void {
    if (actual !== expected) throw integrityError("aws", "S3", what, expected, actual, requestId);
  }

  /**
   * One answer checked by the best thing it carries: the CRC-32 when there is one, else the ETag
   * when it is an MD5 (not with SSE-KMS), else nothing here (see the header).
   */
  private verify(what: string, answer: Answer, expected: { crc32: string; etag: string }): void {
    const requestId = answer.$metadata.requestId;
    if (answer.ChecksumCRC32 !== undefined) {
      this.check(`${what} CRC-32`, expected.crc32, answer.ChecksumCRC32, requestId);
      this.checks.add("CRC-32");
      return;
    }
    const etag = answer.ETag?.replace(/"/g, "").toLowerCase();
    const kms = answer.ServerSideEncryption?.startsWith("aws:kms") ?? false;
    if (etag !== undefined && !kms && /^[0-9a-f]{32}(?:-\d+)?$/.test(etag)) {
      this.check(`${what} ETag (MD5)`, expected.etag, etag, requestId);
      this.checks.add("ETag (MD5)");
      return;
    }
    this.checks.add("none");
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
    this.verify("the object's", out, { crc32: crc32Base64(whole.crc32), etag: whole.md5 });
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
    this.verify(`part ${partNumber}'s`, out, { crc32: crc32Base64(digests.crc32), etag: digests.md5 });
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
    this.verify("the completed upload's composite", out, { crc32: compositeCrc32(parts), etag: multipartEtag(parts) });
  }

  async abortUpload(key: string, uploadId: string): Promise<void> {
    await this.call(
      "AbortMultipartUpload",
      (o) => this.s3.send(new this.sdk.AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId }), o),
      0,
      abortPolicy(),
    );
  }

  async verifyObject(key: string, whole: Digests, parts: UploadedPart[] | null): Promise<void> {
    const out = await this.call("HeadObject", (o) => this.s3.send(new this.sdk.HeadObjectCommand({ Bucket: this.bucket, Key: key, ChecksumMode: "ENABLED" }), o));
    this.check("size", String(whole.size), out.ContentLength === undefined ? undefined : String(out.ContentLength), out.$metadata.requestId);
    this.verify("the stored object's", out, parts ? { crc32: compositeCrc32(parts), etag: multipartEtag(parts) } : { crc32: crc32Base64(whole.crc32), etag: whole.md5 });
  }
}
