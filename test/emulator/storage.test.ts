// The emulated object stores refuse what the real ones refuse: bodies that do not match their
// checksums (tampered after signing), a bad digest header, a missing object. Real SDKs over real
// HTTP; tampering is done after the SDK signed, in the request pipeline (AWS) or through the SDK's
// own header options (COS, OSS).
import { createRequire } from "node:module";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3Client, PutObjectCommand, CreateMultipartUploadCommand, UploadPartCommand, HeadObjectCommand } from "@aws-sdk/client-s3";
import { start, type RunningEmulator } from "../../src/emulator/index.js";

const require = createRequire(import.meta.url);
let emu: RunningEmulator;

beforeAll(async () => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  emu = await start({
    port: 0,
    buckets: [
      { provider: "aws", name: "raw-bucket", region: "eu-west-1" },
      { provider: "tencent", name: "raw-bucket-1250000000", region: "ap-guangzhou" },
      { provider: "aliyun", name: "raw-bucket", region: "cn-hangzhou" },
    ],
  });
});
afterAll(async () => {
  await emu?.close();
});

function s3(tamper?: (request: { body: unknown; headers: Record<string, string> }) => void): S3Client {
  const client = new S3Client({
    region: "eu-west-1",
    endpoint: emu.url,
    forcePathStyle: true,
    credentials: { accessKeyId: emu.credentials.aws.accessKeyId, secretAccessKey: emu.credentials.aws.secretAccessKey },
    maxAttempts: 1,
    logger: { debug() {}, info() {}, warn() {}, error() {} },
  });
  if (tamper) {
    // After signing (finalizeRequest), before sending: what a damaged network or proxy would do.
    client.middlewareStack.add(
      (next) => async (args) => {
        tamper(args.request as { body: unknown; headers: Record<string, string> });
        return next(args);
      },
      { step: "deserialize" },
    );
  }
  return client;
}

async function s3Error(p: Promise<unknown>): Promise<{ name: string; status?: number }> {
  const err = (await p.then(
    () => null,
    (e: unknown) => e,
  )) as { name: string; $metadata?: { httpStatusCode?: number } } | null;
  expect(err).not.toBeNull();
  return { name: err!.name, status: err!.$metadata?.httpStatusCode };
}

describe("S3", () => {
  it("takes a streamed (aws-chunked) PUT and verifies its CRC-32 trailer", async () => {
    const out = await s3().send(new PutObjectCommand({ Bucket: "raw-bucket", Key: "a/ok.bin", Body: Readable.from([Buffer.from("hello")]), ContentLength: 5 }));
    expect(out.ChecksumCRC32).toBe("NhCmhg==");
    const head = await s3().send(new HeadObjectCommand({ Bucket: "raw-bucket", Key: "a/ok.bin", ChecksumMode: "ENABLED" }));
    expect(head.ContentLength).toBe(5);
  });

  it("refuses an aws-chunked body whose trailer checksum does not match (BadDigest)", async () => {
    const client = s3((req) => {
      req.body = Buffer.from("5\r\nhellp\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n");
    });
    const err = await s3Error(client.send(new PutObjectCommand({ Bucket: "raw-bucket", Key: "a/bad.bin", Body: Readable.from([Buffer.from("hello")]), ContentLength: 5 })));
    expect(err).toEqual({ name: "BadDigest", status: 400 });
  });

  it("refuses a signed body that differs from x-amz-content-sha256", async () => {
    const up = await s3().send(new CreateMultipartUploadCommand({ Bucket: "raw-bucket", Key: "a/mpu.bin", ChecksumAlgorithm: "CRC32" }));
    const client = s3((req) => {
      req.body = Buffer.from("tampered!!");
    });
    const err = await s3Error(
      client.send(new UploadPartCommand({ Bucket: "raw-bucket", Key: "a/mpu.bin", UploadId: up.UploadId, PartNumber: 1, Body: Buffer.from("original!!") })),
    );
    expect(err).toEqual({ name: "XAmzContentSHA256Mismatch", status: 400 });
  });

  it("answers a missing object's HEAD with 404 and no body, and an unsigned request with AccessDenied", async () => {
    const err = await s3Error(s3().send(new HeadObjectCommand({ Bucket: "raw-bucket", Key: "nothing-here" })));
    expect(err).toEqual({ name: "NotFound", status: 404 });
    const raw = await fetch(`${emu.url}/raw-bucket/a/ok.bin`, {
      headers: { authorization: "AWS4-HMAC-SHA256 Credential=x/20260101/eu-west-1/s3/aws4_request, SignedHeaders=host, Signature=00" },
    });
    expect(raw.status).toBe(400);
    expect(await raw.text()).toContain("<Code>AuthorizationHeaderMalformed</Code>");
  });
});

describe("COS", () => {
  type Cos = Record<string, (p: object, cb: (e: { code?: string; statusCode?: number } | null, d: unknown) => void) => void>;
  const cos = (): Cos => {
    const COS = require("cos-nodejs-sdk-v5");
    const url = new URL(emu.url);
    return new COS({ SecretId: emu.credentials.tencent.secretId, SecretKey: emu.credentials.tencent.secretKey, Protocol: "http:", Ip: url.host, AutoSwitchHost: false });
  };
  const call = (op: string, params: object) =>
    new Promise<{ err: { code?: string; statusCode?: number } | null; data: { headers?: Record<string, string> } }>((resolve) =>
      cos()[op]!({ Bucket: "raw-bucket-1250000000", Region: "ap-guangzhou", ...params }, (err, data) => resolve({ err, data: data as { headers?: Record<string, string> } })),
    );

  it("stores a PUT and reports its CRC-64 (x-cos-hash-crc64ecma)", async () => {
    const { err, data } = await call("putObject", { Key: "a/ok.bin", Body: Buffer.from("123456789") });
    expect(err).toBeNull();
    // CRC-64/XZ check value of "123456789"
    expect(data.headers?.["x-cos-hash-crc64ecma"]).toBe(BigInt("0x995DC9BBDF1939FA").toString());
  });

  it("refuses a body that does not match its Content-MD5 (BadDigest), and a missing key with NoSuchKey", async () => {
    const bad = await call("putObject", { Key: "a/bad.bin", Body: Buffer.from("123456789"), ContentMD5: "AAAAAAAAAAAAAAAAAAAAAA==" });
    expect(bad.err).toMatchObject({ code: "BadDigest", statusCode: 400 });
    const missing = await call("getObject", { Key: "a/none.bin" });
    expect(missing.err).toMatchObject({ code: "NoSuchKey", statusCode: 404 });
  });

  it("refuses a bucket of another region (another endpoint does not know it)", async () => {
    const other = await new Promise<{ code?: string }>((resolve) =>
      cos().putObject!({ Bucket: "raw-bucket-1250000000", Region: "ap-shanghai", Key: "x", Body: Buffer.from("x") }, (err) => resolve(err ?? {})),
    );
    expect(other.code).toBe("NoSuchBucket");
  });
});

describe("OSS", () => {
  const oss = () => {
    const OSS = require("ali-oss");
    return new OSS({
      accessKeyId: emu.credentials.aliyun.accessKeyId,
      accessKeySecret: emu.credentials.aliyun.accessKeySecret,
      endpoint: emu.url,
      sldEnable: true,
      bucket: "raw-bucket",
      region: "oss-cn-hangzhou",
    });
  };

  it("stores a PUT and reports its CRC-64 (x-oss-hash-crc64ecma)", async () => {
    const r = await oss().put("a/ok.bin", Buffer.from("123456789"));
    expect(r.res.headers["x-oss-hash-crc64ecma"]).toBe(BigInt("0x995DC9BBDF1939FA").toString());
  });

  it("refuses a body that does not match its Content-MD5 (InvalidDigest)", async () => {
    const err = await oss()
      .put("a/bad.bin", Buffer.from("123456789"), { headers: { "Content-MD5": "AAAAAAAAAAAAAAAAAAAAAA==" } })
      .then(
        () => null,
        (e: { code?: string; status?: number }) => e,
      );
    expect(err).toMatchObject({ code: "InvalidDigest", status: 400 });
  });

  it("answers a bucket of another region with AccessDenied naming the right endpoint", async () => {
    const OSS = require("ali-oss");
    const other = new OSS({
      accessKeyId: emu.credentials.aliyun.accessKeyId,
      accessKeySecret: emu.credentials.aliyun.accessKeySecret,
      endpoint: emu.url,
      sldEnable: true,
      bucket: "raw-bucket",
      region: "oss-cn-beijing",
    });
    const err = await other.put("x", Buffer.from("x")).then(
      () => null,
      (e: { code?: string; status?: number; message?: string }) => e,
    );
    expect(err).toMatchObject({ code: "AccessDenied", status: 403 });
  });
});
